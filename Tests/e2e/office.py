"""The office the browser tests work in, created through the public API as an administrator would."""
import requests

PASSWORD = "e2e-password-1"
ADMIN = ("admin", "e2e-admin-password")

# A plain 4:3 floor plan: the tests only need an image the markers sit on.
FLOOR_MAP = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600">
<rect width="800" height="600" fill="#f4f1ea"/><rect x="20" y="20" width="760" height="560" fill="none" stroke="#555" stroke-width="6"/>
<rect x="360" y="20" width="80" height="120" fill="#ddd"/></svg>"""


class Client:
    """A signed-in API session (cookies plus the CSRF echo)."""

    def __init__(self, base, username, password):
        self.base = base
        self.http = requests.Session()
        r = self.http.post(f"{base}/api/v1/auth/login", json={"username": username, "password": password})
        r.raise_for_status()
        self.csrf = r.json()["csrf_token"]
        self.user = r.json()["user"]

    def call(self, method, path, body=None, **kwargs):
        r = self.http.request(method, f"{self.base}/api/v1{path}", json=body,
                              headers={"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}, **kwargs)
        if r.status_code >= 400:
            raise AssertionError(f"{method} {path} -> {r.status_code}: {r.text}")
        return r.json() if r.content and "json" in r.headers.get("content-type", "") else None

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None):
        return self.call("POST", path, body)

    def put(self, path, body=None):
        return self.call("PUT", path, body)

    def patch(self, path, body=None):
        return self.call("PATCH", path, body)


def create(base):
    """Berlin with an open space (desks A1–A4, managed by rita) and a lab gated to Engineering (gus only)."""
    admin = Client(base, *ADMIN)
    people = {}
    for username, name in [("ann", "Ann Becker"), ("bob", "Bob Lange"), ("rita", "Rita Manager"), ("gus", "Gus Engineer")]:
        people[username] = admin.post("/users", {"username": username, "display_name": name,
                                                 "email": f"{username}@example.com", "password": PASSWORD})
    country = admin.post("/countries", {"name": "Germany", "code": "DE"})
    # Open every day: the tests run on the real clock, whatever weekday that is.
    berlin = admin.post("/locations", {"country_id": country["id"], "name": "Berlin", "address": "Torstraße 1",
                                       "timezone": "Europe/Berlin", "policy": {"open_weekdays": [1, 2, 3, 4, 5, 6, 7]}})
    floor = admin.post(f"/locations/{berlin['id']}/floors", {"name": "Ground floor", "level": 0})
    open_space = admin.post(f"/floors/{floor['id']}/rooms", {"name": "Open space", "description": "By the windows"})
    admin.call("PUT", f"/rooms/{open_space['id']}/map", data=FLOOR_MAP.encode(),
               headers={"Content-Type": "image/svg+xml"})
    desks = {}
    for index, name in enumerate(["A1", "A2", "A3", "A4"]):
        desks[name] = admin.post(f"/rooms/{open_space['id']}/desks", {
            "name": name, "x": 0.2 + 0.2 * index, "y": 0.5, "tags": ["monitor"]})
    admin.put(f"/rooms/{open_space['id']}/managers/{people['rita']['id']}")
    lab = admin.post(f"/floors/{floor['id']}/rooms", {"name": "Lab", "description": "Engineering only"})
    admin.post(f"/rooms/{lab['id']}/desks", {"name": "L1", "x": 0.5, "y": 0.5})
    engineering = admin.post(f"/locations/{berlin['id']}/groups", {"name": "Engineering"})
    admin.put(f"/groups/{engineering['id']}/members/{people['gus']['id']}")
    admin.put(f"/rooms/{lab['id']}/gate", {"group_ids": [engineering["id"]]})
    return {"location": berlin, "floor": floor, "open_space": open_space, "lab": lab, "desks": desks, "people": people}

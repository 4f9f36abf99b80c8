#!/usr/bin/env python3
"""End-to-end outbox benchmark against a running DeskPilot server (started by scripts/bench-deliveries.sh).

Mail: an administrator books MAILS bookings for one person (16 clients); each tells the person (`booking.made_for_you`,
e-mail on by default), so MAILS mails go through the outbox, the SMTP client and a real aiosmtpd server. Measured
from the first booking request to the last mail stored by the SMTP server.

Webhooks: a location webhook subscribed to `booking.created` points at Tests/support/webhook_receiver.py (which
verifies every signature); WEBHOOKS bookings are created at full speed (bulk requests of 50 intervals, 8 clients),
each causing one delivery. Measured from the first booking to the last verified delivery. While this runs, the
server's `deskpilot_delivery_queue_age_seconds` histogram gives the queue age (time from a delivery becoming due to
its attempt); its p99 is read from /metrics at the end.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import time
import urllib.request


class API:
    def __init__(self, base, token=None):
        self.base, self.token = base, token

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else None


def token_for(base, username, password):
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.request.Request(base + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                   data=json.dumps({"username": username, "password": password}).encode())
    csrf = json.loads(opener.open(login).read())["csrf_token"]
    create = urllib.request.Request(base + "/api/v1/me/tokens", method="POST",
                                    headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
                                    data=json.dumps({"name": "bench", "scopes": ["read", "write", "admin"]}).encode())
    try:
        return json.loads(opener.open(create).read())["token"]
    except urllib.error.HTTPError:
        create.data = json.dumps({"name": "bench", "scopes": ["read", "write"]}).encode()
        return json.loads(opener.open(create).read())["token"]


def must(answer, expected=(200, 201, 202)):
    status, body = answer
    if status not in expected:
        sys.exit(f"unexpected answer {status}: {body}")
    return body


def setup_place(admin, desks):
    country = must(admin.call("POST", "/api/v1/countries", {"name": "Benchland", "code": "BL"}))["id"]
    location = must(admin.call("POST", "/api/v1/locations", {
        "country_id": country, "name": "Bench HQ", "timezone": "UTC",
        "policy": {"open_weekdays": [1, 2, 3, 4, 5, 6, 7], "max_upcoming_per_user": 10000, "max_concurrent_per_user": 100,
                   "max_advance_days": 365, "bookable_from": "00:00", "bookable_until": "24:00"}}))["id"]
    floor = must(admin.call("POST", f"/api/v1/locations/{location}/floors", {"name": "1", "level": 1}))["id"]
    room = must(admin.call("POST", f"/api/v1/floors/{floor}/rooms", {"name": "Open"}))["id"]
    ids = [must(admin.call("POST", f"/api/v1/rooms/{room}/desks", {"name": f"D{i}", "x": 0.5, "y": 0.5}))["id"] for i in range(desks)]
    return location, ids


def slots(count, desks, first_day):
    """Non-overlapping 30-minute bookings: per desk, 40 a day from 02:00, over days from first_day."""
    today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    for index in range(count):
        desk = desks[index % len(desks)]
        slot = (index // len(desks)) % 40
        day = first_day + index // (len(desks) * 40)
        start = today + datetime.timedelta(days=day, hours=2, minutes=30 * slot)
        yield desk, start, start + datetime.timedelta(minutes=30)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def histogram_buckets(metrics_text, name, channel):
    buckets = {}
    pattern = re.compile(rf'^{name}_bucket\{{(.*)\}} ([0-9.e+]+)$')
    for line in metrics_text.splitlines():
        match = pattern.match(line)
        if match and f'channel="{channel}"' in match.group(1):
            bound = re.search(r'le="([^"]+)"', match.group(1)).group(1)
            buckets[float("inf") if bound == "+Inf" else float(bound)] = float(match.group(2))
    return buckets


def delta_quantile(before, after, quantile):
    """The bucket bound holding the quantile of the attempts counted between two readings of a histogram."""
    delta = sorted((bound, after.get(bound, 0) - before.get(bound, 0)) for bound in after)
    if not delta or delta[-1][1] <= 0:
        return None, 0
    total = delta[-1][1]
    for bound, count in delta:
        if count >= quantile * total:
            return bound, int(total)
    return delta[-1][0], int(total)


def histogram_quantile(metrics_text, name, channel, quantile):
    buckets = []
    pattern = re.compile(rf'^{name}_bucket\{{(.*)\}} ([0-9.e+]+)$')
    for line in metrics_text.splitlines():
        match = pattern.match(line)
        if not match or f'channel="{channel}"' not in match.group(1):
            continue
        bound = re.search(r'le="([^"]+)"', match.group(1)).group(1)
        buckets.append((float("inf") if bound == "+Inf" else float(bound), float(match.group(2))))
    buckets.sort()
    if not buckets or buckets[-1][1] == 0:
        return None, 0
    total = buckets[-1][1]
    for bound, count in buckets:
        if count >= quantile * total:
            return bound, int(total)
    return buckets[-1][0], int(total)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--admin-password", required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--receiver", required=True, help="Tests/support/webhook_receiver.py")
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--webhooks", type=int, default=10000)
    parser.add_argument("--load-tool", help="deskpilot-load: measure the queue age while it creates bookings at full speed")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--load-concurrency", type=int, default=64)
    parser.add_argument("--ping-rate", type=int, default=100, help="test events per second during the load")
    arguments = parser.parse_args()

    admin = API(arguments.base, token_for(arguments.base, "admin", arguments.admin_password))
    location, desks = setup_place(admin, 50)

    if arguments.mails:
        person = must(admin.call("POST", "/api/v1/users", {"username": "mailperson", "email": "mail.person@example.org",
                                                           "password": "person-password", "display_name": "Mail Person",
                                                           "is_superuser": False}))["id"]
        jobs = list(slots(arguments.mails, desks, 2))
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda job: admin.call("POST", "/api/v1/bookings", {
                "desk_id": job[0], "start": iso(job[1]), "end": iso(job[2]), "user_id": person})[0], jobs))
        booked = time.monotonic() - started
        created = answers.count(201)
        if created < len(jobs):
            print(f"note: {len(jobs) - created} bookings refused: {sorted(set(answers))}", flush=True)
        while True:
            stored = len([name for name in os.listdir(arguments.mail_dir) if name.endswith(".eml")])
            if stored >= created or time.monotonic() - started > 120:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        print(f"RESULT mail: {stored} of {created} mails stored by the SMTP server {elapsed:.2f} s after the first booking "
              f"(bookings took {booked:.2f} s)", flush=True)

    if arguments.webhooks:
        # The secret comes with the new endpoint; the receiver needs it, the endpoint the receiver's port.
        hook = must(admin.call("POST", f"/api/v1/locations/{location}/webhooks", {
            "url": "http://127.0.0.1:9/not-yet", "event_types": ["booking.created"]}))
        receiver_log = os.path.join(arguments.work_dir, "deliveries.jsonl")
        receiver = subprocess.Popen([sys.executable, arguments.receiver, "--secret", hook["secret"], "--log", receiver_log],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        port = int(receiver.stdout.readline())
        must(admin.call("PATCH", f"/api/v1/locations/{location}/webhooks/{hook['id']}", {"url": f"http://127.0.0.1:{port}/hook"}))
        # Bulk requests of 50 intervals on one desk each: the bookings come about as fast as the server takes them.
        by_desk = {}
        for desk, start, end in slots(arguments.webhooks, desks, 40):
            by_desk.setdefault(desk, []).append({"start": iso(start), "end": iso(end)})
        batches = [(desk, intervals[index:index + 50]) for desk, intervals in by_desk.items() for index in range(0, len(intervals), 50)]

        def bulk(batch):
            desk, intervals = batch
            return must(admin.call("POST", "/api/v1/bookings/bulk", {"desk_id": desk, "intervals": intervals, "atomic": False}))["created"]

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            created = sum(pool.map(bulk, batches))
        booked = time.monotonic() - started
        delivered = 0
        while time.monotonic() - started < 300:
            with open(receiver_log) as file:
                delivered = len({json.loads(line)["delivery_id"] for line in file if '"answer": "ok"' in line})
            if delivered >= created:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        print(f"RESULT webhooks: {delivered} of {created} deliveries verified by the receiver {elapsed:.2f} s after the first "
              f"booking (bookings took {booked:.2f} s, {created / booked:.0f}/s)", flush=True)
        with urllib.request.urlopen(arguments.base + "/metrics") as response:
            metrics = response.read().decode()
        for channel in ("webhook", "email"):
            p99, total = histogram_quantile(metrics, "deskpilot_delivery_queue_age_seconds", channel, 0.99)
            p50, _ = histogram_quantile(metrics, "deskpilot_delivery_queue_age_seconds", channel, 0.50)
            if total:
                print(f"RESULT queue age {channel}: p50 <= {p50} s, p99 <= {p99} s over {total} attempts", flush=True)

        if arguments.load_tool:
            # Bookings at full speed from the load tool (its own people and places, so they queue no deliveries), while
            # a steady stream of test events goes through the outbox: how long do deliveries wait behind the bookings?
            name = "deskpilot_delivery_queue_age_seconds"
            with urllib.request.urlopen(arguments.base + "/metrics") as response:
                before = histogram_buckets(response.read().decode(), name, "webhook")
            stop = time.monotonic() + 2 + arguments.load_seconds

            def ping():
                sent = 0
                while time.monotonic() < stop:
                    admin.call("POST", f"/api/v1/locations/{location}/webhooks/{hook['id']}/test")
                    sent += 1
                    time.sleep(1 / arguments.ping_rate)
                return sent

            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pings = pool.submit(ping)
                load = subprocess.run([arguments.load_tool, "--scenario", "bookings", "--base-url", arguments.base,
                                       "--admin-user", "admin", "--admin-password", arguments.admin_password,
                                       "--concurrency", str(arguments.load_concurrency), "--duration", str(arguments.load_seconds),
                                       "--warmup", "2"], capture_output=True, text=True)
                sent = pings.result()
            result = next((line for line in load.stdout.splitlines() if line.startswith("RESULT ")), None)
            if result is None:
                sys.exit(f"the load tool gave no result:\n{load.stdout}\n{load.stderr}")
            rate = json.loads(result[7:])["throughput_rps"]
            time.sleep(2)
            with urllib.request.urlopen(arguments.base + "/metrics") as response:
                after = histogram_buckets(response.read().decode(), name, "webhook")
            p50, total = delta_quantile(before, after, 0.50)
            p99, _ = delta_quantile(before, after, 0.99)
            print(f"RESULT queue age under booking load: {sent} test events at about {arguments.ping_rate}/s while "
                  f"{arguments.load_concurrency} clients created {rate:.0f} bookings/s: p50 <= {p50} s, p99 <= {p99} s "
                  f"over {total} attempts", flush=True)
        receiver.stdin.close()
        receiver.wait(timeout=10)


if __name__ == "__main__":
    main()

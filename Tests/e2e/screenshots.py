"""Takes the README's screenshots from the demo organisation (`deskpilot serve --demo`), as a new user would see it.

Usage: scripts/screenshots.sh (builds the server, then runs this with DESKPILOT_SCREENSHOTS=docs/screenshots).
"""
import datetime
import os
import pathlib
import sys
import time


sys.path.insert(0, str(pathlib.Path(__file__).parent))
import conftest  # noqa: E402  (the Browser the tests use)
from office import Client  # noqa: E402
from pages import set_value  # noqa: E402

OUT = os.environ.get("DESKPILOT_SCREENSHOTS", "")
ADMIN = ("admin", "screenshots-admin-password")
DEMO_PASSWORD = "deskpilot-demo"


def shoot(browser, name):
    os.makedirs(OUT, exist_ok=True)
    browser.driver.execute_script("window.scrollTo(0, 0)")
    browser.driver.save_screenshot(os.path.join(OUT, f"{name}.png"))


def settle(browser):
    browser.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    browser.wait.until(lambda d: not d.execute_script("return document.querySelector('[aria-busy=true]')"))
    time.sleep(0.5)


def next_weekday(day, weekday):
    """The first `weekday` (Monday = 0) after `day`."""
    return day + datetime.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def main():
    demo = conftest.ServerProcess("--demo", admin=ADMIN)
    base = demo.base
    try:
        lea = Client(base, "lea.fischer", DEMO_PASSWORD)
        locations = lea.get("/locations")
        berlin = next(location for location in locations if location["name"].startswith("Berlin"))
        rooms = [room for floor in lea.get(f"/locations/{berlin['id']}/floors")
                 for room in lea.get(f"/floors/{floor['id']}/rooms")]
        tuesday = next_weekday(datetime.date.today(), 1).isoformat()
        monday = next_weekday(datetime.date.today(), 0).isoformat()
        room = rooms[0]

        browser = conftest.Browser(base)
        browser.sign_in("lea.fischer", DEMO_PASSWORD)
        set_value(browser, "#day", tuesday)  # a busy day
        settle(browser)
        shoot(browser, "dashboard")
        browser.open(f"/rooms/{room['id']}?date={tuesday}")
        browser.find("#desk-map .desk-marker")
        settle(browser)
        shoot(browser, "room")
        # The dialog on a day Lea has not booked yet (her rule books Tuesday to Thursday).
        browser.open(f"/rooms/{room['id']}?date={monday}")
        browser.find("#desk-map .desk-marker")
        settle(browser)
        free = browser.all('#desk-map .desk-marker[data-state="free"]')
        if free:
            free[0].click()
            browser.visible("#booking-dialog")
            settle(browser)
            shoot(browser, "booking-dialog")
        for path, name in [("/bookings", "my-bookings"), ("/autopilot", "autopilot"), ("/settings", "settings")]:
            browser.open(path)
            settle(browser)
            shoot(browser, name)
        lea.patch("/me/preferences", {"theme": "dark"})
        browser.open("/")
        browser.wait.until(lambda d: d.execute_script("return document.documentElement.dataset.theme") == "dark")
        settle(browser)
        shoot(browser, "dashboard-dark")
        lea.patch("/me/preferences", {"theme": "light"})
        browser.quit()

        phone = conftest.Browser(base, width=390, height=844)
        phone.sign_in("lea.fischer", DEMO_PASSWORD)
        phone.open(f"/rooms/{room['id']}?date={tuesday}")
        phone.find("#desk-map .desk-marker")
        settle(phone)
        shoot(phone, "room-phone")
        phone.quit()

        manager = conftest.Browser(base)
        manager.sign_in("anna.schmidt", DEMO_PASSWORD)
        manager.open("/admin")
        settle(manager)
        shoot(manager, "admin-places")
        manager.open(f"/admin/rooms/{room['id']}")
        manager.find("#desk-editor .editor-desk")
        settle(manager)
        shoot(manager, "desk-editor")
        manager.quit()
    finally:
        demo.stop()


if __name__ == "__main__":
    if not OUT:
        sys.exit("set DESKPILOT_SCREENSHOTS to the folder to write into (scripts/screenshots.sh does)")
    main()

"""Takes the README's screenshots from the demo organisation (`deskpilot serve --demo`), as a new user would see it.

Usage: scripts/screenshots.sh (builds the server, then runs this with DESKPILOT_SCREENSHOTS=docs/screenshots).
"""
import datetime
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import requests
from selenium.webdriver.common.by import By

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import conftest  # noqa: E402  (the Browser the tests use)
from office import Client  # noqa: E402
from pages import set_value  # noqa: E402

OUT = os.environ.get("DESKPILOT_SCREENSHOTS", "")
ADMIN = ("admin", "screenshots-admin-password")
DEMO_PASSWORD = "deskpilot-demo"


def start_demo():
    data = tempfile.mkdtemp(prefix="deskpilot-shots-")
    port = conftest.free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "DESKPILOT_WEB_DIR"}, "DESKPILOT_DATA_DIR": data,
           "DESKPILOT_PORT": str(port), "DESKPILOT_HOST": "127.0.0.1", "DESKPILOT_ADMIN_USERNAME": ADMIN[0],
           "DESKPILOT_ADMIN_PASSWORD": ADMIN[1], "LOG_LEVEL": "warning"}
    binary = shutil.copy2(conftest.BINARY, data)
    log = open(os.path.join(data, "server.log"), "w")
    process = subprocess.Popen([binary, "serve", "--demo"], cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(open(log.name).read())
        try:
            if requests.get(f"{base}/readyz", timeout=1).ok:
                return base, process, data
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the demo server did not become ready in 60 s")


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
    base, process, data = start_demo()
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
        process.terminate()
        process.wait(10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    if not OUT:
        sys.exit("set DESKPILOT_SCREENSHOTS to the folder to write into (scripts/screenshots.sh does)")
    main()

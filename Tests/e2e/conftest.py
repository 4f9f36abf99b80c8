"""Starts a real DeskPilot server process on a fresh SQLite database and drives Debian's headless Chromium."""
import datetime
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import zoneinfo

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import office

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("DESKPILOT_BINARY", ROOT / ".build" / "debug" / "deskpilot"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`deskpilot serve` on a fresh SQLite database, installed as an operator would: the binary copied out of the
    checkout and started from its own folder, so the pages and files it serves can only come from inside it."""

    def __init__(self, *arguments, admin=office.ADMIN, environment=None):
        assert BINARY.exists(), f"{BINARY} is missing: build it with `swift build --product deskpilot`"
        self.data = tempfile.mkdtemp(prefix="deskpilot-e2e-")
        port = free_port()
        env = {**{k: v for k, v in os.environ.items() if k != "DESKPILOT_WEB_DIR"}, "DESKPILOT_DATA_DIR": self.data,
               "DESKPILOT_PORT": str(port), "DESKPILOT_HOST": "127.0.0.1", "DESKPILOT_ADMIN_USERNAME": admin[0],
               "DESKPILOT_ADMIN_PASSWORD": admin[1], "DESKPILOT_BCRYPT_COST": "4", "LOG_LEVEL": "warning",
               **(environment or {})}
        self.log = open(os.path.join(self.data, "server.log"), "w")
        binary = shutil.copy2(BINARY, self.data)
        self.process = subprocess.Popen([binary, "serve", *arguments], cwd=self.data, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        try:
            self._wait_until_ready(seconds=60)
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {open(self.log.name).read()}")
            try:
                if requests.get(f"{self.base}/readyz", timeout=1).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not become ready in {seconds} s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    started = ServerProcess(environment={"DESKPILOT_JOB_INTERVAL": "1"})
    yield started.base
    started.stop()


@pytest.fixture(scope="session")
def place(server):
    return office.create(server)


@pytest.fixture(autouse=True)
def no_bookings_left(server, place):
    """Each test starts with no bookings in the office, whatever the one before it left."""
    yield
    admin = office.Client(server, *office.ADMIN)
    for booking in admin.get(f"/bookings?location_id={place['location']['id']}&limit=200")["items"]:
        admin.call("DELETE", f"/bookings/{booking['id']}")


@pytest.fixture(scope="session")
def tomorrow():
    """A day inside the booking window, in Berlin's calendar."""
    return (datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")) + datetime.timedelta(days=1)).date().isoformat()


class Browser:
    """One headless Chromium window with the steps the tests share."""

    def __init__(self, base, width=1440, height=900):
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={max(width, 800)},{height}", "--lang=en-US"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Selenium Manager cannot download a driver here: use Debian's.
        self.driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
        if width < 800:
            # Headless windows stay at least 500 px wide: emulate the phone's viewport instead, as a phone shows it.
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
        self.base = base

    def open(self, path):
        self.driver.get(self.base + path)

    def sign_in(self, username, password=office.PASSWORD):
        self.open("/login")
        self.find("#username").send_keys(username)
        self.find("#password").send_keys(password)
        self.find("#login-form button[type=submit]").click()
        self.wait.until(lambda d: not d.current_url.rstrip("/").endswith("/login") and "/login?" not in d.current_url)
        # The name in the top bar is filled once the page knows who signed in (it is hidden on phones).
        self.wait.until(lambda d: d.execute_script("return document.getElementById('who')?.textContent") not in (None, ""))

    @property
    def wait(self):
        # Pages re-render lists in place when live events arrive: an element found a moment ago may be replaced.
        return WebDriverWait(self.driver, 20, ignored_exceptions=[StaleElementReferenceException])

    def find(self, selector):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))

    def visible(self, selector):
        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def clickable(self, selector):
        return self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def script(self, source, *args):
        return self.driver.execute_script(source, *args)

    def errors(self):
        """Console errors and CSP violations the page raised."""
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def quit(self):
        self.driver.quit()


@pytest.fixture
def browsers(server):
    """Opens browsers on demand (`browsers()` or `browsers(width=390)`), all closed after the test."""
    opened = []

    def open_browser(**size):
        browser = Browser(server, **size)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.quit()


@pytest.fixture
def browser(browsers):
    return browsers()

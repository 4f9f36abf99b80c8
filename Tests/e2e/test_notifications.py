"""Notifications in the web app: the bell counts live and leads to what happened, the inbox filters, pages and marks
read, Settings shows the channel grid and keeps personal webhooks (the secret shown once), and Admin shows a location
manager their locations' webhooks but not the mail set-up."""
import datetime
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import office
from conftest import ROOT, Browser, ServerProcess
from test_accessibility import scan


def new_person(base, username):
    """A person of their own, so that their inbox holds only what the test sends them."""
    admin = office.Client(base, *office.ADMIN)
    existing = [u for u in admin.get("/users?limit=200")["items"] if u["username"] == username]
    if existing:
        return existing[0]
    return admin.post("/users", {"username": username, "display_name": username.title(), "email": f"{username}@example.com",
                                 "password": office.PASSWORD})


def berlin(day, hour):
    return datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).isoformat()


def book_for(admin, person, desk, day, hour):
    """A booking an administrator makes for `person`: they are told ("Booking made for you")."""
    return admin.post("/bookings", {"desk_id": desk["id"], "user_id": person["id"], "start": berlin(day, hour),
                                    "end": berlin(day, hour + 1)})


def click(browser, selector):
    """Clicks an element scrolled to the middle of the window, clear of the sticky top bar."""
    element = browser.clickable(selector)
    browser.script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def bell_label(browser):
    return browser.find("#bell-button").get_attribute("aria-label")


def badge(browser):
    return browser.script("const b = document.getElementById('bell-count'); return b.hidden ? null : b.textContent")


def wait_for_bell(browser, count):
    label = "Notifications, none unread" if count == 0 else f"Notifications, {count} unread"
    browser.wait.until(lambda d: bell_label(browser) == label, f"the bell never said {label!r}")


def entries(browser, list_selector):
    return browser.script("""return [...document.querySelectorAll(arguments[0] + ' > li')].map((li) => ({
        id: li.dataset.notificationId, kind: li.dataset.kind, unread: 'unread' in li.dataset,
        title: li.querySelector('.notification-title').textContent, href: li.querySelector('a')?.getAttribute('href') ?? null}))""",
                          list_selector)


def test_the_bell_counts_live_and_leads_to_what_happened(server, place, browsers, tomorrow):
    admin = office.Client(server, *office.ADMIN)
    nell = new_person(server, "nell")
    first = book_for(admin, nell, place["desks"]["A1"], tomorrow, 9)

    browser = browsers()
    browser.sign_in("nell")
    wait_for_bell(browser, 1)
    assert badge(browser) == "1"

    # A booking made for her while the page is open counts at once, with a short message, without a reload.
    second = book_for(admin, nell, place["desks"]["A2"], tomorrow, 10)
    wait_for_bell(browser, 2)
    assert badge(browser) == "2"
    browser.wait.until(lambda d: any("Booking made for you" in t for t in browser.script(
        "return [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent)")))

    # The panel lists the latest, newest first and marked unread; one arriving while it is open goes on top.
    browser.clickable("#bell-button").click()
    browser.visible("#bell-panel")
    assert browser.find("#bell-button").get_attribute("aria-expanded") == "true"
    browser.wait.until(lambda d: len(entries(browser, "#bell-list")) == 2)
    shown = entries(browser, "#bell-list")
    assert [e["kind"] for e in shown] == ["booking.made_for_you"] * 2 and all(e["unread"] for e in shown)
    assert shown[0]["href"] == f"/bookings?booking={second['id'].lower()}"
    admin.call("DELETE", f"/bookings/{first['id']}")
    browser.wait.until(lambda d: len(entries(browser, "#bell-list")) == 3)
    assert entries(browser, "#bell-list")[0]["kind"] == "booking.cancelled_for_you"
    wait_for_bell(browser, 3)

    # Escape closes the panel and gives focus back to the bell.
    browser.find("#bell-panel").send_keys(Keys.ESCAPE)
    browser.wait.until(lambda d: not browser.find("#bell-panel").is_displayed())
    assert browser.script("return document.activeElement.id") == "bell-button"

    # Following an entry lands on what it is about and marks it read.
    browser.clickable("#bell-button").click()
    browser.wait.until(lambda d: len(entries(browser, "#bell-list")) == 3)
    target = next(e for e in entries(browser, "#bell-list") if e["href"] == f"/bookings?booking={second['id'].lower()}")
    browser.clickable(f'#bell-list li[data-notification-id="{target["id"]}"] a').click()
    browser.wait.until(lambda d: "/bookings" in d.current_url)
    wait_for_bell(browser, 2)
    nell_api = office.Client(server, "nell", office.PASSWORD)
    read = {n["id"]: n.get("read_at") for n in nell_api.get("/me/notifications")["items"]}
    assert read[target["id"]] is not None
    assert sum(1 for at in read.values() if at is None) == 2

    # "Mark all read" clears the badge.
    browser.clickable("#bell-button").click()
    browser.wait.until(lambda d: len(entries(browser, "#bell-list")) == 3)
    browser.clickable("#bell-mark-all").click()
    wait_for_bell(browser, 0)
    assert badge(browser) is None
    assert all(not e["unread"] for e in entries(browser, "#bell-list"))
    assert nell_api.get("/me/notifications?unread=true&limit=1")["unread_count"] == 0
    assert browser.errors() == []


def test_the_bell_caps_its_badge_and_fits_a_phone(server, place, browsers, tomorrow):
    admin = office.Client(server, *office.ADMIN)
    nadia = new_person(server, "nadia")
    for _ in range(50):
        booking = book_for(admin, nadia, place["desks"]["A4"], tomorrow, 16)
        admin.call("DELETE", f"/bookings/{booking['id']}")
    phone = browsers(width=390, height=800)
    phone.sign_in("nadia")
    wait_for_bell(phone, 100)
    assert badge(phone) == "99+"
    # Beside the menu button, outside the folded menu; its panel stays inside the screen.
    assert phone.find("#bell-button").is_displayed() and phone.find("#nav-toggle").is_displayed()
    phone.clickable("#bell-button").click()
    phone.visible("#bell-panel")
    phone.wait.until(lambda d: len(entries(phone, "#bell-list")) == 8)
    box = phone.script("const r = document.getElementById('bell-panel').getBoundingClientRect(); return [r.left, r.right]")
    assert box[0] >= 0 and box[1] <= 390
    # Focus moved into the panel; Tab walks its entries, Escape goes back to the bell.
    assert phone.script("return document.getElementById('bell-panel').contains(document.activeElement)")
    phone.find("#bell-panel").send_keys(Keys.TAB)
    assert phone.script("return document.activeElement.closest('#bell-panel') !== null")
    phone.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    phone.wait.until(lambda d: not phone.find("#bell-panel").is_displayed())
    assert phone.script("return document.activeElement.id") == "bell-button"
    assert phone.errors() == []


def test_only_paths_of_this_app_are_followed(browser):
    browser.sign_in("ann")
    verdicts = browser.driver.execute_async_script("""const done = arguments[arguments.length - 1];
        import('/js/notifications/entry.js').then(({ safeLink }) => done(Object.fromEntries(arguments[0].map((link) => [link, safeLink(link)]))));""",
        ["/bookings?booking=1", "/settings#webhooks", "//evil.example/x", "/\\evil.example", "/\t/evil.example",
         "https://evil.example/", "javascript:alert(1)", "bookings", ""])
    assert verdicts == {"/bookings?booking=1": "/bookings?booking=1", "/settings#webhooks": "/settings#webhooks",
                        "//evil.example/x": None, "/\\evil.example": None, "/\t/evil.example": None,
                        "https://evil.example/": None, "javascript:alert(1)": None, "bookings": None, "": None}


def test_the_inbox_filters_pages_and_marks_read(server, place, browsers, tomorrow):
    admin = office.Client(server, *office.ADMIN)
    nico = new_person(server, "nico")
    # 26 notifications: 13 bookings made for him and cancelled again, each telling him.
    for _ in range(13):
        booking = book_for(admin, nico, place["desks"]["A3"], tomorrow, 14)
        admin.call("DELETE", f"/bookings/{booking['id']}")
    nico_api = office.Client(server, "nico", office.PASSWORD)
    oldest = nico_api.get("/me/notifications?limit=100")["items"][-6:]
    nico_api.post("/me/notifications/read", {"ids": [n["id"] for n in oldest]})

    browser = browsers()
    browser.sign_in("nico")
    browser.open("/notifications")
    browser.wait.until(lambda d: len(entries(browser, "#inbox-list")) == 25)
    assert browser.find("[data-filter=all]").get_attribute("aria-pressed") == "true"
    more = browser.visible("#inbox-more")
    more.click()
    browser.wait.until(lambda d: len(entries(browser, "#inbox-list")) >= 26)
    listed = [e["id"] for e in entries(browser, "#inbox-list")]
    assert len(listed) == len(set(listed)) == 26, f"the second page repeats or skips entries: {len(listed)} listed, {len(set(listed))} distinct"
    assert not browser.find("#inbox-more").is_displayed()
    shown = entries(browser, "#inbox-list")
    assert sum(1 for e in shown if e["unread"]) == 20
    assert "26 notifications shown, 20 unread" in browser.find("#inbox-summary").text
    wait_for_bell(browser, 20)

    # Marking one read changes the entry and the bell at once.
    newest = shown[0]
    click(browser, f'#inbox-list li[data-notification-id="{newest["id"]}"] [data-action=read]')
    browser.wait.until(lambda d: not entries(browser, "#inbox-list")[0]["unread"])
    wait_for_bell(browser, 19)
    assert nico_api.get("/me/notifications?unread=true&limit=1")["unread_count"] == 19

    # Only the unread ones, in the address too so that a reload keeps the filter.
    click(browser, "[data-filter=unread]")
    browser.wait.until(lambda d: len(entries(browser, "#inbox-list")) == 19)
    assert all(e["unread"] for e in entries(browser, "#inbox-list"))
    assert browser.driver.current_url.endswith("/notifications?show=unread")
    assert not browser.find("#inbox-more").is_displayed()

    # A new one arrives live on top.
    arrived = book_for(admin, nico, place["desks"]["A4"], tomorrow, 15)
    browser.wait.until(lambda d: len(entries(browser, "#inbox-list")) == 20)
    top = entries(browser, "#inbox-list")[0]
    assert top["kind"] == "booking.made_for_you" and top["unread"]
    assert top["href"] == f"/bookings?booking={arrived['id'].lower()}"
    wait_for_bell(browser, 20)

    click(browser, "#inbox-mark-all")
    browser.wait.until(lambda d: not any(e["unread"] for e in entries(browser, "#inbox-list")))
    wait_for_bell(browser, 0)
    assert browser.find("#inbox-mark-all").get_attribute("disabled") is not None

    # Nothing unread: the empty state says what shows up here and where to choose channels.
    browser.open("/notifications?show=unread")
    empty = browser.visible("#inbox-empty")
    assert "Nothing unread" in empty.text and "check-in reminders" in empty.text
    assert empty.find_element(By.CSS_SELECTOR, "a").get_attribute("href").endswith("/settings#notifications")
    assert browser.find("[data-filter=unread]").get_attribute("aria-pressed") == "true"
    assert browser.errors() == []


def test_settings_show_the_channel_grid_with_the_inbox_always_on(server, browsers):
    new_person(server, "noor")
    browser = browsers()
    browser.sign_in("noor")
    browser.open("/settings#notifications")
    browser.wait.until(lambda d: not browser.find("#notification-grid").get_attribute("aria-busy"))
    kinds = browser.script("return [...document.querySelectorAll('#notification-grid tr[data-kind]')].map((r) => r.dataset.kind)")
    assert {"booking.made_for_you", "booking.cancelled_for_you", "allocation.won", "check_in.reminder", "autopilot.error"} <= set(kinds)
    groups = browser.script("return [...document.querySelectorAll('#notification-grid .grid-group th')].map((th) => th.textContent)")
    assert groups[:2] == ["Bookings", "Allocation"]
    inbox = browser.all("#notification-grid td[data-channel=inbox] input[type=checkbox]")
    assert len(inbox) == len(kinds)
    assert all(box.is_selected() and not box.is_enabled() for box in inbox)
    # The tests' server has no SMTP: e-mail cannot be chosen, and the page says why.
    assert browser.all("#notification-grid td[data-channel=email] input") == []
    note = browser.visible("#notification-channel-notes .channel-unavailable[data-channel=email]")
    assert "E-mail is not set up on this server" in note.text
    assert browser.errors() == []


# MARK: webhooks and e-mail, on a server that may call loopback addresses and has a mail server set up

class MailSink:
    """The project's SMTP server for tests (Tests/support/smtp_sink.py), told through its stdin what to refuse."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="deskpilot-e2e-mail-")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "Tests" / "support" / "smtp_sink.py"), "--dir", self.folder],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.process.stdout.readline().split()
        assert ready[:1] == ["READY"], f"the SMTP sink did not start: {ready}"
        self.port = int(ready[1])

    def tell(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "OK"

    def received(self):
        return sorted(pathlib.Path(self.folder).glob("*.eml"))

    def stop(self):
        self.process.stdin.close()
        self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def mail_sink():
    sink = MailSink()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def hooks_server(mail_sink):
    """A server of its own that allows private webhook targets, as an on-premises install would, and sends mail to
    the test's SMTP server."""
    started = ServerProcess(environment={
        "DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true", "DESKPILOT_JOB_INTERVAL": "1",
        "DESKPILOT_SMTP_URL": f"smtp://127.0.0.1:{mail_sink.port}?tls=none",
        "DESKPILOT_MAIL_FROM": "DeskPilot <deskpilot@example.com>"})
    yield started.base
    started.stop()


@pytest.fixture
def hooks_browsers(hooks_server):
    opened = []

    def open_browser(**size):
        browser = Browser(hooks_server, **size)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.quit()


def type_into(browser, selector, text):
    field = browser.clickable(selector)
    field.clear()
    field.send_keys(text)


def network_errors(browser):
    """Console errors other than the answers the test provoked on purpose (a refused URL is a 422)."""
    return [e for e in browser.errors() if "status of 422" not in e["message"]]


def test_a_personal_webhook_shows_its_secret_once_and_keeps_a_log(hooks_server, hooks_browsers):
    new_person(hooks_server, "wendy")
    wendy = office.Client(hooks_server, "wendy", office.PASSWORD)
    browser = hooks_browsers()
    browser.sign_in("wendy")
    browser.open("/settings#webhooks")
    browser.visible("#webhooks .webhook-summary")
    assert "No webhooks" in browser.find("#webhooks .webhook-summary").text

    browser.clickable("#my-webhook-add").click()
    assert browser.find("#my-webhook-add").get_attribute("aria-expanded") == "true"
    # Not https: the server's refusal shows under the address.
    type_into(browser, "#my-webhook-form input[name=url]", "ftp://example.com/hook")
    browser.clickable("#my-webhook-form button[type=submit]").click()
    error = browser.visible("#my-webhook-form .webhook-url-field .field-error")
    assert "https" in error.text
    assert browser.find("#my-webhook-form input[name=url]").get_attribute("aria-invalid") == "true"
    assert wendy.get("/me/webhooks") == []

    type_into(browser, "#my-webhook-form input[name=url]", "http://127.0.0.1:9/hook")
    type_into(browser, "#my-webhook-form input[name=description]", "Team chat bridge")
    browser.clickable('#my-webhook-form input[value="booking.made_for_you"]').click()
    browser.clickable("#my-webhook-form button[type=submit]").click()

    # The secret is shown once, selected for copying, with how to check a signature.
    secret_field = browser.visible("#my-webhook-secret-value")
    secret = secret_field.get_attribute("value")
    assert len(secret) >= 24
    assert browser.script("return document.activeElement.id") == "my-webhook-secret-value"
    help_text = browser.find("#my-webhook-secret .signature-help").get_attribute("textContent")
    assert "DeskPilot-Signature: t=" in help_text and "HMAC-SHA256" in help_text and "t.body" in help_text
    item = browser.visible("#my-webhook-list li.webhook")
    assert "http://127.0.0.1:9/hook" in item.text and "Team chat bridge" in item.text and "Active" in item.text
    [stored] = wendy.get("/me/webhooks")
    assert stored["event_types"] == ["booking.created", "booking.changed", "booking.cancelled", "booking.made_for_you"]
    assert "secret" not in stored

    # After a reload the list is there, the secret is not.
    browser.driver.refresh()
    browser.visible("#my-webhook-list li.webhook")
    assert not browser.find("#my-webhook-secret").is_displayed()
    assert secret not in browser.driver.page_source

    # A test event shows in the endpoint's log, with the attempt that failed against a closed port.
    item = browser.find(f'#my-webhook-list li[data-webhook-id="{stored["id"]}"]')
    item.find_element(By.CSS_SELECTOR, "[data-action=test]").click()
    browser.visible(f'#my-webhook-{stored["id"]}-log')
    browser.wait.until(lambda d: browser.all(f'#my-webhook-{stored["id"]}-log tr[data-delivery-id]'))
    row = browser.find(f'#my-webhook-{stored["id"]}-log tr[data-delivery-id]')
    assert "webhook.ping" in row.text
    WebDriverWait(browser.driver, 40).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f'#my-webhook-{stored["id"]}-log tr[data-delivery-id] .delivery-error').text not in ("", "—"),
        "the failed attempt never showed in the log")

    # Switched off and on again, then edited in a dialog.
    browser.clickable(f'li[data-webhook-id="{stored["id"]}"] [data-action=switch-off]').click()
    browser.wait.until(lambda d: "Switched off" in browser.find(f'li[data-webhook-id="{stored["id"]}"] .webhook-head').text)
    assert wendy.get(f"/me/webhooks/{stored['id']}")["active"] is False
    browser.clickable(f'li[data-webhook-id="{stored["id"]}"] [data-action=switch-on]').click()
    browser.wait.until(lambda d: "Active" in browser.find(f'li[data-webhook-id="{stored["id"]}"] .webhook-head').text)
    browser.clickable(f'li[data-webhook-id="{stored["id"]}"] [data-action=edit]').click()
    type_into(browser, "dialog.webhook-dialog input[name=description]", "Visitor desk")
    browser.clickable("dialog.webhook-dialog button[type=submit]").click()
    browser.wait.until(lambda d: "Visitor desk" in browser.find(f'li[data-webhook-id="{stored["id"]}"]').text)
    assert wendy.get(f"/me/webhooks/{stored['id']}")["description"] == "Visitor desk"

    # Deleting asks first.
    browser.clickable(f'li[data-webhook-id="{stored["id"]}"] [data-action=delete]').click()
    browser.clickable("#my-webhook-delete-confirm").click()
    browser.wait.until(lambda d: browser.all("#my-webhook-list li.webhook") == [])
    assert wendy.get("/me/webhooks") == []
    assert network_errors(browser) == []


def test_a_location_manager_keeps_location_webhooks_but_sees_no_mail_set_up(hooks_server, hooks_browsers):
    admin = office.Client(hooks_server, *office.ADMIN)
    country = admin.post("/countries", {"name": "Netherlands", "code": "NL"})
    amsterdam = admin.post("/locations", {"country_id": country["id"], "name": "Amsterdam", "address": "Damrak 1",
                                          "timezone": "Europe/Amsterdam"})
    lena = new_person(hooks_server, "lena")
    admin.put(f"/locations/{amsterdam['id']}/managers/{lena['id']}")

    manager = hooks_browsers()
    manager.sign_in("lena")
    manager.open("/admin/notifications")
    manager.wait.until(lambda d: not manager.find("#admin-content").get_attribute("aria-busy"))
    assert "Notifications" in manager.find("#admin-nav").text
    assert not manager.find("#mail").is_displayed() and not manager.find("#deliveries").is_displayed()
    assert manager.visible("#webhooks").is_displayed()
    options = manager.script("return [...document.querySelectorAll('#webhook-location option')].map((o) => o.textContent)")
    assert options == ["Amsterdam"]
    # The mail set-up is not hers to see: the page did not even ask.
    lena_api = requests.Session()
    login = lena_api.post(f"{hooks_server}/api/v1/auth/login", json={"username": "lena", "password": office.PASSWORD})
    assert lena_api.get(f"{hooks_server}/api/v1/admin/mail").status_code == 403 and login.ok

    manager.clickable("#location-webhook-add").click()
    type_into(manager, "#location-webhook-form input[name=url]", "http://127.0.0.1:9/visitors")
    manager.clickable("#location-webhook-form button[type=submit]").click()
    manager.visible("#location-webhook-secret-value")
    manager.wait.until(lambda d: "http://127.0.0.1:9/visitors" in manager.find("#location-webhook-list").text)
    [stored] = admin.get(f"/locations/{amsterdam['id']}/webhooks")
    assert stored["url"] == "http://127.0.0.1:9/visitors" and stored["location_id"] == amsterdam["id"]
    assert manager.errors() == []


def delivery_rows(browser):
    return browser.script("""return [...document.querySelectorAll('#deliveries-log tr[data-delivery-id]')].map((tr) => ({
        id: tr.dataset.deliveryId, status: tr.dataset.status, text: tr.textContent}))""")


def test_an_administrator_sends_a_test_mail_and_redelivers_what_failed(hooks_server, hooks_browsers, mail_sink):
    administrator = hooks_browsers()
    administrator.sign_in(office.ADMIN[0], office.ADMIN[1])
    administrator.open("/admin/notifications")
    settings = administrator.visible("#mail-settings").text
    assert f"127.0.0.1:{mail_sink.port}" in settings and "DeskPilot <deskpilot@example.com>" in settings and "None" in settings
    administrator.visible("#deliveries")
    assert administrator.find("#deliveries-status").get_attribute("value") == "failed"

    # Not an address: the server's answer shows under the field.
    type_into(administrator, "#mail-test-to", "not-an-address")
    administrator.clickable("#mail-test-form button[type=submit]").click()
    assert "e-mail address" in administrator.visible("#mail-test-form .field-error").text

    # The mail server refuses the recipient for good: the delivery fails at once.
    mail_sink.tell("refuse-rcpt 1 550")
    type_into(administrator, "#mail-test-to", "ops@example.com")
    administrator.clickable("#mail-test-form button[type=submit]").click()
    administrator.wait.until(lambda d: any("Test mail to ops@example.com queued" in t for t in administrator.script(
        "return [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent)")))
    # The list now shows every status, the new e-mail on top, followed until it is settled.
    assert administrator.find("#deliveries-status").get_attribute("value") == ""
    WebDriverWait(administrator.driver, 40).until(lambda d: (delivery_rows(administrator) or [{}])[0].get("status") == "failed")
    failed = delivery_rows(administrator)[0]
    assert "E-mail" in failed["text"] and "550" in failed["text"]
    assert mail_sink.received() == []

    # Redelivered, it goes out as a new delivery and arrives. (The "queued" toast goes after 4 s; it may cover the
    # button until then.)
    WebDriverWait(administrator.driver, 10).until(lambda d: not administrator.all("#toasts .toast"))
    administrator.clickable(f'#deliveries-log tr[data-delivery-id="{failed["id"]}"] [data-action=redeliver]').click()
    WebDriverWait(administrator.driver, 40).until(
        lambda d: any(r["status"] == "delivered" and r["id"] != failed["id"] for r in delivery_rows(administrator)))
    assert len(mail_sink.received()) == 1
    assert network_errors(administrator) == []


def test_e_mail_can_be_switched_per_kind_where_the_server_sends_mail(hooks_server, hooks_browsers):
    new_person(hooks_server, "emil")
    emil = office.Client(hooks_server, "emil", office.PASSWORD)
    browser = hooks_browsers()
    browser.sign_in("emil")
    browser.open("/settings#notifications")
    browser.wait.until(lambda d: not browser.find("#notification-grid").get_attribute("aria-busy"))
    assert not browser.all("#notification-channel-notes .channel-unavailable")
    box = browser.find('#notification-grid tr[data-kind="allocation.won"] td[data-channel=email] input')
    assert box.is_selected() and box.is_enabled()
    box.click()
    browser.wait.until(lambda d: any("E-mail for “You got a desk”: off" in t for t in browser.script(
        "return [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent)")))
    saved = {k["kind"]: k["channels"] for k in emil.get("/me/notification-settings")["kinds"]}
    assert saved["allocation.won"] == {"inbox": True, "email": False}
    assert saved["booking.made_for_you"]["email"] is True
    # The inbox stays on whatever happens.
    inbox = browser.find('#notification-grid tr[data-kind="allocation.won"] td[data-channel=inbox] input')
    assert inbox.is_selected() and not inbox.is_enabled()
    browser.driver.refresh()
    browser.wait.until(lambda d: not browser.find("#notification-grid").get_attribute("aria-busy"))
    assert not browser.find('#notification-grid tr[data-kind="allocation.won"] td[data-channel=email] input').is_selected()
    assert browser.errors() == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_notification_pages_pass_the_accessibility_scan(browser, server, theme):
    office.Client(server, *office.ADMIN).patch("/me/preferences", {"theme": theme})
    browser.sign_in(*office.ADMIN)
    found = {}
    for path in ["/notifications", "/admin/notifications"]:
        browser.open(path)
        if path == "/admin/notifications":
            # The tests' server has no SMTP: the page says so and how to set it up.
            assert "DESKPILOT_SMTP_URL" in browser.visible("#mail-not-configured").text
        browser.wait.until(lambda d: d.execute_script("return document.documentElement.dataset.theme") == theme)
        critical, serious, axe = scan(browser)
        if critical or serious:
            found[path] = axe.report(critical + serious)
        # The bell's panel, open, is part of every page.
        browser.clickable("#bell-button").click()
        browser.visible("#bell-panel")
        browser.wait.until(lambda d: not browser.find("#bell-list").get_attribute("aria-busy"))
        critical, serious, axe = scan(browser)
        if critical or serious:
            found[f"{path} (bell open)"] = axe.report(critical + serious)
    assert found == {}, "\n".join(f"{p}: {r}" for p, r in found.items())
    assert browser.errors() == []

"""What a new user meets first: the top bar and the floor map at phone width, the administrator's first-run guide on an
empty installation, and a demo office that looks lived in."""
import datetime
import re
import zoneinfo

import pytest
from selenium.webdriver.common.keys import Keys

import office
from conftest import Browser, ServerProcess
from pages import open_room

LINKS = ["Desks", "My bookings", "Autopilot", "Settings"]


@pytest.fixture(scope="module")
def empty_server():
    """Another server on its own empty database (the session's `server` already has the test office)."""
    started = ServerProcess()
    yield started.base
    started.stop()


@pytest.fixture(scope="module")
def demo_server():
    started = ServerProcess("--demo")
    yield started.base
    started.stop()


def menu_state(browser):
    return browser.script("return document.getElementById('nav-toggle').getAttribute('aria-expanded')")


def test_the_phone_menu_shows_every_section_and_who_is_signed_in(browsers):
    phone = browsers(width=390, height=844)
    phone.sign_in("ann")
    width = phone.script("return document.documentElement.clientWidth")
    toggle = phone.visible("#nav-toggle")
    assert menu_state(phone) == "false"
    assert not phone.find("#who").is_displayed()
    assert all(not link.is_displayed() for link in phone.all(".mainnav a"))

    toggle.click()
    assert menu_state(phone) == "true"
    shown = [link for link in phone.all(".mainnav a") if link.is_displayed()]
    assert [link.text for link in shown] == LINKS
    for element in shown + [phone.find("#who"), phone.find("#sign-out"), phone.find("#theme-toggle")]:
        box = element.rect
        assert element.is_displayed() and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{element.text} is cut off"
    assert phone.find("#who").text == "Ann Becker"
    assert phone.script("return document.documentElement.scrollWidth") <= width, "the page scrolls sideways"

    # Escape closes the menu and gives focus back to its button; the keyboard opens it again.
    phone.find(".mainnav a").send_keys(Keys.ESCAPE)
    phone.wait.until(lambda d: menu_state(phone) == "false")
    assert phone.script("return document.activeElement.id") == "nav-toggle"
    assert not phone.find("#who").is_displayed()
    phone.script("document.activeElement.blur(); document.getElementById('nav-toggle').focus()")
    phone.driver.switch_to.active_element.send_keys(Keys.ENTER)
    phone.wait.until(lambda d: menu_state(phone) == "true")
    phone.all(".mainnav a")[2].click()
    phone.wait.until(lambda d: d.current_url.endswith("/autopilot"))
    assert menu_state(phone) == "false"


def test_the_wide_top_bar_needs_no_menu(browser):
    browser.sign_in("ann")
    assert not browser.find("#nav-toggle").is_displayed()
    assert [link.text for link in browser.all(".mainnav a") if link.is_displayed()] == LINKS
    assert browser.find("#who").is_displayed()


def test_the_map_fills_a_phone_and_zooms(browsers, place, tomorrow):
    phone = browsers(width=390, height=844)
    phone.sign_in("ann")
    open_room(phone, place["open_space"], tomorrow, "15:00", "17:00")
    width = phone.script("return document.documentElement.clientWidth")
    scroller = phone.find("#map-scroller").rect
    assert scroller["width"] >= width - 40, "the map does not use the phone's width"
    canvas = lambda: phone.find("#desk-map").rect["width"]
    start = canvas()
    assert start >= scroller["width"] - 2

    phone.clickable("#map-zoom-in").click()
    phone.wait.until(lambda d: canvas() >= 1.4 * start)
    assert phone.find("#map-zoom-level").text == "150%"
    # Markers keep their size when the plan grows, so their names stay readable and they stay easy to tap.
    for element in phone.all("#desk-map .desk-marker"):
        assert element.rect["height"] >= 24 and element.rect["width"] >= 24
    font = phone.script("return parseFloat(getComputedStyle(document.querySelector('.desk-marker')).fontSize)")
    assert font >= 11

    # A trackpad's pinch (ctrl+wheel) zooms the plan, not the page.
    before = canvas()
    phone.script("""
        const box = document.getElementById('map-scroller').getBoundingClientRect();
        document.getElementById('map-scroller').dispatchEvent(new WheelEvent('wheel', {
          deltaY: -40, ctrlKey: true, bubbles: true, cancelable: true, clientX: box.left + 50, clientY: box.top + 50}));
    """)
    phone.wait.until(lambda d: canvas() > before * 1.2)

    # The keyboard zooms too, from a desk, and arrows still move between desks.
    phone.clickable("#map-zoom-out").click()
    phone.clickable("#map-zoom-out").click()
    phone.clickable("#map-zoom-out").click()
    phone.wait.until(lambda d: phone.find("#map-zoom-level").text == "100%")
    first = phone.find("#desk-map .desk-marker")
    phone.script("arguments[0].focus()", first)
    first.send_keys("+")
    phone.wait.until(lambda d: phone.find("#map-zoom-level").text == "150%")
    first.send_keys(Keys.ARROW_RIGHT)
    assert phone.script("return document.activeElement.classList.contains('desk-marker')")
    assert phone.script("return document.activeElement") != first


def test_the_first_run_guide_leads_an_administrator_and_not_a_user(empty_server):
    admin_api = office.Client(empty_server, *office.ADMIN)
    browser = Browser(empty_server)
    user = Browser(empty_server)
    try:
        browser.sign_in(*office.ADMIN)
        browser.visible("#setup-guide")
        steps = browser.all("#setup-steps > li")
        assert [step.get_attribute("data-step") for step in steps] == ["location", "floor", "room", "desks", "people"]
        assert "0 of 5" in browser.find("#setup-progress").text
        assert browser.find('#setup-steps [data-step="location"] a').get_attribute("href").endswith("/admin")
        assert "next" in steps[0].get_attribute("class")
        assert "No locations yet" in browser.find("#places").text
        assert "Ask an administrator" not in browser.find("#places").text

        # Each step is ticked off as it is done through the admin pages' API.
        uma = admin_api.post("/users", {"username": "uma", "display_name": "Uma User", "email": "uma@example.com",
                                        "password": office.PASSWORD})
        assert uma["username"] == "uma"
        user.sign_in("uma")
        user.find("#places .empty")
        assert "Ask an administrator" in user.find("#places").text
        assert user.find("#setup-guide").get_attribute("data-checked") == "not-a-manager"
        assert not user.find("#setup-guide").is_displayed()

        country = admin_api.post("/countries", {"name": "Germany", "code": "DE"})
        location = admin_api.post("/locations", {"country_id": country["id"], "name": "Hamburg", "address": "Jungfernstieg 1",
                                                 "timezone": "Europe/Berlin"})
        browser.driver.refresh()
        browser.wait.until(lambda d: "2 of 5" in browser.find("#setup-progress").text)
        done = [step.get_attribute("data-step") for step in browser.all("#setup-steps > li.done")]
        assert done == ["location", "people"]
        floor_link = browser.find('#setup-steps [data-step="floor"] a').get_attribute("href")
        assert floor_link.endswith(f"/admin/locations/{location['id']}#floors")

        floor = admin_api.post(f"/locations/{location['id']}/floors", {"name": "Ground floor", "level": 0})
        room = admin_api.post(f"/floors/{floor['id']}/rooms", {"name": "Harbour view"})
        browser.driver.refresh()
        browser.wait.until(lambda d: "4 of 5" in browser.find("#setup-progress").text)
        assert browser.find('#setup-steps [data-step="desks"] a').get_attribute("href").endswith(f"/admin/rooms/{room['id']}")

        admin_api.post(f"/rooms/{room['id']}/desks", {"name": "H1", "x": 0.5, "y": 0.5})
        browser.driver.refresh()
        browser.find("#places .location")
        browser.find('#setup-guide[data-checked="all-done"]')
        assert not browser.find("#setup-guide").is_displayed()
        assert not browser.errors()
    finally:
        browser.quit()
        user.quit()


def test_the_demo_office_is_busy_midweek(demo_server):
    """Last week in the demo's Berlin office: most desks taken Tuesday to Thursday, fewer on Monday and Friday."""
    lea = office.Client(demo_server, "lea.fischer", "deskpilot-demo")
    berlin = next(place for place in lea.get("/locations") if place["name"] == "Berlin")
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    browser = Browser(demo_server)
    try:
        browser.sign_in("lea.fischer", "deskpilot-demo")
        free = {}
        for offset in range(5):
            day = (monday + datetime.timedelta(days=offset)).isoformat()
            browser.open(f"/?date={day}")
            total = f'[data-total="{berlin["id"]}"]'
            browser.wait.until(lambda d: day_label(browser, total, day))
            free[offset], desks = map(int, re.match(r"(\d+) of (\d+) desks free", browser.find(total).text).groups())
        for midweek in (1, 2, 3):
            assert free[midweek] <= 0.3 * desks, free
        for edge in (0, 4):
            assert free[edge] >= 0.35 * desks and free[edge] > max(free[1], free[2], free[3]) + 5, free
    finally:
        browser.quit()


def day_label(browser, selector, day):
    text = browser.script("return document.querySelector(arguments[0])?.textContent ?? ''", selector)
    return "desks free on" in text and day in text

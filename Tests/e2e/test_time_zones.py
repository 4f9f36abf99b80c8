"""One rule for times on every page (docs/time.md), seen from a browser in another zone than the office.

The office is in Berlin; Chromium runs in New York time; the person prefers Tokyo time. A place's times (the booking)
must read as Berlin's clock everywhere, labelled "Berlin time"; times of no place (the audit log) in the person's
own zone, the same for every row.
"""
import datetime
import re
import zoneinfo

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys

from office import ADMIN, Client, PASSWORD

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BROWSER_ZONE = "America/New_York"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def in_zone(browsers, zone=BROWSER_ZONE, **size):
    """A browser whose own zone is `zone`. DevTools' Emulation.setTimezoneOverride changes what the page's Intl and
    Date see (checked below); so does TZ in the driver's environment, but the override needs no separate driver."""
    browser = browsers(**size)
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    return browser


def next_weekday():
    """The first Monday–Friday after today in Berlin: new locations open on weekdays only."""
    day = datetime.datetime.now(BERLIN).date() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def person(server, username, **preferences):
    """A new person with these preferences, signed in through the API."""
    admin = Client(server, *ADMIN)
    if not any(u["username"] == username for u in admin.get("/users?limit=200")["items"]):
        admin.post("/users", {"username": username, "display_name": username.title(),
                              "email": f"{username}@example.com", "password": PASSWORD})
    client = Client(server, username, PASSWORD)
    client.patch("/me/preferences", preferences)
    return client


def book(client, desk, day, start, end):
    at = lambda clock: datetime.datetime.fromisoformat(f"{day.isoformat()}T{clock}").replace(tzinfo=BERLIN).isoformat()
    return client.post("/bookings", {"desk_id": desk["id"], "start": at(start), "end": at(end)})


def text_of(browser, selector):
    """Text content, hidden parts included (screen-reader text is part of what the page says)."""
    return browser.script("return document.querySelector(arguments[0])?.textContent ?? null", selector)


def click(browser, selector):
    """Clicks what `selector` finds, looking it up again if a live update drew the list anew in between."""
    for _ in range(5):
        try:
            browser.clickable(selector).click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{selector} kept being replaced")


def wait_text(browser, selector, expected):
    browser.wait.until(lambda d: expected in (text_of(browser, selector) or ""),
                       f"{selector} never said {expected!r}; it says {text_of(browser, selector)!r}")


def test_a_booking_shows_berlin_hours_on_every_page_from_new_york(browsers, server, place):
    day = next_weekday()
    tia = person(server, "tia", timezone="Asia/Tokyo", date_format="DD.MM.YYYY", time_format="24h")
    booking = book(tia, place["desks"]["A1"], day, "09:00", "17:00")
    shown_day = f"{WEEKDAYS[day.weekday()]} {day.strftime('%d.%m.%Y')}"
    hours = f"{shown_day} 09:00–17:00 Berlin time"

    browser = in_zone(browsers)
    browser.sign_in("tia")
    assert browser.script("return Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE

    # The list and "At a glance".
    browser.open("/bookings")
    item = f'#bookings-list li.booking[data-booking-id="{booking["id"]}"]'
    wait_text(browser, f"{item} .booking-time", f"{shown_day} 09:00–17:00")
    assert "Berlin time" in text_of(browser, f"{item} .booking-zone")
    wait_text(browser, "#stats-body .stat-next", f"Desk A1, {hours}")
    assert "location" in text_of(browser, "#stats-zone")

    # The calendar: day, week and month views put it at the same hours.
    for view in ["day", "week"]:
        browser.open(f"/bookings?view={view}&date={day.isoformat()}")
        event = f'#calendar .cal-event[data-booking-id="{booking["id"]}"]'
        wait_text(browser, f"{event} .cal-event-time", "09:00–17:00")
        assert browser.script("return document.querySelector(arguments[0]).title", event) == hours
        assert "times in Berlin time" in text_of(browser, "#view-note")
    browser.open(f"/bookings?view=month&date={day.isoformat()}")
    chip = f'#calendar .cal-chip[data-booking-id="{booking["id"]}"]'
    wait_text(browser, f"{chip} .cal-chip-time", "09:00")
    assert hours in text_of(browser, chip)

    # The edit form asks for the day and the times in Berlin's clock, in the person's formats.
    click(browser, chip)
    click(browser, "#booking-detail button[data-action=edit]")
    form = "#booking-detail form.edit-form"
    browser.visible(form)
    values = browser.script("""const f = document.querySelector(arguments[0]);
        return [f.elements.day.value, f.elements.start.value, f.elements.end.value, f.textContent];""", form)
    assert values[:3] == [day.strftime("%d.%m.%Y"), "09:00", "17:00"]
    assert "Times in Berlin time" in values[3]

    # The dashboard's today-and-upcoming panel.
    browser.open("/")
    wait_text(browser, f'#upcoming li[data-booking-id="{booking["id"]}"]', hours)


def audit_rows(browser):
    return browser.script("""return [...document.querySelectorAll('#audit-table tbody tr')].map((row) => {
        const when = row.querySelector('.audit-when');
        return { at: when.querySelector('time').getAttribute('datetime'), when: when.querySelector('time').textContent,
                 zone: when.querySelector('.muted').textContent, text: row.textContent };
    });""")


def expected_when(instant, zone):
    local = datetime.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{WEEKDAYS[local.weekday()]} {local.strftime('%Y-%m-%d %H:%M')}"


@pytest.mark.parametrize("preferred", [None, "Asia/Tokyo"])
def test_the_audit_log_shows_every_row_in_the_readers_own_zone(browsers, server, place, preferred):
    day = next_weekday()
    gus = person(server, "gus-audit")
    admin = Client(server, *ADMIN)
    booking = book(gus, place["desks"]["A2"], day, "09:00", "17:00")
    admin.patch("/me/preferences", {"timezone": preferred})
    try:
        browser = in_zone(browsers)
        browser.sign_in(ADMIN[0], ADMIN[1])
        browser.open("/admin/audit")
        browser.wait.until(lambda d: len(audit_rows(browser)) > 5)
        rows = audit_rows(browser)
        own = preferred or BROWSER_ZONE
        # Entries with a location and without one alike, in one zone, so newest first reads in order.
        assert [row["when"] for row in rows] == [expected_when(row["at"], own) for row in rows]
        assert len({row["zone"] for row in rows}) == 1
        assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)
        # The booking's own hours, in the entry's details, are Berlin's and say so.
        created = next(row for row in rows if f"#{booking['id'][:8].lower()}" in row["text"] and "booking.created" in row["text"])
        assert "09:00 Berlin time" in created["text"] and "17:00 Berlin time" in created["text"]
    finally:
        admin.patch("/me/preferences", {"timezone": None})


def test_times_are_typed_in_the_persons_clock_format(browsers, server, place):
    day = next_weekday()
    ina = person(server, "ina", time_format="24h", date_format="DD.MM.YYYY")
    booking = book(ina, place["desks"]["A3"], day, "09:00", "12:00")
    # The browser's language writes 12-hour times (en-US): the fields still follow the person's 24-hour choice.
    browser = in_zone(browsers)
    browser.sign_in("ina")
    browser.open("/bookings")
    item = f'#bookings-list li.booking[data-booking-id="{booking["id"]}"]'
    click(browser, f"{item} button[data-action=edit]")
    form = f"{item} form.edit-form"
    start = browser.visible(f"{form} input[name=start]")
    end = browser.find(f"{form} input[name=end]")
    assert (start.get_attribute("value"), end.get_attribute("value")) == ("09:00", "12:00")
    assert "24-hour" in text_of(browser, f"{form} #{start.get_attribute('id')}-format")
    # Arrow keys step by the location's 30-minute step.
    start.send_keys(Keys.ARROW_UP)
    assert start.get_attribute("value") == "09:30"
    # A time typed the 12-hour way is read, and written back the person's way.
    end.send_keys(Keys.CONTROL, "a")
    end.send_keys("5:30 pm", Keys.TAB)
    assert end.get_attribute("value") == "17:30"
    browser.find(f"{form} button[type=submit]").click()
    browser.wait.until(lambda d: "09:30–17:30" in (text_of(browser, f"{item} .booking-time") or ""))
    [changed] = ina.get("/bookings?mine=true")["items"]
    local = lambda instant: datetime.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(BERLIN).strftime("%H:%M")
    assert (local(changed["start"]), local(changed["end"])) == ("09:30", "17:30")

    # A mistyped day is named under its field and nothing is sent.
    click(browser, f"{item} button[data-action=edit]")
    day_field = browser.visible(f"{form} input[name=day]")
    assert day_field.get_attribute("placeholder") == "DD.MM.YYYY"
    day_field.send_keys(Keys.CONTROL, "a")
    day_field.send_keys("31.02.2026")
    browser.find(f"{form} button[type=submit]").click()
    assert "DD.MM.YYYY" in browser.visible(f"{form} .field-error").text

    # With the 12-hour choice, the same field reads "9:30 AM".
    ina.patch("/me/preferences", {"time_format": "12h"})
    browser.open("/bookings")
    click(browser, f"{item} button[data-action=edit]")
    assert browser.visible(f"{form} input[name=start]").get_attribute("value") == "9:30 AM"


def test_native_date_fields_name_their_format(browsers, server, place):
    person(server, "dan", date_format="DD.MM.YYYY")
    browser = in_zone(browsers)
    browser.sign_in("dan")
    # Chromium in en-US draws native date fields as mm/dd/yyyy, whatever the person chose: their labels say so.
    browser.open("/")
    browser.visible("#day-format")
    assert browser.find('label[for="day"]').text == "Day (mm/dd/yyyy)"
    assert browser.script("return document.getElementById('day').labels[0].textContent") == "Day (mm/dd/yyyy)"
    browser.open(f"/rooms/{place['open_space']['id']}")
    browser.visible("#room-date-format")
    assert browser.find('label[for="room-date"]').text == "Day (mm/dd/yyyy)"
    # The days the page writes itself follow the person's format.
    wait_text(browser, "#room-when-hint", "Bookings are open up to")
    assert re.search(r"open up to \w{3} \d{2}\.\d{2}\.\d{4}\.", text_of(browser, "#room-when-hint"))

"""Forms offer only what the server accepts, a mistyped day is caught before asking, failed reads show on the page,
and the room page starts at the person's usual hours."""
import datetime
import math
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from office import Client, PASSWORD
from pages import set_value

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def book(server, username, desk, day, start, end):
    client = Client(server, username, PASSWORD)
    begin = datetime.datetime.fromisoformat(f"{day}T{start}").replace(tzinfo=BERLIN)
    finish = datetime.datetime.fromisoformat(f"{day}T{end}").replace(tzinfo=BERLIN)
    return client.post("/bookings", {"desk_id": desk["id"], "start": begin.isoformat(), "end": finish.isoformat()})


def open_extend(browser, booking):
    browser.open("/bookings")
    browser.clickable("[data-view=list]").click()
    item = f'#bookings-list li.booking[data-booking-id="{booking["id"]}"]'
    browser.find(item)
    browser.clickable(f"{item} button[data-action=extend]").click()
    form = f"{item} form.extend-form"
    browser.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, form).get_attribute("aria-busy") is None)
    return form


def count_requests(browser, fragment):
    """From now on, counts the page's API requests whose address contains `fragment`."""
    browser.script("""window.requestsSeen = 0; const fragment = arguments[0]; const original = window.fetch;
        window.fetch = (url, ...rest) => { if (String(url).includes(fragment)) window.requestsSeen++; return original(url, ...rest); };""",
                   fragment)


def test_extend_offers_only_the_end_times_the_desk_and_policy_allow(browsers, server, place, tomorrow):
    desk = place["desks"]["A1"]
    mine = book(server, "ann", desk, tomorrow, "16:00", "18:00")
    book(server, "bob", desk, tomorrow, "19:00", "20:00")
    browser = browsers()
    browser.sign_in("ann")

    form = open_extend(browser, mine)
    options = [o.text for o in Select(browser.find(f"{form} select[name=end]")).options]
    # Up to bob's booking at 19:00, and nothing past it or past closing time.
    assert [o.split(" ")[0] for o in options] == ["18:30", "19:00"], options
    assert not any("closing" in o for o in options)
    assert "booked by someone else from 19:00" in browser.find(f"{form} .extend-reason").text
    # "+1 h" lands on 19:00 and is offered; there is no quick step past what is allowed.
    assert browser.all(f'{form} button[data-extend-by="60"]')

    # A booking up to closing time has nothing to offer, and says why instead of showing an empty list.
    late = book(server, "gus", place["desks"]["A3"], tomorrow, "18:00", "20:00")
    browser = browsers()
    browser.sign_in("gus")
    form = open_extend(browser, late)
    reason = browser.find(f"{form} .extend-reason").text
    assert "cannot be extended" in reason and "20:00" in reason, reason
    assert not browser.all(f"{form} select")


def test_a_mistyped_day_is_caught_before_asking_and_a_failed_read_replaces_the_counts(browser, place, tomorrow):
    browser.sign_in("ann")
    room_link = f'a.room-link[href="/rooms/{place["open_space"]["id"]}?date={tomorrow}"]'
    set_value(browser, "#day", tomorrow)
    browser.wait.until(lambda d: "4 of 4 free" in d.find_element(By.CSS_SELECTOR, room_link).text)

    count_requests(browser, "/availability")
    set_value(browser, "#day", "52026-03-20")
    problem = browser.visible("#day-problem")
    assert "4-digit year" in problem.text
    assert browser.find("#day").get_attribute("aria-invalid") == "true"
    # The counts of the day before are gone rather than shown under the new date, and nothing was asked.
    browser.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "a.room-link"))
    assert all(label.text == "" for label in browser.all(".location-total"))
    assert browser.script("return window.requestsSeen") == 0

    # A day beyond the booking window is refused the same way.
    far = (datetime.date.fromisoformat(tomorrow) + datetime.timedelta(days=60)).isoformat()
    set_value(browser, "#day", far)
    browser.wait.until(lambda d: "Bookings are open up to" in d.find_element(By.ID, "day-problem").text)
    assert browser.script("return window.requestsSeen") == 0

    # A read that fails shows on the page, with a way to try again, instead of leaving the old numbers.
    set_value(browser, "#day", tomorrow)
    browser.wait.until(lambda d: "4 of 4 free" in d.find_element(By.CSS_SELECTOR, room_link).text)
    assert not browser.all("#day-problem")
    browser.script("""const original = window.fetch; window.fetch = (url, ...rest) => String(url).includes('/availability')
        ? Promise.resolve(new Response(JSON.stringify({code: 'unavailable', detail: 'The database is restarting.'}),
            {status: 503, headers: {'Content-Type': 'application/problem+json'}}))
        : original(url, ...rest);""")
    day_after = (datetime.date.fromisoformat(tomorrow) + datetime.timedelta(days=1)).isoformat()
    set_value(browser, "#day", day_after)
    error = browser.visible(f'[data-floors="{place["location"]["id"]}"] .load-error')
    assert "could not load" in error.text and "The database is restarting." in error.text
    assert error.find_element(By.CSS_SELECTOR, "button").text == "Try again"
    assert not browser.all("a.room-link")
    assert browser.find(f'[data-total="{place["location"]["id"]}"]').text == ""


def test_the_room_page_refuses_a_mistyped_day_without_asking(browser, place, tomorrow):
    browser.sign_in("ann")
    browser.open(f"/rooms/{place['open_space']['id']}?date={tomorrow}")
    browser.find("#desk-map .desk-marker")
    browser.wait.until(lambda d: d.find_element(By.ID, "room-page").get_attribute("aria-busy") == "false")
    count_requests(browser, "/availability")
    set_value(browser, "#room-date", "52026-03-20")
    assert "4-digit year" in browser.visible("#room-date-problem").text
    assert "Choose a day" in browser.find("#room-summary").text
    assert browser.script("return window.requestsSeen") == 0


def test_the_room_page_starts_at_the_persons_usual_hours(browser, server, place, tomorrow):
    after = datetime.date.fromisoformat(tomorrow) + datetime.timedelta(days=1)
    for offset, desk in [(0, "A2"), (1, "A3")]:
        day = (after + datetime.timedelta(days=offset)).isoformat()
        book(server, "bob", place["desks"][desk], day, "10:30", "15:00")
    browser.sign_in("bob")
    browser.open(f"/rooms/{place['open_space']['id']}")
    browser.find("#desk-map .desk-marker")
    browser.wait.until(lambda d: d.find_element(By.ID, "room-page").get_attribute("aria-busy") == "false")

    # Today while some of the usual hours are left (from the next half hour on), else tomorrow from 10:30.
    now = datetime.datetime.now(BERLIN)
    next_step = math.ceil((now.hour * 60 + now.minute + now.second / 60) / 30) * 30
    if next_step <= 15 * 60 - 30:
        day, start = now.date().isoformat(), max(10 * 60 + 30, next_step)
    else:
        day, start = tomorrow, 10 * 60 + 30
    selected = lambda selector: Select(browser.find(selector)).first_selected_option.text.split(" ")[0]
    assert browser.find("#room-date").get_attribute("value") == day
    assert selected("#room-from") == f"{start // 60:02d}:{start % 60:02d}"
    assert selected("#room-until") == "15:00"


def test_a_manager_chooses_the_opening_weekdays_in_the_policy_form(browser, server, place):
    location = place["location"]
    admin = Client(server, "admin", "e2e-admin-password")
    try:
        browser.sign_in("admin", "e2e-admin-password")
        browser.open(f"/admin/locations/{location['id']}")
        days = "#policy-open_weekdays input[type=checkbox]"
        browser.find(days)
        assert [box.is_selected() for box in browser.all(days)] == [True] * 7
        for box in browser.all(days)[5:]:
            browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", box)
        browser.script("document.querySelector('#policy-form button[type=submit]').click()")
        browser.wait.until(lambda d: admin.get(f"/locations/{location['id']}/policy")["open_weekdays"] == [1, 2, 3, 4, 5])

        # No day at all is refused in the form, before asking the server.
        for box in browser.all(days)[:5]:
            browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", box)
        browser.script("document.querySelector('#policy-form button[type=submit]').click()")
        browser.wait.until(lambda d: "at least one day" in d.find_element(By.CSS_SELECTOR, '[data-rule="open_weekdays"]').text)
        assert admin.get(f"/locations/{location['id']}/policy")["open_weekdays"] == [1, 2, 3, 4, 5]
    finally:
        admin.patch(f"/locations/{location['id']}/policy", {"open_weekdays": [1, 2, 3, 4, 5, 6, 7]})

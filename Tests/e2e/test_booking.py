"""Booking a desk on the floor map, then changing and cancelling it in My bookings."""
import datetime
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from office import Client, PASSWORD
from pages import choose, marker, open_room, set_value, wait_for_state

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def confirmed_bookings(server, username):
    client = Client(server, username, PASSWORD)
    return client.get("/bookings?mine=true")["items"]


def local_clock(instant):
    return datetime.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(BERLIN).strftime("%H:%M")


def test_sign_in_browse_book_extend_and_cancel(browser, server, place, tomorrow):
    browser.sign_in("ann")
    room, desk = place["open_space"], place["desks"]["A1"]

    # Dashboard: the location browser lists the room with its free desks on the chosen day.
    set_value(browser, "#day", tomorrow)
    room_link = f'a.room-link[href="/rooms/{room["id"]}?date={tomorrow}"]'
    browser.wait.until(lambda d: "4 of 4 free" in d.find_element(By.CSS_SELECTOR, room_link).text)
    browser.clickable(room_link).click()

    # Room page: choose the window, then book A1 through the dialog.
    browser.find("#desk-map .desk-marker")
    choose(browser, "#room-from", "09:00")
    choose(browser, "#room-until", "12:00")
    wait_for_state(browser, desk, "free")
    marker(browser, desk).click()
    dialog = browser.visible("#booking-dialog")
    choose(browser, "#booking-start", "09:00")
    choose(browser, "#booking-end", "12:00")
    browser.wait.until(lambda d: "12:00" in d.find_element(By.ID, "booking-preview").text)
    browser.find("#booking-submit").click()
    browser.wait.until(lambda d: not dialog.is_displayed())
    wait_for_state(browser, desk, "mine")

    [booking] = confirmed_bookings(server, "ann")
    assert booking["desk_id"] == desk["id"]
    assert (local_clock(booking["start"]), local_clock(booking["end"])) == ("09:00", "12:00")

    # My bookings: the booking is listed; extend it by an hour.
    browser.open("/bookings")
    browser.clickable("[data-view=list]").click()
    listed = f'#bookings-list li.booking[data-booking-id="{booking["id"]}"]'
    # The list may render again when its live subscription opens: read the item as it is after that.
    browser.wait.until(lambda d: "A1" in d.find_element(By.CSS_SELECTOR, listed).text
                       and "09:00" in d.find_element(By.CSS_SELECTOR, listed).text)
    browser.clickable(f"{listed} button[data-action=extend]").click()
    extend_form = f'li.booking[data-booking-id="{booking["id"]}"] form.extend-form'
    browser.visible(extend_form)
    choose(browser, f"{extend_form} select[name=end]", "13:00")
    browser.find(f"{extend_form} button[type=submit]").click()
    browser.wait.until(lambda d: "13:00" in d.find_element(
        By.CSS_SELECTOR, f'li.booking[data-booking-id="{booking["id"]}"]').text)
    [extended] = confirmed_bookings(server, "ann")
    assert local_clock(extended["end"]) == "13:00"

    # Cancel it, confirming in the dialog.
    browser.find(f'li.booking[data-booking-id="{booking["id"]}"] button[data-action=cancel]').click()
    browser.visible("#cancel-dialog")
    browser.clickable("#cancel-confirm").click()
    browser.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'li.booking[data-booking-id="{booking["id"]}"]'))
    assert confirmed_bookings(server, "ann") == []


def test_a_second_session_sees_the_desk_turn_booked_without_reloading(browsers, place, tomorrow):
    desk = place["desks"]["A2"]
    watcher = browsers()
    watcher.sign_in("bob")
    open_room(watcher, place["open_space"], tomorrow)
    wait_for_state(watcher, desk, "free")
    watcher.script("window.stillTheSamePage = true")
    # A third session watches the dashboard's free-desk count of the room.
    counter = browsers()
    counter.sign_in("gus")
    set_value(counter, "#day", tomorrow)
    room_link = f'a.room-link[href="/rooms/{place["open_space"]["id"]}?date={tomorrow}"]'
    counter.wait.until(lambda d: "4 of 4 free" in d.find_element(By.CSS_SELECTOR, room_link).text)
    counter.script("window.stillTheSamePage = true")

    booker = browsers()
    booker.sign_in("ann")
    open_room(booker, place["open_space"], tomorrow)
    marker(booker, desk).click()
    booker.visible("#booking-dialog")
    choose(booker, "#booking-start", "09:00")
    choose(booker, "#booking-end", "12:00")
    booker.find("#booking-submit").click()
    wait_for_state(booker, desk, "mine")

    wait_for_state(watcher, desk, "booked")
    assert watcher.script("return window.stillTheSamePage") is True
    counter.wait.until(lambda d: "3 of 4 free" in d.find_element(By.CSS_SELECTOR, room_link).text)
    assert counter.script("return window.stillTheSamePage") is True
    label = marker(watcher, desk).get_attribute("aria-label")
    assert "booked" in label.lower()


def test_booking_a_taken_slot_shows_why_in_the_dialog(browsers, server, place, tomorrow):
    desk = place["desks"]["A3"]
    first = Client(server, "gus", PASSWORD)
    start = datetime.datetime.fromisoformat(f"{tomorrow}T10:00").replace(tzinfo=BERLIN)
    first.post("/bookings", {"desk_id": desk["id"], "start": start.isoformat(),
                             "end": (start + datetime.timedelta(hours=2)).isoformat()})

    browser = browsers()
    browser.sign_in("bob")
    open_room(browser, place["open_space"], tomorrow, "13:00", "15:00")
    wait_for_state(browser, desk, "free")
    marker(browser, desk).click()
    browser.visible("#booking-dialog")
    choose(browser, "#booking-start", "09:00")
    choose(browser, "#booking-end", "12:00")
    browser.find("#booking-submit").click()
    error = browser.visible("#booking-dialog .form-error, #booking-dialog .field-error")
    assert error.text.strip() != ""
    dialog = browser.find("#booking-dialog")
    assert dialog.is_displayed()
    # Closing the dialog lets go of the desk's hold at once, for the next person (and test).
    browser.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    browser.wait.until(lambda d: not dialog.is_displayed())
    wait_for_state(browser, desk, "free")


def test_booking_with_the_keyboard_only(browser, place, tomorrow):
    desk = place["desks"]["A3"]
    browser.sign_in("gus")
    open_room(browser, place["open_space"], tomorrow, "14:00", "16:00")
    wait_for_state(browser, desk, "free")
    marker(browser, desk).send_keys(Keys.ENTER)
    browser.visible("#booking-dialog")
    # The dialog takes the focus; the start and end fields work with arrow keys, and Enter books.
    active = lambda: browser.driver.switch_to.active_element
    assert active().get_attribute("id") == "booking-start"
    choose(browser, "#booking-start", "14:00")
    end = browser.find("#booking-end")
    end.send_keys(Keys.HOME)
    end.send_keys(Keys.ARROW_DOWN)
    browser.wait.until(lambda d: "14:00" in d.find_element(By.ID, "booking-preview").text)
    browser.find("#booking-submit").send_keys(Keys.ENTER)
    wait_for_state(browser, desk, "mine")
    # Focus comes back to the desk the dialog was opened from.
    browser.wait.until(lambda d: active().get_attribute("data-desk-id") == desk["id"])

    # Escape closes the dialog without booking.
    other = place["desks"]["A4"]
    marker(browser, other).send_keys(Keys.ENTER)
    dialog = browser.visible("#booking-dialog")
    active().send_keys(Keys.ESCAPE)
    browser.wait.until(lambda d: not dialog.is_displayed())
    assert marker(browser, other).get_attribute("data-state") == "free"

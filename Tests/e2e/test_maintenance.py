"""Maintenance as a period: the manager plans it, reviews the bookings it affects and confirms; the owner sees why."""
import datetime
import zoneinfo

from selenium.webdriver.common.by import By

import office


def day_after(day):
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()


def berlin(day, time):
    """A Berlin wall-clock time as an ISO timestamp with its offset."""
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).isoformat()


def type_into(browser, selector, text):
    field = browser.clickable(selector)
    field.clear()
    field.send_keys(text)


def test_manager_plans_reviews_and_confirms_and_the_owner_sees_why(server, place, browsers, tomorrow):
    room = place["open_space"]
    desk = place["desks"]["A1"]
    ann = office.Client(server, "ann", office.PASSWORD)
    rita = office.Client(server, "rita", office.PASSWORD)
    inside = ann.post("/bookings", {"desk_id": desk["id"], "start": berlin(tomorrow, "09:00"), "end": berlin(tomorrow, "12:00")})
    outside = ann.post("/bookings", {"desk_id": desk["id"], "start": berlin(day_after(tomorrow), "09:00"),
                                     "end": berlin(day_after(tomorrow), "12:00")})
    try:
        manager = browsers()
        manager.sign_in("rita")
        manager.open(f"/admin/rooms/{room['id']}")
        manager.wait.until(lambda d: "In service" in manager.find("#maintenance-state").text)

        type_into(manager, "#maintenance-reason", "New carpet")
        manager.clickable("#maintenance-form input[name=starts][value=later]").click()
        type_into(manager, "#maintenance-from-day", tomorrow)
        type_into(manager, "#maintenance-from-time", "07:00")
        manager.clickable("#maintenance-form input[name=ends][value=at]").click()
        type_into(manager, "#maintenance-until-day", tomorrow)
        type_into(manager, "#maintenance-until-time", "20:00")
        manager.clickable("#maintenance-review").click()

        # The review lists exactly the booking inside the period, with who holds it, before anything changes.
        manager.visible("#maintenance-confirm-panel")
        items = manager.all("#maintenance-preview li")
        assert len(items) == 1
        assert "A1" in items[0].text and "Ann Becker" in items[0].text and "09:00" in items[0].text
        assert "will be cancelled" in manager.find("#maintenance-confirm-summary").text
        assert ann.get(f"/bookings/{inside['id']}")["status"] == "confirmed"
        confirm = manager.clickable("#maintenance-confirm")
        assert confirm.text == "Cancel 1 booking and confirm maintenance"
        confirm.click()

        manager.wait.until(lambda d: "Maintenance scheduled" in manager.find("#maintenance-state").text)
        assert "New carpet" in manager.find("#maintenance-state").text
        assert "1 booking was cancelled" in manager.visible("#maintenance-affected").text
        assert manager.visible("#maintenance-end").text == "Call off scheduled maintenance"

        cancelled = ann.get(f"/bookings/{inside['id']}")
        assert cancelled["status"] == "cancelled"
        assert cancelled["cancel_reason"] == "Open space is under maintenance: New carpet"
        assert ann.get(f"/bookings/{outside['id']}")["status"] == "confirmed"

        # The owner's list shows the cancelled booking with its reason; the one the next day stays as it was.
        owner = browsers()
        owner.sign_in("ann")
        owner.open("/bookings")
        item = owner.visible(f'li.booking[data-booking-id="{inside["id"]}"]')
        assert "Cancelled — Open space is under maintenance: New carpet" in item.text
        assert not item.find_elements(By.CSS_SELECTOR, "[data-action=extend]")
        other = owner.visible(f'li.booking[data-booking-id="{outside["id"]}"]')
        assert "Confirmed" in other.text

        # The room page tells everyone about the scheduled period.
        owner.open(f"/rooms/{room['id']}")
        banner = owner.visible("#room-maintenance")
        assert banner.text.startswith("Maintenance scheduled from") and "New carpet" in banner.text

        manager.clickable("#maintenance-end").click()
        manager.wait.until(lambda d: "In service" in manager.find("#maintenance-state").text)
        assert "maintenance" not in rita.get(f"/rooms/{room['id']}")
        assert manager.errors() == [] and owner.errors() == []
    finally:
        rita.call("DELETE", f"/rooms/{room['id']}/maintenance")

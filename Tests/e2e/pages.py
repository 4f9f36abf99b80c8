"""Steps on DeskPilot's pages that several tests take."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def choose(select, text):
    """Picks the option of a <select> whose visible text starts with `text` (e.g. "09:00")."""
    for option in Select(select).options:
        if option.text.strip().startswith(text):
            Select(select).select_by_visible_text(option.text)
            return
    raise AssertionError(f"no option {text!r} in {[o.text for o in Select(select).options]}")


def set_value(browser, selector, value):
    """Sets an input's value as a person would and lets the page react (date inputs take no typed keys reliably)."""
    browser.script("""const input = document.querySelector(arguments[0]); input.value = arguments[1];
        input.dispatchEvent(new Event('input', {bubbles: true})); input.dispatchEvent(new Event('change', {bubbles: true}));""",
                   selector, value)


def marker(browser, desk):
    return browser.find(f'#desk-map .desk-marker[data-desk-id="{desk["id"]}"]')


def wait_for_state(browser, desk, state):
    selector = f'#desk-map .desk-marker[data-desk-id="{desk["id"]}"]'
    browser.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, selector).get_attribute("data-state") == state,
                       f"desk {desk['name']} did not become {state}")


def open_room(browser, room, day, start="09:00", end="12:00"):
    """Opens a room page on `day` and selects the window start–end."""
    browser.open(f"/rooms/{room['id']}?date={day}")
    browser.find("#desk-map .desk-marker")
    choose(browser.find("#room-from"), start)
    choose(browser.find("#room-until"), end)

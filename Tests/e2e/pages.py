"""Steps on DeskPilot's pages that several tests take."""
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def choose(browser, selector, text):
    """Picks the option of the <select> at `selector` whose visible text starts with `text` (e.g. "09:00").
    Pages rebuild a select's options when a related choice changes, so a vanished option is looked up again."""
    for _ in range(5):
        try:
            select = Select(browser.find(selector))
            labels = [option.text.strip() for option in select.options]
            match = next((label for label in labels if label.startswith(text)), None)
            assert match, f"no option {text!r} in {selector}: {labels}"
            select.select_by_visible_text(match)
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{selector} kept changing while choosing {text!r}")


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
    choose(browser, "#room-from", start)
    choose(browser, "#room-until", end)

"""Settings at 1440 px: the password form asks twice and its fields line up, the page uses its width, the time zone
help states the rule, and a theme change says so once."""
from selenium.webdriver.support.ui import Select

from office import ADMIN, Client, PASSWORD


def new_person(server, username):
    admin = Client(server, *ADMIN)
    if not any(u["username"] == username for u in admin.get("/users?limit=200")["items"]):
        admin.post("/users", {"username": username, "display_name": username.title(),
                              "email": f"{username}@example.com", "password": PASSWORD})


def rect(browser, selector):
    return browser.script("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                          "return {left: r.left, right: r.right, top: r.top, width: r.width};", selector)


def toasts(browser):
    return browser.script("return [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent)")


def test_a_new_password_must_be_confirmed_before_it_is_sent(browsers, server):
    new_person(server, "pia")
    browser = browsers()
    browser.sign_in("pia")
    browser.open("/settings")
    browser.visible("#password-form")
    browser.find("#current-password").send_keys(PASSWORD)
    browser.find("#new-password").send_keys("brand-new-password")
    browser.find("#confirm-password").send_keys("brand-new-pasword")
    browser.find("#password-form button[type=submit]").click()
    error = browser.visible("#password-form .field-error")
    assert "does not match" in error.text
    assert browser.find("#confirm-password").get_attribute("aria-invalid") == "true"
    # Nothing was sent: the old password still signs in.
    Client(server, "pia", PASSWORD)

    confirm = browser.find("#confirm-password")
    confirm.clear()
    confirm.send_keys("brand-new-password")
    browser.find("#password-form button[type=submit]").click()
    browser.wait.until(lambda d: d.execute_script("return document.querySelector('#new-password').value") == "")
    Client(server, "pia", "brand-new-password")


def test_settings_use_the_width_and_line_up_the_password_fields(browsers, server):
    new_person(server, "lou")
    browser = browsers(width=1440)
    browser.sign_in("lou")
    browser.open("/settings")
    browser.visible("#password-form")
    current, new, confirm = (rect(browser, f"#{name}-password") for name in ["current", "new", "confirm"])
    # The three fields form one column of equal width, in the order they are filled in.
    assert current["left"] == new["left"] == confirm["left"]
    assert current["width"] == new["width"] == confirm["width"]
    assert current["top"] < new["top"] < confirm["top"]
    # Two columns of cards: the password sits beside the preferences, and the page reaches past two thirds of the width.
    preferences, password = rect(browser, "#preferences-form"), rect(browser, "#password-form")
    assert password["left"] > preferences["right"]
    assert password["right"] > 1440 * 2 / 3 + 100
    # The time zone help says how times are shown, not that every time follows this zone.
    hint = browser.find("#pref-timezone-hint").text
    assert "no place" in hint and "location's time" in hint
    assert "everywhere" not in hint


def test_a_theme_change_shows_one_message(browsers, server):
    new_person(server, "tom")
    browser = browsers()
    browser.sign_in("tom")
    browser.open("/settings")
    browser.visible("#preferences-form")
    # Cycling through the themes with the top bar's button: one message, naming where it ends.
    toggle = browser.clickable("#theme-toggle")
    toggle.click()
    toggle.click()
    browser.wait.until(lambda d: toasts(browser) == ["Theme: dark"])
    assert browser.script("return document.documentElement.dataset.theme") == "dark"
    browser.wait.until(lambda d: Client(server, "tom", PASSWORD).get("/me/preferences")["theme"] == "dark")
    browser.wait.until(lambda d: toasts(browser) == [], "the message stays")

    # Choosing one in Settings shows it at once and says "saved" once.
    Select(browser.find("#pref-theme")).select_by_value("light")
    assert toasts(browser) == []
    browser.find("#preferences-form button[type=submit]").click()
    browser.wait.until(lambda d: toasts(browser) == ["Preferences saved."])
    assert browser.script("return document.documentElement.dataset.theme") == "light"

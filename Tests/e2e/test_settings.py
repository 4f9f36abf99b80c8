"""Settings: a person changes their password and signs in with the new one."""
from office import ADMIN, Client


def test_changing_the_password_in_settings(browsers, server):
    Client(server, *ADMIN).post("/users", {"username": "dora", "display_name": "Dora New",
                                           "email": "dora@example.com", "password": "first-password"})
    browser = browsers()
    browser.sign_in("dora", "first-password")
    browser.open("/settings")
    form = browser.visible("#password-form")
    browser.find("#password-form [name=current_password]").send_keys("not-my-password")
    browser.find("#password-form [name=new_password]").send_keys("second-password")
    browser.find("#password-form [name=confirm_password]").send_keys("second-password")
    browser.find("#password-form button[type=submit]").click()
    # A wrong current password is named under its field.
    error = browser.visible("#password-form .field-error")
    assert "current password" in error.text.lower()

    current = browser.find("#password-form [name=current_password]")
    current.clear()
    current.send_keys("first-password")
    browser.find("#password-form button[type=submit]").click()
    browser.wait.until(lambda d: d.execute_script(
        "return document.querySelector('#password-form [name=new_password]').value") == "")
    assert form.find_elements("css selector", ".field-error") == []

    # This browser stays signed in; the new password is the one that works from now on.
    browser.open("/settings")
    browser.visible("#password-form")
    fresh = browsers()
    fresh.open("/login")
    fresh.find("#username").send_keys("dora")
    fresh.find("#password").send_keys("first-password")
    fresh.find("#login-form button[type=submit]").click()
    assert fresh.visible("#login-form .form-error, #login-form .field-error").text != ""
    fresh.sign_in("dora", "second-password")

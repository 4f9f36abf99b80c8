"""Time fields the app draws follow the person's 12- or 24-hour choice, whatever the browser's language (en-US here),
and still send the API its "HH:MM" 24-hour times: the autopilot's rule form and a location's policy form."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from office import ADMIN, Client
from test_time_zones import person

FORMATS = {
    # clock format: (typed → shown) for the rule's window and "skip today", and the policy's hours and release time.
    "12h": {"from": ("9", "9:00 AM"), "until": ("17:30", "5:30 PM"), "skip": ("1 pm", "1:00 PM"),
            "bookable_from": ("08:30", "8:30 AM"), "bookable_until": ("12:00 am", "12:00 AM"), "release_time": ("6 pm", "6:00 PM")},
    "24h": {"from": ("9:00 am", "09:00"), "until": ("5:30 pm", "17:30"), "skip": ("13", "13:00"),
            "bookable_from": ("8:30 AM", "08:30"), "bookable_until": ("24:00", "24:00"), "release_time": ("18", "18:00")},
}


def clock(text, time_format):
    """An API time ("HH:MM") as the person reads it."""
    hours, minutes = map(int, text.split(":"))
    if time_format == "24h":
        return text
    return f"{(hours % 12) or 12}:{minutes:02d} {'AM' if hours % 24 < 12 else 'PM'}"


def retype(field, text):
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text, Keys.TAB)


def value(browser, selector):
    return browser.find(selector).get_attribute("value")


@pytest.mark.parametrize("time_format", ["12h", "24h"])
def test_the_rule_form_shows_and_reads_times_in_the_persons_clock(browser, server, place, time_format):
    typed = FORMATS[time_format]
    username = f"clock-{time_format}"
    client = person(server, username, time_format=time_format)
    policy = client.get(f"/locations/{place['location']['id']}/policy")
    for rule in client.get("/me/autopilot/rules"):
        client.call("DELETE", f"/me/autopilot/rules/{rule['id']}")
    try:
        browser.sign_in(username)
        browser.open("/autopilot")
        browser.find("#rules-list:not([aria-busy])")
        browser.clickable("#new-rule").click()
        browser.wait.until(lambda d: value(browser, "#rule-window-from") != "")
        # The location's whole bookable day, in the person's clock.
        assert (value(browser, "#rule-window-from"), value(browser, "#rule-window-until")) == (
            clock(policy["bookable_from"], time_format), clock(policy["bookable_until"], time_format))
        hour_kind = "12-hour" if time_format == "12h" else "24-hour"
        assert hour_kind in browser.find("#rule-window-hint").text

        # Typed either way, a time is written back the person's way.
        retype(browser.find("#rule-window-from"), typed["from"][0])
        retype(browser.find("#rule-window-until"), typed["until"][0])
        assert (value(browser, "#rule-window-from"), value(browser, "#rule-window-until")) == (typed["from"][1], typed["until"][1])
        # Arrow keys step by the location's time step.
        browser.find("#rule-window-from").send_keys(Keys.ARROW_UP)
        assert value(browser, "#rule-window-from") == clock("09:30", time_format)

        # No time of day is named under its field, and nothing is sent.
        browser.find("#rule-more summary").click()
        skip = browser.visible("#rule-skip-today")
        retype(skip, "25:99")
        browser.find("#rule-submit").click()
        browser.wait.until(lambda d: hour_kind in d.find_element(By.CSS_SELECTOR, "#rule-skip-today ~ .field-error").text)
        assert client.get("/me/autopilot/rules") == []

        retype(skip, typed["skip"][0])
        assert value(browser, "#rule-skip-today") == typed["skip"][1]
        browser.find("#rule-submit").click()
        browser.wait.until(lambda d: len(client.get("/me/autopilot/rules")) == 1)
        [rule] = client.get("/me/autopilot/rules")
        assert (rule["window"], rule["skip_today_after"]) == ({"from": "09:30", "until": "17:30"}, "13:00")

        # Changing the rule shows its times the person's way again.
        browser.clickable(f'#rules-list li.rule[data-rule-id="{rule["id"]}"] [data-action="edit"]').click()
        browser.wait.until(lambda d: value(browser, "#rule-window-from") == clock("09:30", time_format))
        assert value(browser, "#rule-window-until") == typed["until"][1]
        assert value(browser, "#rule-skip-today") == typed["skip"][1]
        assert browser.errors() == []
    finally:
        for rule in client.get("/me/autopilot/rules"):
            client.call("DELETE", f"/me/autopilot/rules/{rule['id']}")


@pytest.mark.parametrize("time_format", ["12h", "24h"])
def test_the_policy_form_shows_and_reads_times_in_the_persons_clock(browser, server, place, time_format):
    typed = FORMATS[time_format]
    location = place["location"]
    admin = Client(server, *ADMIN)
    before = admin.get("/me/preferences")["time_format"]
    defaults = admin.get("/policy/defaults")
    admin.patch("/me/preferences", {"time_format": time_format})
    names = ["bookable_from", "bookable_until", "release_time"]
    try:
        browser.sign_in(*ADMIN)
        browser.open(f"/admin/locations/{location['id']}")
        for name in names:
            field = browser.find(f"#policy-{name}")
            # Following the default, the field shows it in the person's clock.
            assert field.get_attribute("value") == clock(defaults[name], time_format)
            browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()",
                           browser.find(f'input[name="{name}__default"]'))
            retype(field, typed[name][0])
            assert field.get_attribute("value") == typed[name][1]
        browser.script("document.querySelector('#policy-form button[type=submit]').click()")
        # Midnight as the end of the bookable day is its end, "24:00".
        browser.wait.until(lambda d: admin.get(f"/locations/{location['id']}/policy")["bookable_from"] == "08:30")
        policy = admin.get(f"/locations/{location['id']}/policy")
        assert [policy[name] for name in names] == ["08:30", "24:00", "18:00"]

        browser.open(f"/admin/locations/{location['id']}")
        browser.find("#policy-release_time")
        assert [value(browser, f"#policy-{name}") for name in names] == [typed[name][1] for name in names]
        assert browser.errors() == []
    finally:
        admin.patch(f"/locations/{location['id']}/policy", {name: None for name in names})
        admin.patch("/me/preferences", {"time_format": before})

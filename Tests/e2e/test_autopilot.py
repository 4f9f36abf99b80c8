"""The autopilot page: a new rule shows at once what it does and what it does next, its form is short with the rest under
"More options", and the administrators' oversight page keeps the admin tab bar."""
import datetime
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from office import ADMIN, Client, PASSWORD
from pages import set_value

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin_day(days_ahead):
    return (datetime.datetime.now(BERLIN) + datetime.timedelta(days=days_ahead)).date().isoformat()


def delete_rules(client):
    for rule in client.get("/me/autopilot/rules"):
        client.call("DELETE", f"/me/autopilot/rules/{rule['id']}")


def open_new_rule(browser, load=True):
    if load:
        browser.open("/autopilot")
        browser.find("#rules-list:not([aria-busy])")
    browser.clickable("#new-rule").click()
    browser.visible("#rule-form")
    # The form is ready once the location's desks and hours are in.
    browser.wait.until(lambda d: d.find_element(By.ID, "rule-window-from").get_attribute("value") != "")


def test_a_new_rule_shows_its_outlook_and_first_log_lines(browser, server, place, tomorrow):
    ann = Client(server, "ann", PASSWORD)
    delete_rules(ann)
    berlin = place["location"]["id"]
    ann.post("/bookings", {"desk_id": place["desks"]["A2"]["id"],
                           "start": f"{tomorrow}T09:00:00+{offset(tomorrow)}", "end": f"{tomorrow}T17:00:00+{offset(tomorrow)}"})
    try:
        browser.sign_in("ann")
        browser.open("/autopilot")
        browser.find("#rules-list:not([aria-busy])")
        assert "Nothing yet" in browser.find("#autopilot-log:not([aria-busy])").text
        # The words of fair allocation are explained where they appear.
        words = browser.all("#autopilot-words details.explainer")
        assert [w.get_attribute("data-word") for w in words] == ["round", "draw", "waitlist"]
        words[0].find_element(By.TAG_NAME, "summary").click()
        assert "When a day opens" in words[0].text
        open_new_rule(browser, load=False)

        for day in ("6", "7"):
            box = browser.find(f'#rule-weekdays input[value="{day}"]')
            if not box.is_selected():
                box.click()
        browser.find("#rule-name").send_keys("Every day")
        browser.find("#rule-submit").click()

        card = "#rules-list li.rule"
        browser.wait.until(lambda d: "Every day" in d.find_element(By.CSS_SELECTOR, card).text)
        # What stands on its days: tomorrow booked by hand, the rest booked or asked for by the rule; and what comes next.
        browser.wait.until(lambda d: f"{tomorrow} (A2) already booked" in d.find_element(By.CSS_SELECTOR, f"{card} .rule-outlook").text)
        next_step = browser.find(f"{card} .rule-next").text
        assert next_step.startswith("Will ask for ") and "before it opens on" in next_step
        browser.wait.until(lambda d: "Booked for you" in d.find_element(By.CSS_SELECTOR, f"{card} .rule-outlook").text)
        assert "No requests filed yet" not in browser.find(card).text

        # The log says what it did, the day already booked included, without a reload.
        browser.wait.until(lambda d: any(f"Already booked at Berlin on {tomorrow}" in line.text
                                         for line in d.find_elements(By.CSS_SELECTOR, "#autopilot-log .log-line")))
        assert any(line.text.count("Booked desk") for line in browser.all("#autopilot-log .log-line"))
        assert not browser.all("#autopilot-log .empty")
        [rule] = ann.get("/me/autopilot/rules")
        assert rule["location_id"] == berlin
        assert {"date": tomorrow, "state": "booked", "name": "A2"} in [
            {"date": d["date"], "state": d["state"], "name": d.get("desk", {}).get("name")} for d in rule["outlook"]["days"]]
        assert browser.errors() == []
    finally:
        delete_rules(ann)


def test_the_rule_form_is_short_and_keeps_its_other_options_one_step_away(browser, server, place):
    bob = Client(server, "bob", PASSWORD)
    delete_rules(bob)
    extra = berlin_day(40)
    try:
        browser.sign_in("bob")
        open_new_rule(browser)
        height = browser.script("return document.getElementById('rule-editor').getBoundingClientRect().height")
        assert height < 900, f"the rule form is {height} px tall with More options closed"
        assert not browser.find("#rule-more").get_attribute("open")
        assert not browser.find("#rule-skip-today").is_displayed()

        # "More options" opens from the keyboard.
        summary = browser.find("#rule-more summary")
        browser.script("arguments[0].focus()", summary)
        summary.send_keys(Keys.ENTER)
        browser.wait.until(lambda d: d.find_element(By.ID, "rule-skip-today").is_displayed())
        set_value(browser, "#rule-skip-today", "10:00")
        browser.find('#rule-tags input[value="monitor"]').click()
        set_value(browser, "#rule-extra-from", extra)
        browser.find("#rule-extra-dates button").click()
        browser.wait.until(lambda d: d.find_element(By.ID, "rule-more-count").text == "(3 set)")
        browser.find("#rule-submit").click()
        browser.wait.until(lambda d: d.find_element(By.ID, "rule-editor").get_attribute("hidden") is not None)

        [rule] = bob.get("/me/autopilot/rules")
        assert (rule["skip_today_after"], rule["tags"], rule["extra_dates"]) == ("10:00", ["monitor"], [extra])
        # The location's whole day shown in the form is sent as none: the rule follows the location's hours.
        assert "window" not in rule

        # Changing it shows the options it sets.
        browser.clickable(f'#rules-list li.rule[data-rule-id="{rule["id"]}"] [data-action="edit"]').click()
        browser.wait.until(lambda d: d.find_element(By.ID, "rule-more").get_attribute("open") is not None)
        assert browser.find("#rule-skip-today").get_attribute("value") == "10:00"
        assert browser.errors() == []
    finally:
        delete_rules(bob)


def test_the_admin_tab_bar_is_on_the_autopilot_oversight_page(browser):
    browser.sign_in(*ADMIN)
    browser.open("/admin/autopilot")
    nav = browser.visible("#admin-nav")
    links = {link.text: link.get_attribute("aria-current") for link in nav.find_elements(By.TAG_NAME, "a")}
    assert links.get("Autopilot") == "page" and "People" in links and "Places" in links
    browser.visible("#admin-rules-table")


def offset(day):
    """Berlin's UTC offset on a day, as `01:00` or `02:00`."""
    moment = datetime.datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=BERLIN)
    hours = int(moment.utcoffset().total_seconds() // 3600)
    return f"{hours:02d}:00"


def test_asking_for_a_day_suggests_the_first_unopened_day_the_location_opens(browser, server, place):
    """The day the form suggests is the first one not open for booking yet; when the location is closed that weekday,
    the next day it opens."""
    admin = Client(server, *ADMIN)
    berlin = place["location"]["id"]
    policy = admin.get(f"/locations/{berlin}/policy")
    first_unopened = datetime.date.fromisoformat(berlin_day(policy["max_advance_days"] + 1))
    closed = first_unopened.isoweekday()
    admin.patch(f"/locations/{berlin}/policy", {"open_weekdays": [d for d in range(1, 8) if d != closed]})
    try:
        browser.sign_in("ann")
        browser.open("/autopilot")
        date = '#request-form [name="date"]'
        expected = (first_unopened + datetime.timedelta(days=1)).isoformat()
        browser.wait.until(lambda d: browser.find(date).get_attribute("value") == expected,
                           f"the form did not suggest {expected} (closed: weekday {closed})")
    finally:
        admin.patch(f"/locations/{berlin}/policy", {"open_weekdays": list(range(1, 8))})

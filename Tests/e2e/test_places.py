"""Access, the desk editor, themes and the phone layout."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from office import Client, PASSWORD
from pages import marker, open_room


def test_a_gated_room_explains_itself_to_people_outside_the_group(browsers, place, tomorrow):
    outsider = browsers()
    outsider.sign_in("ann")
    outsider.open(f"/rooms/{place['lab']['id']}?date={tomorrow}")
    message = outsider.visible("#room-message")
    assert "access" in message.text.lower()
    assert outsider.all("#desk-map .desk-marker") == []

    member = browsers()
    member.sign_in("gus")
    member.open(f"/rooms/{place['lab']['id']}?date={tomorrow}")
    member.find("#desk-map .desk-marker")
    assert not member.all("#room-message") or not member.find("#room-message").is_displayed()


def test_a_manager_drags_a_desk_and_it_stays_there(browser, server, place):
    desk = place["desks"]["A4"]
    browser.sign_in("rita")
    # A room manager's admin shows the room they manage and nothing else of the location.
    browser.open("/admin")
    browser.find(f'#places-tree li[data-kind=room][data-id="{place["open_space"]["id"]}"]')
    assert [e.get_attribute("data-id") for e in browser.all("#places-tree li[data-kind=room]")] == [place["open_space"]["id"]]
    browser.open(f"/admin/rooms/{place['open_space']['id']}")
    element = browser.visible(f'#desk-editor .editor-desk[data-desk-id="{desk["id"]}"]')
    before = browser.script("return [arguments[0].style.left, arguments[0].style.top]", element)
    ActionChains(browser.driver).click_and_hold(element).move_by_offset(-60, -30).move_by_offset(-60, -30) \
        .release().perform()
    browser.wait.until(lambda d: "saved" in d.find_element(By.ID, "editor-status").text.lower())

    moved = Client(server, "rita", PASSWORD).get(f"/desks/{desk['id']}")
    assert moved["x"] < desk["x"] - 0.05 and moved["y"] < desk["y"] - 0.03

    browser.driver.refresh()
    element = browser.visible(f'#desk-editor .editor-desk[data-desk-id="{desk["id"]}"]')
    after = browser.script("return [arguments[0].style.left, arguments[0].style.top]", element)
    assert after != before
    assert abs(float(after[0].rstrip("%")) - moved["x"] * 100) < 0.5


def test_the_theme_switch_applies_at_once_and_is_remembered(browser):
    browser.sign_in("bob")
    root = "document.documentElement"
    background = "return getComputedStyle(document.documentElement).backgroundColor"
    assert browser.script(f"return {root}.dataset.theme") == "auto"
    toggle = browser.clickable("#theme-toggle")
    toggle.click()
    browser.wait.until(lambda d: d.execute_script(f"return {root}.dataset.theme") == "light")
    light = browser.script(background)
    toggle.click()
    browser.wait.until(lambda d: d.execute_script(f"return {root}.dataset.theme") == "dark")
    dark = browser.script(background)
    assert light != dark

    # The choice is a preference on the server, not only in this browser.
    browser.script("localStorage.clear()")
    browser.driver.refresh()
    browser.wait.until(lambda d: d.execute_script(f"return {root}.dataset.theme") == "dark")
    assert browser.script(background) == dark
    browser.clickable("#theme-toggle").click()  # back to automatic for the other tests
    browser.wait.until(lambda d: d.execute_script(f"return {root}.dataset.theme") == "auto")


def test_the_map_is_usable_at_phone_width(browsers, place, tomorrow):
    phone = browsers(width=390, height=844)
    phone.sign_in("ann")
    open_room(phone, place["open_space"], tomorrow, "15:00", "17:00")
    width = phone.script("return document.documentElement.clientWidth")
    assert phone.script("return document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    map_box = phone.find("#desk-map").rect
    assert map_box["width"] <= width and map_box["width"] > 0.8 * width
    for element in phone.all("#desk-map .desk-marker"):
        box = element.rect
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, "a desk is off the screen"
        assert box["width"] >= 24 and box["height"] >= 24, "a desk is too small to tap"
    desk = place["desks"]["A4"]
    marker(phone, desk).click()
    dialog = phone.visible("#booking-dialog")
    assert dialog.rect["width"] <= width

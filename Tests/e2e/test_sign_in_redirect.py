"""Signing in follows `next` back to a page of this server only: a crafted link cannot send anyone to another host."""
from urllib.parse import quote, urlsplit

import pytest

# The raw query value after `/login?next=`, as a crafted link would carry it. Browsers read `\` as `/` and drop tabs
# and newlines, so each of these names another host once it is followed.
CRAFTED = [
    "/%5Cevil.example",
    "%2F%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%5C%5Cevil.example",
    quote("https://evil.example", safe=""),
    "//evil.example",
    quote("javascript:alert(1)", safe=""),
]


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_at(browser, address, username="ann"):
    """Opens `address` (a sign-in page), signs in through the form and waits until the browser has left it."""
    browser.open(address)
    browser.find("#username").send_keys(username)
    browser.find("#password").send_keys("e2e-password-1")
    browser.find("#login-form button[type=submit]").click()
    browser.wait.until(lambda d: urlsplit(d.current_url).path != "/login")


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_crafted_next_never_leaves_the_server(browser, server, place, crafted):
    sign_in_at(browser, f"/login?next={crafted}")
    assert origin(browser.driver.current_url) == server, f"next={crafted} led to {browser.driver.current_url}"
    # Signed in, on the start page of this server.
    assert urlsplit(browser.driver.current_url).path == "/"
    browser.wait.until(lambda d: d.execute_script("return document.getElementById('who')?.textContent") not in (None, ""))
    assert browser.errors() == []


def test_a_page_of_this_server_is_where_signing_in_leads(browser, server, place):
    sign_in_at(browser, f"/login?next={quote('/bookings?view=week', safe='/')}")
    assert browser.driver.current_url == f"{server}/bookings?view=week"
    browser.find("#period-next")


def test_a_signed_out_visit_comes_back_to_the_same_page_after_signing_in(browser, server, place):
    # The server sends a visitor without a session to sign in, with the page they asked for as the way back.
    browser.open("/bookings?view=week")
    assert urlsplit(browser.driver.current_url).path == "/login"
    sign_in_at(browser, browser.driver.current_url.removeprefix(server))
    assert browser.driver.current_url == f"{server}/bookings?view=week"


def test_a_doubled_slash_in_the_address_still_leads_back_here(browser, server, place):
    # `//bookings` shows the bookings page; followed as it stands it would name a host called "bookings".
    browser.open("//bookings?view=week")
    assert urlsplit(browser.driver.current_url).path == "/login"
    sign_in_at(browser, browser.driver.current_url.removeprefix(server))
    assert browser.driver.current_url == f"{server}/bookings?view=week"


def test_every_page_shares_one_check_of_the_way_back(browser, server):
    # The module the sign-in and sign-up pages and the API client use, asked directly with decoded values.
    expected = {
        "/\\evil.example": "/", "/\t/evil.example": "/", "/\n/evil.example": "/", "\\\\evil.example": "/",
        "//evil.example": "/", "https://evil.example": "/", "javascript:alert(1)": "/", "": "/",
        "/login": "/", "/login/?next=/bookings": "/", "/register": "/",
        "/bookings?view=week#today": "/bookings?view=week#today", "/rooms/%5Cx": "/rooms/%5Cx", "/./settings": "/settings",
    }
    browser.open("/login")
    answers = browser.driver.execute_async_script("""
        const [inputs, done] = arguments;
        import('/js/lib/return-path.js').then((m) => done(inputs.map(m.safeReturnPath)), (e) => done(String(e)));
    """, list(expected))
    assert dict(zip(expected, answers)) == expected

"""axe-core finds no critical accessibility violation on the main pages, and no page raises a script or CSP error."""
import pytest
from axe_selenium_python import Axe

from office import ADMIN, Client


def signed_in_pages(place):
    return [
        "/", f"/rooms/{place['open_space']['id']}", "/bookings", "/autopilot", "/settings", "/admin",
        f"/admin/locations/{place['location']['id']}", f"/admin/rooms/{place['open_space']['id']}",
        "/admin/users", "/admin/audit", "/admin/autopilot",
    ]


def scan(browser):
    # Let the page's module load its data first: scanning a half-built page proves little.
    browser.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    browser.wait.until(lambda d: not d.execute_script("return document.querySelector('[aria-busy=true]')"))
    axe = Axe(browser.driver)
    axe.inject()
    results = axe.run()
    critical = [v for v in results["violations"] if v["impact"] == "critical"]
    serious = [v for v in results["violations"] if v["impact"] == "serious"]
    return critical, serious, axe


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_pages_have_no_critical_violations(browser, server, place, theme):
    Client(server, *ADMIN).patch("/me/preferences", {"theme": theme})
    browser.open("/login")
    critical, serious, axe = scan(browser)
    assert critical == [], axe.report(critical)

    browser.sign_in(*ADMIN)
    found = {}
    for path in signed_in_pages(place):
        browser.open(path)
        browser.wait.until(lambda d: d.execute_script("return document.documentElement.dataset.theme") == theme)
        critical, serious, axe = scan(browser)
        if critical or serious:
            found[path] = axe.report(critical + serious)
        errors = browser.errors()
        assert errors == [], f"{path}: {errors}"
    critical_pages = {path: report for path, report in found.items() if "Impact Level: critical" in report}
    assert critical_pages == {}, "\n".join(critical_pages.values())
    assert found == {}, "serious violations:\n" + "\n".join(f"{p}: {r}" for p, r in found.items())

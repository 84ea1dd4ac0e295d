"""Coaching, cohorts and reports in a real browser: the caseload chart on a laptop, dashboards that pass
axe, and the record page on a phone."""

import pytest

from tests.browser.conftest import new_tab, screenshot, sign_in
from tests.browser.test_phone import check_phone_fit, serious_violations

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
COACH = "sam.rivera@district.example"


@pytest.fixture
def laptop(chromium, live_server):
    page = new_tab(chromium, live_server, **LAPTOP)
    yield page
    page.context.close()


def test_a_coach_opens_the_caseload_on_a_laptop_and_sees_the_chart(laptop):
    sign_in(laptop, COACH)
    laptop.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    laptop.wait_for_url("**/coaching/")
    assert laptop.locator("h1").inner_text() == "My caseload"
    chart = laptop.locator("section[aria-labelledby=chart-heading] svg.chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 60
    bars = chart.locator("rect")
    assert bars.count() >= 3
    assert max(float(bars.nth(i).get_attribute("height")) for i in range(bars.count())) > 0
    # The same numbers are in a table for screen readers.
    assert laptop.locator("#caseload-months tbody tr").count() == bars.count()
    assert laptop.locator(".card").count() >= 10
    screenshot(laptop, "caseload-laptop")
    assert serious_violations(laptop) == []
    assert laptop.console_errors == []


def test_a_coach_logs_coaching_from_the_caseload(laptop):
    sign_in(laptop, COACH)
    laptop.goto("/coaching/")
    laptop.get_by_role("link", name="Maya Ortiz").first.click()
    laptop.get_by_label("Minutes").fill("35")
    laptop.get_by_label("Notes", exact=True).fill("Planned a partner-talk launch for Monday.")
    laptop.get_by_role("button", name="Log", exact=True).click()
    assert "Logged." in laptop.locator(".flashes").inner_text()
    assert "Planned a partner-talk launch for Monday." in laptop.locator("#log").inner_text()
    screenshot(laptop, "coaching-record-laptop")
    assert serious_violations(laptop) == []


@pytest.mark.parametrize(
    "who, path",
    [
        ("dana.whitfield@district.example", "/reports/"),
        ("marcus.bell@district.example", "/reports/"),
        ("dana.whitfield@district.example", "/cohorts/1"),
        ("maya.ortiz@district.example", "/reports/my-year"),
    ],
)
def test_dashboards_have_no_serious_accessibility_violations(laptop, who, path):
    sign_in(laptop, who)
    laptop.goto(path)
    assert serious_violations(laptop) == [], path
    assert laptop.console_errors == []


def test_the_district_dashboard_on_a_phone(phone):
    sign_in(phone, "dana.whitfield@district.example")
    phone.goto("/reports/")
    assert phone.locator("svg.chart").first.is_visible()
    screenshot(phone, "dashboard-phone")
    check_phone_fit(phone)


def test_a_coaching_record_fits_a_phone(phone):
    sign_in(phone, COACH)
    phone.goto("/coaching/")
    phone.get_by_role("link", name="Maya Ortiz").first.click()
    screenshot(phone, "coaching-record-phone")
    check_phone_fit(phone)
    assert serious_violations(phone) == []

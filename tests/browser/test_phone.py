"""Walkthrough on a phone: real Chromium at 360x780 with touch, against a live server."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from tests.browser.conftest import screenshot, sign_in
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db
from walkthrough.schools.models import School

pytestmark = pytest.mark.browser

TEACHER = "maya.ortiz@district.example"
ADMIN = "dana.whitfield@district.example"

# Visible controls smaller than this in either direction fail.
TOO_SMALL_TARGETS = """
() => {
  const small = [];
  // checkVisibility also leaves out what a closed <details> hides (the phone menu's "More").
  const visible = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true }); };
  const union = (a, b) => ({ width: Math.max(a.right, b.right) - Math.min(a.left, b.left),
                             height: Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top) });
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
    if (!visible(el) || el.closest('.skip-link')) continue;
    let box = el.getBoundingClientRect();
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels[0]) {
      box = union(box, el.labels[0].getBoundingClientRect());
    }
    const label = (el.innerText || el.name || el.id).trim().slice(0, 40);
    if (box.height < 44 || box.width < 44) {
      small.push(`${el.tagName} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_phone_fit(page) -> None:
    # innerWidth grows when a mobile browser zooms out to fit a too-wide page, so compare with the viewport.
    overflow = page.evaluate("() => document.documentElement.scrollWidth") - page.viewport_size["width"]
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    assert page.evaluate(TOO_SMALL_TARGETS) == [], page.url
    assert page.locator("h1").count() == 1, page.url
    assert "<" not in page.title() and page.title().endswith("· Walkthrough"), page.url
    assert page.console_errors == [], page.console_errors


def test_a_teacher_signs_in_on_a_phone_and_reaches_home(phone):
    sign_in(phone, TEACHER)
    assert phone.locator("h1").inner_text() == "Hello, Maya"
    assert phone.get_by_role("heading", name="Your periods").is_visible()
    screenshot(phone, "home-phone")
    check_phone_fit(phone)


def test_login_and_home_have_no_serious_accessibility_violations(phone):
    phone.goto("/auth/login")
    assert serious_violations(phone) == []
    sign_in(phone, TEACHER)
    assert serious_violations(phone) == []


def test_a_wrong_password_keeps_the_email_and_says_why(phone):
    phone.goto("/auth/login")
    phone.get_by_label("Email").fill(TEACHER)
    phone.get_by_label("Password", exact=True).fill("not my password")
    phone.get_by_role("button", name="Sign in").tap()
    assert phone.get_by_label("Email").input_value() == TEACHER
    assert "don't match" in phone.locator(".field__error").inner_text()
    assert serious_violations(phone) == []
    check_phone_fit(phone)


@pytest.mark.parametrize(
    "who, paths",
    [
        (None, ["/auth/login", "/auth/forgot"]),
        (
            TEACHER,
            [
                "/",
                "/account",
                "/visits/",
                "/visits/mine",
                "/visits/host/new",
                "/visits/slots/1",
                "/observations/",
                "/observations/new",
                "/offline",
                "/coverage/request",
                "/coaching/me",
                "/learning",
                "/cohorts",
                "/reports/my-year",
                "/walks/",
                "/walks/2",
                "/walks/3/capture",
                "/walks/results",
                "/walks/tools",
                "/surveys/",
                "/surveys/1/results",
                "/toolkit/",
                "/toolkit/1",
                "/showcase/",
                "/showcase/1",
            ],
        ),
        (
            "jordan.lee@district.example",
            ["/visits/pair", "/visits/slots/2", "/protocols/1", "/coaching/", "/cohorts/1", "/coaching/find?q=ma"],
        ),
        (
            "sam.rivera@district.example",
            ["/coaching/", "/walks/new", "/walks/new?school_id=2", "/walks/1", "/toolkit/new", "/toolkit/1/edit"],
        ),
        ("marcus.bell@district.example", ["/reports/"]),
        ("alex.kim@district.example", ["/", "/coverage/jobs"]),
        (
            ADMIN,
            [
                "/",
                "/admin/schools",
                "/admin/schools/3",
                "/admin/schools/3/calendar",
                "/admin/people",
                "/admin/people/1",
                "/admin/people/1/leave",
                "/admin/people/invite",
                "/admin/roster",
                "/admin/schools/new",
                "/admin/periods/1/edit",
                "/no-such-page",
                "/coverage/board",
                "/coverage/report",
                "/coverage/board/print",
                "/protocols/",
                "/reports/",
                "/admin/audit",
                "/admin/email",
                "/admin/email?show=sent",
                "/cohorts",
                "/cohorts/1",
                "/walks/compare",
                "/walks/results?school_id=2",
                "/surveys/",
                "/surveys/new",
                "/surveys/1",
                "/surveys/2",
                "/surveys/1/results",
                "/trainings/",
                "/trainings/1",
                "/trainings/report",
            ],
        ),
    ],
)
def test_every_page_fits_a_phone_with_big_enough_targets(phone, who, paths):
    if who:
        sign_in(phone, who)
    for path in paths:
        phone.goto(path)
        check_phone_fit(phone)
        assert serious_violations(phone) == [], path


def test_an_admin_adds_a_period_in_place_with_htmx(phone):
    sign_in(phone, ADMIN)
    phone.goto("/admin/schools/2")
    phone.evaluate("() => { window.stillSamePage = true; }")
    form = phone.locator("form[aria-labelledby=add-period-heading]")
    form.get_by_label("Period name").fill("Enrichment")
    form.get_by_label("Starts").fill("15:30")
    form.get_by_label("Ends").fill("16:15")
    form.get_by_label("Tue").check()
    form.get_by_label("Thu").check()
    form.get_by_role("button", name="Add period").tap()
    card = phone.locator(".card", has_text="Enrichment")
    card.wait_for()
    assert "Tue, Thu" in card.inner_text()
    assert phone.evaluate("() => window.stillSamePage") is True
    form.get_by_label("Period name").fill("Late bus")
    form.get_by_label("Starts").fill("16:30")
    form.get_by_label("Ends").fill("16:00")
    form.get_by_label("Mon").check()
    form.get_by_role("button", name="Add period").tap()
    phone.locator(".field__error", has_text="must end after").wait_for()
    assert form.get_by_label("Period name").input_value() == "Late bus"
    assert phone.console_errors == []


def test_people_search_filters_in_place_and_keeps_the_filter_in_the_url(phone):
    sign_in(phone, ADMIN)
    phone.goto("/admin/people")
    phone.get_by_label("Search by name or email").fill("ortiz")
    phone.wait_for_url("**/admin/people?q=ortiz*")
    assert phone.locator("#people-results .card").count() == 1
    assert "Maya Ortiz" in phone.locator("#people-results").inner_text()
    phone.reload()
    assert phone.get_by_label("Search by name or email").input_value() == "ortiz"
    assert phone.locator("#people-results .card").count() == 1


def test_an_admin_erases_a_departing_teachers_data_after_typing_their_name(phone, live_app):
    with live_app.app_context():
        riverside = db.session.scalar(select(School).where(School.name == "Riverside Middle School"))
        leaving = User(email="lee.leaving@district.example", name="Lee Leaving", school_id=riverside.id)
        leaving.set_roles({Role.TEACHER})
        db.session.add(leaving)
        db.session.commit()
        leaving_id = leaving.id
    sign_in(phone, ADMIN)
    phone.goto(f"/admin/people/{leaving_id}")
    phone.get_by_role("link", name="Lee Leaving is leaving…").tap()
    assert "hasn't downloaded a copy of their data yet" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Email Lee Leaving the download link").tap()
    phone.locator(".flash", has_text="emailed a link").wait_for()
    phone.get_by_label("Type their name to confirm").fill("Lee Leavng")
    phone.get_by_role("button", name="Erase their data").tap()
    phone.locator(".field__error", has_text="exactly as shown").wait_for()
    assert phone.get_by_label("Type their name to confirm").input_value() == "Lee Leavng"
    screenshot(phone, "depart-phone")
    check_phone_fit(phone)
    phone.get_by_label("Type their name to confirm").fill("Lee Leaving")
    phone.get_by_role("button", name="Erase their data").tap()
    phone.locator(".flash", has_text="personal data is erased").wait_for()
    phone.goto("/admin/people?q=leaving")
    assert phone.locator("#people-results .card").count() == 0

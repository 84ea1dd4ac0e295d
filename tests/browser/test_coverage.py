"""Coverage in a real browser: a substitute takes a job on a phone; an admin fills the board on a laptop."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.browser.conftest import new_tab, screenshot, sign_in
from tests.browser.test_phone import check_phone_fit, serious_violations
from walkthrough.auth.models import User
from walkthrough.coverage.models import CoverageRequest
from walkthrough.extensions import db
from walkthrough.schools.models import School

pytestmark = pytest.mark.browser


def needs_cover(live_app, teacher_email, day, hours):
    with live_app.app_context():
        teacher = db.session.scalar(select(User).where(User.email == teacher_email))
        school = db.session.scalar(select(School).where(School.id == teacher.school_id))
        made = []
        for n, hour in enumerate(hours):
            starts = datetime.combine(day, time(hour), tzinfo=UTC)
            request = CoverageRequest(
                teacher_id=teacher.id,
                school_id=school.id,
                day=day,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=50),
                reason="conference",
                room=f"20{n}",
                course="Math 7",
                notes="Plans are on the desk.",
            )
            db.session.add(request)
            made.append(request)
        db.session.commit()
        return school.id, [r.id for r in made]


def test_a_substitute_accepts_a_job_on_a_phone(phone, live_app):
    day = date.today() + timedelta(days=45)
    needs_cover(live_app, "maya.ortiz@district.example", day, [15, 16])
    sign_in(phone, "alex.kim@district.example")
    phone.goto("/coverage/jobs")
    check_phone_fit(phone)
    assert serious_violations(phone) == []
    job = phone.locator(".card", has_text="Maya Ortiz").filter(has_text=day.strftime("%a %-d %b"))
    job.get_by_role("button", name="Accept").tap()
    phone.locator(".flash", has_text="The job is yours").wait_for()
    assignments = phone.locator("section", has_text="Your assignments")
    assert "45 River Street" in assignments.inner_text() and "Plans are on the desk." in assignments.inner_text()
    screenshot(phone, "substitute-jobs-phone")
    check_phone_fit(phone)


def test_an_admin_fills_the_board_on_a_laptop(chromium, live_server, live_app):
    day = date.today() + timedelta(days=46)
    school_id, _ = needs_cover(live_app, "jordan.lee@district.example", day, [14, 15])
    laptop = new_tab(chromium, live_server, viewport={"width": 1280, "height": 900})
    try:
        sign_in(laptop, "dana.whitfield@district.example")
        laptop.goto(f"/coverage/board?school_id={school_id}&day={day.isoformat()}")
        assert serious_violations(laptop) == []
        job = laptop.locator(".job", has_text="Jordan Lee")
        choice = job.get_by_label("Who covers 2 classes?")
        substitute = choice.locator("optgroup[label=Substitutes] option:not([disabled])").first
        name = substitute.inner_text().split(" — ")[0]
        choice.select_option(value=substitute.get_attribute("value"))
        job.get_by_role("button", name="Assign").click()
        laptop.locator(".job", has_text="Jordan Lee").get_by_role("button", name="Release cover").wait_for()
        assert laptop.locator(".job", has_text="Jordan Lee").inner_text().count(name) == 2
        screenshot(laptop, "coverage-board-laptop")
        assert laptop.console_errors == []
    finally:
        laptop.context.close()

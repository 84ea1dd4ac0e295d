"""Booking a visit on a phone: filter, sign up, see it in My visits, cancel, and the waitlist moves up."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from tests.browser.conftest import new_tab, screenshot, sign_in
from tests.browser.test_phone import check_phone_fit, serious_violations
from walkthrough.auth.models import User
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.schools.calendar import school_day
from walkthrough.visits import hosting, services

pytestmark = pytest.mark.browser


def person(email):
    return db.session.scalar(select(User).where(User.email == email))


def open_day_from(school, day: date) -> date:
    """The first day from this one that the school is open: the demo calendar has weekends and breaks, and
    the suite runs on any day of the week (five days from a Monday is a Saturday)."""
    while not school_day(school, day).has_school:
        day += timedelta(days=1)
    return day


def test_filter_sign_up_cancel_and_the_waitlist_moves_up(chromium, live_server, live_app):
    with live_app.app_context():
        host = person("jordan.lee@district.example")
        [slot] = hosting.open_classroom(
            host=host,
            day=open_day_from(host.school, date.today() + timedelta(days=5)),
            period_id=None,
            local_start=time(13, 40),
            local_end=time(14, 30),
            room="Library",
            capacity=1,
            focus_question="How do students choose sources?",
            protocol=db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question")),
            note_for_visitors="Come in quietly",
            cutoff_hours=0,
            per_person_limit=None,
        )
        db.session.commit()
        slot_id, school_id, host_id = slot.id, slot.school_id, host.id

    maya = new_tab(chromium, live_server)
    waiting = new_tab(chromium, live_server)
    try:
        sign_in(maya, "maya.ortiz@district.example")
        maya.goto("/visits/")
        maya.get_by_label("School").select_option(value=str(school_id))
        maya.wait_for_url(f"**/visits/?*school_id={school_id}*")
        maya.get_by_label("Subject").fill("library")
        maya.wait_for_url("**subject=library*")
        card = maya.locator(f"#slot-{slot_id}")
        card.wait_for()
        check_phone_fit(maya)
        assert serious_violations(maya) == []
        screenshot(maya, "open-classrooms-phone")
        card.get_by_role("button", name="Sign up").tap()
        card.get_by_text("You're going").wait_for()

        with live_app.app_context():
            late = db.session.scalar(
                select(User)
                .where(User.email != "maya.ortiz@district.example", User.school_id == school_id, User.id != host_id)
                .order_by(User.id)
                .limit(1)
            )
            services.sign_up(slot=db.session.get(type(slot), slot_id), observer=late, actor=late)
            db.session.commit()
            late_email = late.email

        maya.goto("/visits/mine")
        visit = maya.locator(".card", has_text="Jordan Lee")
        assert "booked" in visit.inner_text()
        check_phone_fit(maya)
        assert serious_violations(maya) == []
        visit.get_by_role("button", name="Cancel").tap()
        maya.locator(".flash", has_text="cancelled").wait_for()

        sign_in(waiting, late_email)
        waiting.goto("/visits/mine")
        assert "booked" in waiting.locator(".card", has_text="Jordan Lee").inner_text()
    finally:
        maya.context.close()
        waiting.context.close()


def test_opening_a_classroom_on_a_phone(phone):
    sign_in(phone, "maya.ortiz@district.example")
    phone.goto("/visits/host/new")
    check_phone_fit(phone)
    assert serious_violations(phone) == []
    phone.get_by_label("Date").fill((date.today() + timedelta(days=400)).isoformat())
    phone.get_by_role("button", name="Open my classroom").tap()
    phone.locator(".field__error", has_text="school year").wait_for()
    check_phone_fit(phone)

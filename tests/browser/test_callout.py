"""A substitute on a phone accepts a cover job from the link in the call-out email: no signing in, one tap."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.browser.conftest import screenshot
from tests.browser.test_phone import check_phone_fit
from tests.people_setup import link_in
from walkthrough.auth.models import Role, RoleGrant, User
from walkthrough.coverage import callout
from walkthrough.coverage import services as coverage
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage
from walkthrough.rules import RuleViolation

pytestmark = pytest.mark.browser

SUBSTITUTE = "alex.kim@district.example"


def _open_job(live_app) -> tuple[str, list[int]]:
    """A teacher at one of Alex's schools asks for cover three weeks ahead; the call-out emails Alex."""
    with live_app.app_context():
        alex = db.session.scalar(select(User).where(User.email == SUBSTITUTE))
        school_ids = set(
            db.session.scalars(select(SubstitutePool.school_id).where(SubstitutePool.substitute_id == alex.id))
        )
        teachers = db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(RoleGrant.role == Role.TEACHER.value, User.school_id.in_(school_ids))
            .order_by(User.id)
        ).all()
        requests, day = [], date.today() + timedelta(days=21)
        while not requests:  # a school day a teacher at one of Alex's schools teaches (the calendar has breaks)
            day += timedelta(days=1)
            for teacher in teachers:
                try:
                    requests = coverage.request_coverage(
                        teacher=teacher, day=day, period_ids=None, reason="conference", notes=""
                    )
                    break
                except RuleViolation:
                    continue
        db.session.commit()
        for request in requests:  # the preferred substitutes' turn, if the demo has any, is over
            request.called_out_at = request.created_at - timedelta(hours=1)
        callout.call_out()
        db.session.commit()
        [message] = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == SUBSTITUTE,
                OutboxMessage.kind == "coverage/callout",
                OutboxMessage.subject.contains(day.strftime("%-d %b")),
            )
        ).all()
        return link_in(message.body), [r.id for r in requests]


def test_a_substitute_accepts_a_job_from_the_email_link_on_a_phone(phone, live_app):
    link, ids = _open_job(live_app)
    phone.goto(link)
    phone.get_by_role("button", name="Accept this job").wait_for()
    check_phone_fit(phone)
    screenshot(phone, "callout-take")
    phone.get_by_role("button", name="Accept this job").click()
    phone.get_by_role("heading", name="The job is yours").wait_for()
    check_phone_fit(phone)
    with live_app.app_context():
        alex_id = db.session.scalar(select(User.id).where(User.email == SUBSTITUTE))
        covers = set(db.session.scalars(select(CoverageRequest.cover_id).where(CoverageRequest.id.in_(ids))))
    assert covers == {alex_id}

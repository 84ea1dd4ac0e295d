"""A snow day declared at 6 am: the day's visits and cover are cancelled, release time comes back, and
each person concerned gets one message; a false alarm can be reopened."""

from datetime import time

import pytest
from sqlalchemy import func, select

from tests.coverage_setup import live_requests, visit
from walkthrough.auth.models import Role
from walkthrough.coverage import services as coverage
from walkthrough.coverage.budget import release_time
from walkthrough.extensions import db
from walkthrough.flows.closures import DISTRICT_ONLY, NEEDS_A_NAME, NOT_YOUR_SCHOOL, close_day, reopen_day
from walkthrough.outbox.models import OutboxMessage
from walkthrough.rules import RuleViolation
from walkthrough.schools.calendar import has_school
from walkthrough.visits.models import SignUpStatus


def emails_since(first_id):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > first_id)).all()


def test_a_snow_day_cancels_the_days_plans_and_tells_each_person_once(school_day):
    d = school_day
    slot, signup = visit(d, time(9), time(9, 50))
    coverage.assign(requests=live_requests(d), cover=d["sub"], actor=d["admin"])
    db.session.commit()
    assert release_time(d["observer"]).used > 0
    before = db.session.scalar(select(func.max(OutboxMessage.id)))

    told = close_day(day=d["day"], name="Snow day", actor=d["admin"], school=d["school"])
    db.session.commit()

    assert told == 3 and not has_school(d["school"], d["day"])
    db.session.expire_all()
    assert slot.cancelled_at is not None and signup.status == SignUpStatus.CANCELLED
    assert live_requests(d) == [] and release_time(d["observer"]).used == 0
    sent = emails_since(before)
    assert sorted(m.recipient for m in sent) == sorted(p.email for p in (d["observer"], d["host"], d["sub"]))
    [to_observer] = [m for m in sent if m.recipient == d["observer"].email]
    assert to_observer.subject.endswith(": Snow day")
    assert "Your visit to Jordan Host's class at 9:00 am" in to_observer.body
    assert "Cover for your Period 2 at 9:00 am; the release time is yours again." in to_observer.body
    assert "METHOD:CANCEL" in to_observer.calendar

    assert reopen_day(day=d["day"], actor=d["admin"], school=d["school"])
    db.session.commit()
    assert has_school(d["school"], d["day"]) and slot.cancelled_at is not None  # told is told
    with pytest.raises(RuleViolation, match="isn't closed for this school"):
        reopen_day(day=d["day"], actor=d["admin"], school=d["school"])


def test_closing_is_for_the_admins_of_the_school(school_day, make_user, make_school):
    d = school_day
    elsewhere = make_user(Role.ADMIN, school=make_school("Elsewhere"))
    cases = [
        (d["observer"], d["school"], "Snow day", NOT_YOUR_SCHOOL),
        (elsewhere, d["school"], "Snow day", NOT_YOUR_SCHOOL),
        (d["admin"], None, "Snow day", DISTRICT_ONLY),
        (d["admin"], d["school"], "   ", NEEDS_A_NAME),
    ]
    for actor, school, name, message in cases:
        with pytest.raises(RuleViolation, match=message[:20]):
            close_day(day=d["day"], name=name, actor=actor, school=school)
        db.session.rollback()
    assert has_school(d["school"], d["day"])


def test_a_district_admin_closes_every_school(school_day, make_user, make_school):
    d = school_day
    visit(d, time(9), time(9, 50))
    district_admin = make_user(Role.ADMIN)
    close_day(day=d["day"], name="Ice storm", actor=district_admin)
    db.session.commit()
    assert not has_school(d["school"], d["day"]) and live_requests(d) == []


def test_an_imported_calendar_closing_a_planned_day_cancels_its_plans(school_day, runner, tmp_path):
    d = school_day
    slot, signup = visit(d, time(9), time(9, 50))
    path = tmp_path / "district.csv"
    path.write_text(f"date,name\n{d['day'].isoformat()},Teacher work day\n")
    result = runner.invoke(args=["calendar", "import", str(path)])
    assert result.exit_code == 0 and "2 people were told" in result.output
    db.session.expire_all()
    assert slot.cancelled_at is not None and live_requests(d) == []

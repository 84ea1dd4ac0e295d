"""Every rule that counts or compares holds when ten requests arrive at once, through a live server, on
SQLite and on PostgreSQL (where nothing serialises writers by itself): a person's own overlapping visits,
a per-person limit across a series, the release-time budget and a colleague's weekly cover cap. Capacity
and a substitute's overlapping jobs are in test_concurrency.py and test_coverage_concurrency.py.

Each rule holds because the request first writes the row of the person it counts for (the slot's row for
capacity), so concurrent requests count one after another; without that write these tests fail on
PostgreSQL (shown in the closing note of the change that added them)."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from tests.coverage_setup import weekday_ahead
from tests.test_concurrency import signed_in_opener
from tests.test_coverage_concurrency import _all_at_once, _live, _post
from tests.visit_setup import open_slot
from walkthrough.auth.models import Role
from walkthrough.coverage.models import CoverageRequest
from walkthrough.extensions import db
from walkthrough.visits.models import ACTIVE, SignUp

AT_ONCE = 10


def _sign_up_to_all_at_once(make_app, email: str, slot_ids: list[int]) -> list[int]:
    server, thread, base = _live(make_app)
    try:
        openers = [signed_in_opener(base, email) for _ in slot_ids]
        return _all_at_once(
            [
                (lambda o=o, slot_id=slot_id: _post(o, f"{base}/visits/slots/{slot_id}/signup", {}))
                for o, slot_id in zip(openers, slot_ids, strict=True)
            ]
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _signups(observer_id: int, status: set[str] = ACTIVE) -> int:
    db.session.expire_all()
    query = select(func.count()).select_from(SignUp).where(SignUp.observer_id == observer_id)
    return db.session.scalar(query.where(SignUp.status.in_(status)))


def test_ten_overlapping_visits_booked_at_once_hold_one(school_day, make_app, make_user):
    d = school_day
    hosts = [make_user(Role.TEACHER, school=d["school"]) for _ in range(AT_ONCE)]
    slot_ids = [open_slot(d, host=host, day=d["day"], start=time(8), end=time(8, 40))[0].id for host in hosts]
    statuses = _sign_up_to_all_at_once(make_app, d["observer"].email, slot_ids)
    assert sorted(statuses) == [200] + [422] * (AT_ONCE - 1)
    assert _signups(d["observer"].id) == 1


def test_a_limit_of_one_per_person_across_a_series_holds_under_ten_bookings(school_day, make_app):
    d = school_day
    series = open_slot(
        d, day=d["day"], start=time(8), end=time(8, 40), per_person_limit=1, repeat="weekly", weeks=AT_ONCE
    )
    assert len(series) == AT_ONCE
    statuses = _sign_up_to_all_at_once(make_app, d["observer"].email, [slot.id for slot in series])
    assert sorted(statuses) == [200] + [422] * (AT_ONCE - 1)
    assert _signups(d["observer"].id) == 1


def test_release_time_left_for_one_visit_confirms_one_and_asks_approval_for_the_rest(school_day, make_app):
    """An hour left; ten 50-minute visits in a taught period, on ten days, booked at once."""
    d = school_day
    d["observer"].release_minutes = 60
    days = [d["day"] + timedelta(weeks=n) for n in range(AT_ONCE)]
    slot_ids = [open_slot(d, day=day, start=time(9), end=time(9, 50))[0].id for day in days]
    statuses = _sign_up_to_all_at_once(make_app, d["observer"].email, slot_ids)
    assert statuses == [200] * AT_ONCE
    assert _signups(d["observer"].id, {"confirmed"}) == 1
    assert _signups(d["observer"].id, {"pending"}) == AT_ONCE - 1


def test_a_colleagues_weekly_cover_cap_holds_when_ten_admins_book_them_at_once(school_day, make_app, make_user):
    d = school_day
    school, colleague = d["school"], d["free"][0]
    school.weekly_cover_cap = 3
    day = weekday_ahead(0)
    admins = [make_user(Role.ADMIN, school=school) for _ in range(AT_ONCE)]
    teachers = [make_user(Role.TEACHER, school=school) for _ in range(AT_ONCE)]
    jobs = []
    for n, teacher in enumerate(teachers):
        starts = datetime.combine(day + timedelta(days=n % 5), time(13 + n // 5 * 2), tzinfo=UTC)
        job = CoverageRequest(
            teacher_id=teacher.id,
            school_id=school.id,
            day=starts.date(),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            reason="conference",
        )
        db.session.add(job)
        jobs.append(job)
    db.session.commit()
    calls = [(a.email, job.id, job.day.isoformat()) for a, job in zip(admins, jobs, strict=True)]
    school_id, colleague_id = school.id, colleague.id
    server, thread, base = _live(make_app)
    try:
        openers = [(signed_in_opener(base, email), job_id, day) for email, job_id, day in calls]
        fields = {"school_id": school_id, "cover_id": colleague_id}
        statuses = _all_at_once(
            [
                (
                    lambda o=o, job=job, day=day: _post(
                        o, f"{base}/coverage/assign", fields | {"request_id": job, "day": day}
                    )
                )
                for o, job, day in openers
            ]
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
    db.session.expire_all()
    covered = db.session.scalar(
        select(func.count()).select_from(CoverageRequest).where(CoverageRequest.cover_id == colleague_id)
    )
    assert covered == 3 and sorted(statuses) == [200] * 3 + [422] * (AT_ONCE - 3)

"""School years kept across requests in every app process, under a stamp in the shared cache (see
walkthrough/schools/calendar.py): a calendar change committed through one process reaches the others."""

import uuid
from datetime import date

import pytest
import redis
from icalendar import Calendar
from sqlalchemy import delete, event
from sqlalchemy.engine import Engine

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.schools.models import CalendarDay, Rotation

STORE = "redis://127.0.0.1:6379/15"


@pytest.fixture
def school(app, make_school):
    return make_school("Lincoln High", rotation=Rotation.AB, first_day=date(2030, 8, 26), last_day=date(2031, 6, 13))


def test_every_app_process_keeps_a_year_until_a_calendar_change_commits(school, make_user, make_app):
    """Years are kept across requests (two queries and a walk through the year on every page that shows a
    day) and filed under a stamp in the shared cache: a change committed through one process, by a form or
    by a script's bulk statement, reaches a year another process kept."""
    store, prefix = STORE, f"walkthrough-test-{uuid.uuid4().hex}"
    shared = dict(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=store, CACHE_KEY_PREFIX=prefix)
    first, second = make_app(**shared), make_app(**shared)
    teacher = make_user(Role.TEACHER, school=school)
    admin = make_user(Role.ADMIN, school=school)
    feed_url = f"/visits/calendar/{teacher.calendar_token}.ics"

    def feed() -> set:
        answer = second.test_client().get(feed_url)
        return {str(e["SUMMARY"]) for e in Calendar.from_ical(answer.data).walk("VEVENT")}

    calendar_reads = []

    def note(_conn, _cursor, statement, *_args):
        calendar_reads.extend(["calendar_days"] if "FROM calendar_days" in statement else [])

    try:
        assert "No school: Power cut" not in feed()
        event.listen(Engine, "before_cursor_execute", note)
        try:
            feed()
        finally:
            event.remove(Engine, "before_cursor_execute", note)
        assert calendar_reads == []  # the year was kept

        office = first.test_client()
        office.post("/auth/login", data={"email": admin.email, "password": "correct horse battery"})
        closed = office.post(
            f"/admin/schools/{school.id}/calendar/close", data={"day": "2030-10-07", "name": "Power cut"}
        )
        assert closed.status_code == 302
        assert "No school: Power cut" in feed()

        with first.app_context():
            db.session.execute(delete(CalendarDay).where(CalendarDay.name == "Power cut"))
            db.session.commit()
        assert "No school: Power cut" not in feed()
    finally:
        client = redis.Redis.from_url(store)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)

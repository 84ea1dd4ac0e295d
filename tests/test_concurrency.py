"""Capacity holds when many people tap the last seat at once: real threads against a live server,
on SQLite and on PostgreSQL."""

import http.cookiejar
import threading
import urllib.parse
import urllib.request
from datetime import date, time, timedelta

from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.visit_setup import weekday_after
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.visits import hosting
from walkthrough.visits.models import SignUp

PEOPLE = 20


def signed_in_opener(base: str, email: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
    opener.open(f"{base}/auth/login", data=data, timeout=30).read()
    return opener


def test_twenty_people_tap_the_last_seat_at_once(app, make_app, make_user, make_school):
    school = make_school(first_day=date.today() - timedelta(days=30), last_day=date.today() + timedelta(days=200))
    host = make_user(Role.TEACHER, school=school)
    people = [make_user(Role.TEACHER, school=school) for _ in range(PEOPLE)]
    protocol = db.session.scalar(select(Protocol))
    [slot] = hosting.open_classroom(
        host=host,
        day=weekday_after(3),
        period_id=None,
        local_start=time(10),
        local_end=time(11),
        room="",
        capacity=1,
        focus_question="",
        protocol=protocol,
        note_for_visitors="",
        cutoff_hours=0,
        per_person_limit=None,
    )
    db.session.commit()
    slot_id, emails = slot.id, [person.email for person in people]

    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        openers = [signed_in_opener(base, email) for email in emails]
        start_together = threading.Barrier(PEOPLE)
        statuses = []

        def tap(opener):
            start_together.wait()
            request = urllib.request.Request(
                f"{base}/visits/slots/{slot_id}/signup", data=b"", method="POST", headers={"HX-Request": "true"}
            )
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)

        threads = [threading.Thread(target=tap, args=(opener,)) for opener in openers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.shutdown()
        thread.join(timeout=10)

    assert statuses == [200] * PEOPLE
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            select(SignUp.status, func.count()).where(SignUp.slot_id == slot_id).group_by(SignUp.status)
        ).all()
    )
    assert counts == {"confirmed": 1, "waitlisted": PEOPLE - 1}

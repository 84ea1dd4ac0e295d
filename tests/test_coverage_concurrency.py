"""Ten admins booking one substitute at once, and ten substitutes taking one job at once:
exactly one wins, on SQLite and on PostgreSQL, through a live server."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.test_concurrency import signed_in_opener
from tests.visit_setup import weekday_after
from walkthrough.auth.models import Role, User
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db

AT_ONCE = 10


def _live(make_app):
    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_port}"


def _all_at_once(calls):
    start_together = threading.Barrier(len(calls))
    statuses = []

    def run(call):
        start_together.wait()
        statuses.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


def _post(opener, url, fields):
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(fields, doseq=True).encode(), method="POST", headers={"HX-Request": "true"}
    )
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _requests(make_school, make_user, count):
    school = make_school(first_day=date.today() - timedelta(days=30), last_day=date.today() + timedelta(days=200))
    day = weekday_after(3)
    starts = datetime.combine(day, time(15), tzinfo=UTC)
    made = []
    for _ in range(count):
        teacher = make_user(Role.TEACHER, school=school)
        request = CoverageRequest(
            teacher_id=teacher.id,
            school_id=school.id,
            day=day,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            reason="conference",
        )
        db.session.add(request)
        made.append(request)
    db.session.commit()
    return school, day, made


def test_ten_admins_booking_one_substitute_into_overlapping_jobs(app, make_app, make_user, make_school):
    school, day, overlapping = _requests(make_school, make_user, AT_ONCE)
    sub = make_user(Role.SUBSTITUTE)
    admins = [make_user(Role.ADMIN, school=school) for _ in range(AT_ONCE)]
    db.session.add(SubstitutePool(substitute_id=sub.id, school_id=school.id))
    db.session.commit()
    jobs, sub_id, school_id, emails = [j.id for j in overlapping], sub.id, school.id, [a.email for a in admins]
    server, thread, base = _live(make_app)
    try:
        openers = [signed_in_opener(base, email) for email in emails]
        statuses = _all_at_once(
            [
                (
                    lambda o=o, job=job: _post(
                        o,
                        f"{base}/coverage/assign",
                        {"school_id": school_id, "day": day.isoformat(), "request_id": job, "cover_id": sub_id},
                    )
                )
                for o, job in zip(openers, jobs, strict=True)
            ]
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert sorted(statuses) == [200] + [422] * (AT_ONCE - 1)
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(CoverageRequest).where(CoverageRequest.cover_id == sub_id))
        == 1
    )


def test_ten_substitutes_accept_the_same_job_at_once(app, make_app, make_user, make_school):
    school, day, (job,) = _requests(make_school, make_user, 1)
    subs = [make_user(Role.SUBSTITUTE) for _ in range(AT_ONCE)]
    db.session.add_all([SubstitutePool(substitute_id=s.id, school_id=school.id) for s in subs])
    db.session.commit()
    job_id, emails = job.id, [s.email for s in subs]
    server, thread, base = _live(make_app)
    try:
        openers = [signed_in_opener(base, email) for email in emails]
        _all_at_once([(lambda o=o: _post(o, f"{base}/coverage/jobs/accept", {"request_id": job_id})) for o in openers])
    finally:
        server.shutdown()
        thread.join(timeout=10)
    db.session.expire_all()
    taken = db.session.get(CoverageRequest, job_id)
    assert taken.status == "confirmed" and taken.cover_id in {s.id for s in subs}
    from walkthrough.outbox.models import OutboxMessage

    booked = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.subject.like("You're covering%"))
    )
    assert booked == 1


def test_one_tap_links_and_the_job_board_race_for_one_job_and_one_wins(app, make_app, make_user, make_school):
    """Five substitutes tap the link in their call-out email while five others press Accept on the job board,
    all at once: one gets the job, and only one is told it's theirs."""
    from walkthrough.coverage import callout

    school, day, (job,) = _requests(make_school, make_user, 1)
    subs = [make_user(Role.SUBSTITUTE) for _ in range(AT_ONCE)]
    db.session.add_all([SubstitutePool(substitute_id=s.id, school_id=school.id) for s in subs])
    db.session.commit()
    with app.test_request_context():
        links = [callout.take_link(s, callout.job_of([job])) for s in subs[: AT_ONCE // 2]]
    job_id, board_emails = job.id, [s.email for s in subs[AT_ONCE // 2 :]]
    server, thread, base = _live(make_app)
    try:
        anonymous = urllib.request.build_opener()
        openers = [signed_in_opener(base, email) for email in board_emails]
        tapped = [(lambda link=link: _post(anonymous, base + "/" + link.split("/", 3)[3], {})) for link in links]
        pressed = [(lambda o=o: _post(o, f"{base}/coverage/jobs/accept", {"request_id": job_id})) for o in openers]
        statuses = _all_at_once(tapped + pressed)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    db.session.expire_all()
    taken = db.session.get(CoverageRequest, job_id)
    assert taken.status == "confirmed" and taken.cover_id in {s.id for s in subs}
    assert statuses.count(200) >= 1, statuses
    from walkthrough.outbox.models import OutboxMessage

    booked = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "coverage/booked")).all()
    assert booked == [db.session.get(User, taken.cover_id).email]

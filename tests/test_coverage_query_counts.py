"""The coverage pages run a fixed number of queries however many classes need cover."""

from datetime import time

from tests.coverage_setup import weekday_ahead
from tests.history_setup import cover
from tests.test_query_counts import queries_for
from walkthrough.auth.models import Role
from walkthrough.coverage.models import SubstitutePool
from walkthrough.extensions import db


def test_coverage_pages_do_not_grow_their_query_count(school_day, make_user, auth, client, count_queries):
    d = school_day
    day = weekday_ahead(2)
    subs = [d["sub"]]

    def grow(n):
        for _i in range(n):
            teacher = make_user(Role.TEACHER, school=d["school"])
            sub = make_user(Role.SUBSTITUTE)
            db.session.add(SubstitutePool(substitute_id=sub.id, school_id=d["school"].id))
            subs.append(sub)
            cover(teacher=teacher, day=day, start=time(9), end=time(9, 50), status="open")
            cover(teacher=teacher, day=day, start=time(10), end=time(10, 50), status="confirmed", cover_person=sub)
        db.session.commit()

    admin_pages = [
        f"/coverage/board?school_id={d['school'].id}&day={day}",
        f"/coverage/board/print?school_id={d['school'].id}&day={day}",
        f"/coverage/report?school_id={d['school'].id}",
        "/admin/schools",
    ]

    def measure():
        auth.login(d["admin"])
        counts = {path: queries_for(client, count_queries, path) for path in admin_pages}
        auth.logout()
        auth.login(d["sub"])
        counts["/coverage/jobs"] = queries_for(client, count_queries, "/coverage/jobs")
        auth.logout()
        return counts

    grow(2)
    few = measure()
    grow(10)
    many = measure()
    assert many == few
    assert max(many.values()) <= 45, many


def test_a_covered_job_offers_nobody_and_a_covered_day_reads_no_candidates(school_day, make_user, count_queries):
    from walkthrough.coverage import queries

    d = school_day
    day = weekday_ahead(2)
    covered, waiting = make_user(Role.TEACHER, school=d["school"]), make_user(Role.TEACHER, school=d["school"])
    cover(teacher=covered, day=day, start=time(9), end=time(9, 50), status="confirmed", cover_person=d["sub"])
    with count_queries() as covered_day:
        [job] = queries.board(d["school"], day)
    assert not job.open and job.substitutes == [] and job.colleagues == []
    cover(teacher=waiting, day=day, start=time(10), end=time(10, 50), status="open")
    with count_queries() as day_with_a_gap:
        jobs = queries.board(d["school"], day)
    assert [bool(job.substitutes) for job in jobs] == [True, False]  # open jobs first, then covered ones
    assert covered_day.n < day_with_a_gap.n

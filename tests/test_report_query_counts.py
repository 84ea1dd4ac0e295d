"""Dashboards, cohort pages, the learning log, the portfolio and the export log run a fixed number of
queries however much history sits behind them."""

from datetime import time

from tests.history_setup import LAST_YEAR, YEAR, cover, on, past_visit
from tests.test_query_counts import queries_for
from walkthrough.audit.services import record as audit
from walkthrough.auth.models import Role
from walkthrough.cohorts import services as cohorts
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry
from walkthrough.rollups import upkeep


def test_report_pages_do_not_grow_their_query_count(client, auth, make_user, make_school, count_queries):
    school = make_school("Riverside", first_day=YEAR.start, last_day=YEAR.end)
    other = make_school("Lincoln", first_day=YEAR.start, last_day=YEAR.end)
    admin = make_user(Role.ADMIN, name="District Dana")
    leader = make_user(Role.TEACHER, school=school, name="Lee Leader")
    cohort = cohorts.save_cohort(
        cohort=None,
        name="North",
        level="middle",
        region="North",
        start_year=LAST_YEAR,
        leader=leader,
        meetings_required=4,
        hours_required=8,
    )
    meeting = cohorts.schedule_meeting(cohort=cohort, day=on(10, 1), mode="virtual", place="", topic="")
    db.session.commit()

    def grow(n):
        for i in range(n):
            for where in (school, other):
                teacher = make_user(Role.TEACHER, school=where)
                past_visit(host=leader, observer=teacher, day=on(9 + i % 4, 1 + i), notes="n", reflection="r")
                past_visit(host=teacher, observer=leader, day=on(9 + i % 4, 2 + i), notes="n", shared=True)
                cover(teacher=teacher, day=on(10, 1 + i), start=time(9), end=time(9, 50), status="confirmed")
                cohorts.add_member(cohort=cohort, person=teacher)
                cohorts.record_attendance(meeting=meeting, present={m.user_id for m in cohort.members})
                db.session.add(
                    LearningEntry(user_id=leader.id, day=on(11, 1 + i), kind="webinar", title="t", minutes=30)
                )
                audit(admin, "export", what="summary", format="csv")
        db.session.commit()

    dated = f"?start={YEAR.start}&end={YEAR.end}&year={LAST_YEAR}"
    admin_pages = [
        "/reports/" + dated,
        f"/reports/?school_id={school.id}&" + dated[1:],
        "/admin/audit",
        f"/cohorts/{cohort.id}",
        "/cohorts",
    ]
    leader_pages = [
        f"/reports/my-year?year={LAST_YEAR}",
        f"/cohorts/{cohort.id}",
        "/learning",
        f"/coaching/people/{leader.id}?year={LAST_YEAR}",
    ]

    def measure():
        # The roll-ups' upkeep is its own work, bounded by what changed (tests/test_rollups.py); the pages'
        # own queries are what must not grow.
        upkeep.refresh()
        counts = {}
        for who, pages in ((admin, admin_pages), (leader, leader_pages)):
            auth.login(who)
            counts.update({f"{who.name} {p}": queries_for(client, count_queries, p) for p in pages})
            auth.logout()
        return counts

    grow(2)
    few = measure()
    grow(10)
    many = measure()
    assert many == few
    # The portfolio gathers a whole year (visits, goals, cohorts, learning) and is the heaviest, still fixed.
    assert max(many.values()) <= 35, many

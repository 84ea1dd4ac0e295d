"""Counts on coaching records come from what happened, match a scripted history, and cost a fixed number
of queries however many people are on a caseload."""

from datetime import time

import pytest

from tests.coaching_setup import coach_with_consent
from tests.history_setup import LAST_YEAR, YEAR, cover, on, open_door, past_visit
from walkthrough.auth.models import Role
from walkthrough.charts import month_key
from walkthrough.coaching import caseload, consent
from walkthrough.coaching.counts import counts_for
from walkthrough.coaching.models import CaseloadMember
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry


@pytest.fixture
def people(make_school, make_user):
    school = make_school("Riverside", first_day=YEAR.start, last_day=YEAR.end)
    names = ("Ana", "Ben", "Cleo", "Dev")
    teachers = {name: make_user(Role.TEACHER, school=school, name=name) for name in names}
    teachers["coach"] = make_user(Role.COACH, Role.TEACHER, school=school, name="Coach Kim")
    return teachers


def test_counts_match_a_scripted_history(people):
    ana, ben, cleo = people["Ana"], people["Ben"], people["Cleo"]
    # Ana visits Ben three times: shared with a reflection and a reply; notes kept private; paper only.
    past_visit(host=ben, observer=ana, day=on(9, 14), notes="n", reflection="r", shared=True, reply="thanks")
    past_visit(host=ben, observer=ana, day=on(10, 5), notes="n", reflection="")
    past_visit(host=ben, observer=ana, day=on(10, 19), notes=None)
    # None of these count: a cancelled slot, a waitlisted seat, a visit the year before.
    past_visit(host=ben, observer=ana, day=on(11, 2), notes=None, cancelled=True)
    past_visit(host=ben, observer=ana, day=on(11, 3), notes=None, status="waitlisted")
    past_visit(host=ben, observer=ana, day=on(9, 1).replace(year=LAST_YEAR - 1), notes="old")
    # Cleo drops in on Ana for 20 minutes, and on Ben for a whole afternoon (capped at 90 minutes).
    open_door(host=ana, observer=cleo, day=on(11, 20), minutes=20)
    open_door(host=ben, observer=cleo, day=on(12, 1), minutes=240)
    # Cover while Ana was away: one live class, one cancelled.
    cover(teacher=ana, day=on(9, 14), start=time(10), end=time(10, 50), status="confirmed")
    cover(teacher=ana, day=on(10, 5), start=time(10), end=time(10, 50), status="cancelled")
    db.session.add(LearningEntry(user_id=ana.id, day=on(1, 10), kind="webinar", title="Questioning", minutes=120))
    db.session.commit()

    counts = counts_for([ana.id, ben.id, cleo.id], YEAR.start, YEAR.end)

    assert counts[ana.id].visits_made == 3
    assert counts[ana.id].visits_hosted == 1
    assert counts[ana.id].notes_shared == 1
    assert counts[ana.id].reflections == 1
    assert counts[ana.id].host_replies == 0
    assert counts[ana.id].release_minutes == 50
    assert counts[ana.id].visit_minutes == 3 * 45
    assert counts[ana.id].learning_minutes == 120 + 135
    assert counts[ana.id].last_visit == on(10, 19)
    assert counts[ana.id].visits_by_month == {month_key(on(9, 1)): 1, month_key(on(10, 1)): 2}
    assert counts[ben.id].visits_hosted == 4
    assert counts[ben.id].host_replies == 1
    assert counts[ben.id].visits_made == 0
    assert counts[cleo.id].visits_made == 2
    assert counts[cleo.id].visit_minutes == 20 + 90


def test_a_caseload_page_costs_the_same_queries_for_3_or_30_coachees(people, make_user, auth, client, count_queries):
    coach, school = people["coach"], people["Ana"].school

    def fill_caseload(n):
        for i in range(n):
            teacher = make_user(Role.TEACHER, school=school)
            db.session.add(CaseloadMember(coach_id=coach.id, coachee_id=teacher.id, accepted_at=utcnow()))
            past_visit(host=people["Ben"], observer=teacher, day=on(9 + i % 4, 1 + i % 27), notes="n")
            cover(teacher=teacher, day=on(10, 1 + i % 27))
        db.session.commit()

    auth.login(coach)
    fill_caseload(3)
    client.get(f"/coaching/?year={LAST_YEAR}")  # warm caches that are per process, not per page
    with count_queries() as small:
        assert client.get(f"/coaching/?year={LAST_YEAR}").status_code == 200
    fill_caseload(27)
    with count_queries() as large:
        page = client.get(f"/coaching/?year={LAST_YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="card"') == 25 and "Teachers 1–25 of 30, by name" in html
    assert "<dt>Visits made</dt><dd>30</dd>" in html  # the totals add up every page's teachers, not the shown 25
    assert large.n == small.n, f"{small.n} queries for 3 coachees but {large.n} for 30"
    assert large.n <= 15
    second = client.get(f"/coaching/?year={LAST_YEAR}&page=2", headers={"HX-Request": "true"})
    fragment = second.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="caseload-list"') and fragment.count('class="card"') == 5
    assert "Teachers 26–30 of 30" in fragment and "Next teachers" not in fragment and "Previous" in fragment


def test_overdue_lists_who_has_not_visited_or_been_coached_lately(people):
    coach, ana, ben = people["coach"], people["Ana"], people["Ben"]
    for person in (ana, ben):
        coach_with_consent(coach=coach, coachee=person)
    past_visit(host=ben, observer=ana, day=on(3, 1), notes="n")
    db.session.commit()
    found = caseload.caseload_for(coach, YEAR, today=on(3, 20), overdue_days=30)
    rows = {row.coachee.name: row for row in found.rows}
    assert rows["Ana"].days_since_visit == 19 and not rows["Ana"].visit_overdue
    assert rows["Ben"].days_since_visit is None and rows["Ben"].visit_overdue
    assert rows["Ana"].coaching_overdue  # nobody logged coaching for Ana
    assert {row.coachee.name for row in found.overdue} == {"Ana", "Ben"}
    later = caseload.caseload_for(coach, YEAR, today=on(5, 1), overdue_days=30)
    assert next(r for r in later.rows if r.coachee.name == "Ana").visit_overdue


def test_caseload_counts_are_kept_for_a_minute(people, app):
    from walkthrough.coaching.counts import cached_counts_for
    from walkthrough.extensions import cache

    ana, ben = people["Ana"], people["Ben"]
    app.config["CACHE_TYPE"] = "SimpleCache"
    cache.init_app(app)
    try:
        past_visit(host=ben, observer=ana, day=on(9, 14), notes="n")
        assert cached_counts_for([ana.id, ben.id], YEAR.start, YEAR.end)[ana.id].visits_made == 1
        past_visit(host=ben, observer=ana, day=on(9, 21), notes="n")
        assert cached_counts_for([ben.id, ana.id], YEAR.start, YEAR.end)[ana.id].visits_made == 1  # same people
        assert cached_counts_for([ana.id], YEAR.start, YEAR.end)[ana.id].visits_made == 2  # other people: fresh
        cache.clear()
        assert cached_counts_for([ana.id, ben.id], YEAR.start, YEAR.end)[ana.id].visits_made == 2
    finally:
        app.config["CACHE_TYPE"] = "NullCache"
        cache.init_app(app)


def test_waiting_requests_and_a_teachers_coaches_cost_the_same_queries_however_many(
    people, make_user, auth, client, count_queries
):
    """The coach's "Waiting for an answer" list and the teacher's requests load their names in one query."""
    coach, school = people["coach"], people["Ana"].school
    teacher = make_user(Role.TEACHER, school=school)

    def ask(n):
        for _ in range(n):
            consent.ask(coach=coach, coachee=make_user(Role.TEACHER, school=school))
            consent.ask(coach=make_user(Role.COACH, school=school), coachee=teacher)
        db.session.commit()

    auth.login(coach)
    ask(1)
    client.get("/coaching/")
    with count_queries() as small:
        client.get("/coaching/")
    ask(6)
    with count_queries() as large:
        page = client.get("/coaching/").get_data(as_text=True)
    assert page.count("Withdraw<span") == 7 and large.n == small.n
    auth.logout()
    auth.login(teacher)
    record = f"/coaching/people/{teacher.id}"
    with count_queries() as asked_by_seven:
        page = client.get(record).get_data(as_text=True)
    assert page.count("would like to be your coach") == 7
    ask(3)
    with count_queries() as asked_by_ten:
        client.get(record)
    assert asked_by_ten.n == asked_by_seven.n

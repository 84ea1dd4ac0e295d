"""Coverage: requests follow visits, covers are never double-booked, and release time adds up."""

from datetime import time, timedelta

import pytest
from icalendar import Calendar

from tests.coverage_setup import live_requests, visit, weekday_ahead
from walkthrough.auth.models import Role
from walkthrough.coverage import budget, queries, services
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.schools.models import PeriodAssignment
from walkthrough.visits import hosting
from walkthrough.visits import services as visits


def test_a_visit_in_teaching_periods_asks_for_cover_of_each(school_day):
    visit(school_day, time(9, 30), time(10, 30))
    requests = live_requests(school_day)
    assert [(r.period.name, r.course, r.room, r.reason) for r in requests] == [
        ("Period 2", "Math 7", "101", "peer_visit"),
        ("Period 3", "Math 8", "101", "peer_visit"),
    ]


def test_a_visit_in_the_planning_period_needs_no_cover(school_day):
    visit(school_day, time(8, 5), time(8, 45))
    assert live_requests(school_day) == []


def test_cancelling_or_moving_the_visit_follows_through_and_tells_the_cover(school_day, outbox):
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    [request] = live_requests(school_day)
    services.assign(requests=[request], cover=school_day["sub"], actor=school_day["admin"])
    db.session.commit()
    hosting.change_slot(slot=slot, actor=school_day["host"], local_start=time(10, 10), local_end=time(10, 40), room="")
    db.session.commit()
    assert [r.period.name for r in live_requests(school_day)] == ["Period 3"]
    assert "METHOD:CANCEL" in outbox(school_day["sub"].email)[-1].calendar
    visits.cancel_signup(signup=signup, actor=school_day["observer"])
    db.session.commit()
    assert live_requests(school_day) == []


def test_one_teachers_classes_form_one_job_on_the_board(school_day):
    visit(school_day, time(9, 30), time(10, 30))
    [job] = queries.board(school_day["school"], school_day["day"])
    assert job.teacher.id == school_day["observer"].id and len(job.open) == 2
    assert [o.person.name for o in job.substitutes] == ["Alex Sub"]


def test_the_board_judges_a_colleague_who_also_substitutes_as_the_server_will(school_day, make_user):
    both = make_user(Role.TEACHER, Role.SUBSTITUTE, school=school_day["school"], name="Teacher And Sub")
    db.session.commit()
    visit(school_day, time(9, 30), time(10, 30))
    [job] = queries.board(school_day["school"], school_day["day"])
    [option] = [o for o in job.substitutes if o.person.id == both.id]
    assert option.conflict and "substitute pool" in option.conflict
    assert both.id not in [o.person.id for o in job.colleagues]
    with pytest.raises(RuleViolation, match="substitute pool"):
        services.assign(requests=job.open, cover=both, actor=school_day["admin"])


def test_colleagues_are_suggested_fairly_and_conflicts_are_shown(school_day):
    day = school_day["day"]
    other_day = day + timedelta(days=1) if (day + timedelta(days=1)).month == day.month else day - timedelta(days=1)
    visit(school_day, time(9, 10), time(9, 40), day=other_day)
    [earlier] = live_requests(school_day)
    services.assign(requests=[earlier], cover=school_day["free"][0], actor=school_day["admin"])
    db.session.commit()
    visit(school_day, time(9, 10), time(9, 40))
    job = next(j for j in queries.board(school_day["school"], school_day["day"]) if j.open)
    names = [o.person.name for o in job.colleagues]
    assert names.index("Colleague 0") > names.index("Colleague 1")  # covered more this month, so later
    busy = next(o for o in job.colleagues if o.person.name == "Busy Teacher")
    assert busy.conflict == "Teaches Period 2 then."


def test_nobody_is_booked_into_two_overlapping_classes(school_day, make_user):
    visit(school_day, time(9, 10), time(9, 40))
    [first] = live_requests(school_day)
    other_teacher = make_user(Role.TEACHER, school=school_day["school"])
    db.session.add(
        PeriodAssignment(user_id=other_teacher.id, period_id=school_day["periods"][1].id, kind="teaching", room="102")
    )
    db.session.commit()
    second = CoverageRequest(
        teacher_id=other_teacher.id,
        school_id=school_day["school"].id,
        period_id=school_day["periods"][1].id,
        day=school_day["day"],
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        reason="conference",
    )
    db.session.add(second)
    db.session.commit()
    services.assign(requests=[first], cover=school_day["sub"], actor=school_day["admin"])
    with pytest.raises(RuleViolation, match="Already covering"):
        services.assign(requests=[second], cover=school_day["sub"], actor=school_day["admin"])
    with pytest.raises(RuleViolation, match="substitute pool"):
        services.assign(requests=[second], cover=school_day["stranger_sub"], actor=school_day["admin"])


def test_weekly_cap_for_colleagues(school_day):
    school_day["school"].weekly_cover_cap = 1
    visit(school_day, time(9, 30), time(10, 30))
    requests = live_requests(school_day)
    with pytest.raises(RuleViolation, match="limit 1"):
        services.assign(requests=requests, cover=school_day["free"][1], actor=school_day["admin"])


def test_a_substitute_accepts_a_job_first_come_first_served(school_day, make_user, outbox):
    visit(school_day, time(9, 30), time(10, 30))
    requests = live_requests(school_day)
    services.accept(requests=requests, substitute=school_day["sub"])
    db.session.commit()
    assert {r.status for r in requests} == {"confirmed"}
    invite = Calendar.from_ical(outbox(school_day["sub"].email)[-1].calendar)
    assert len(invite.walk("VEVENT")) == 2 and invite["METHOD"] == "REQUEST"
    late = make_user(Role.SUBSTITUTE)
    db.session.add(SubstitutePool(substitute_id=late.id, school_id=school_day["school"].id))
    db.session.commit()
    with pytest.raises(RuleViolation, match="took this job"):
        services.accept(requests=requests, substitute=late)


def test_release_time_adds_up_across_the_year(school_day, make_user):
    observer = school_day["observer"]
    assert budget.release_time(observer).budget == 480
    visit(school_day, time(9, 30), time(10, 30))  # two 50-minute classes
    visit(school_day, time(9, 10), time(9, 40), day=school_day["day"] + timedelta(days=7))
    used = budget.release_time(observer)
    assert (used.used, used.left) == (150, 330)
    assert budget.hours(used.left) == "5 h 30 min"
    observer.release_minutes = 960  # a team leader's 16 hours
    assert budget.release_time(observer).left == 810


def test_an_admin_finds_substitutes_to_add_by_name_instead_of_scrolling_every_one(school_day, make_user, auth, client):
    school = school_day["school"]
    maria = make_user(Role.SUBSTITUTE, name="Maria 50% Okafor")
    make_user(Role.SUBSTITUTE, name="Marius Left", active=False)
    make_user(Role.TEACHER, school=school, name="Maria Teacher")
    db.session.commit()
    auth.login(school_day["admin"])
    board = f"/coverage/board?school_id={school.id}&day={weekday_ahead(1)}"
    page = client.get(board).get_data(as_text=True)
    assert 'id="pool-q"' in page and "Maria 50% Okafor" not in page  # nobody listed until asked for
    found = client.get(
        f"/coverage/pool/find?school_id={school.id}&day={weekday_ahead(1)}&pool_q=MARIA+50%25",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "Maria 50% Okafor" in found and "Maria Teacher" not in found and "Marius" not in found
    assert f'name="substitute_id" value="{maria.id}"' in found
    nothing = client.get(
        f"/coverage/pool/find?school_id={school.id}&day={weekday_ahead(1)}&pool_q=m_a", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "No substitute outside this school's pool matches “m_a”" in nothing
    # Without htmx the board itself shows the matches, with the text kept in the box.
    plain = client.get(f"/coverage/pool/find?school_id={school.id}&day={weekday_ahead(1)}&pool_q=okafor")
    assert plain.status_code == 302
    page = client.get(plain.headers["Location"]).get_data(as_text=True)
    assert 'value="okafor"' in page and "Maria 50% Okafor" in page
    client.post(
        "/coverage/pool",
        data={"school_id": school.id, "day": weekday_ahead(1), "substitute_id": maria.id},
    )
    again = client.get(
        f"/coverage/pool/find?school_id={school.id}&day={weekday_ahead(1)}&pool_q=okafor",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "Maria 50% Okafor" not in again  # she serves the school now


def test_fairness_counts_the_days_week_and_its_calendar_month(school_day, make_user):
    from tests.history_setup import cover
    from walkthrough.coverage.availability import CoverContext

    day = school_day["day"]
    colleague, absent = school_day["free"][0], make_user(Role.TEACHER, school=school_day["school"])
    monday, first_of_next_month = (
        day - timedelta(days=day.weekday()),
        (day.replace(day=28) + timedelta(days=4)).replace(day=1),
    )
    covered = [day, monday, day.replace(day=1), first_of_next_month, first_of_next_month + timedelta(days=1)]
    for when in covered:
        cover(teacher=absent, day=when, status="confirmed", cover_person=colleague)
    counts = CoverContext(school_day["school"], day, [colleague.id])
    assert counts.month[colleague.id] == sum((w.year, w.month) == (day.year, day.month) for w in covered)
    assert counts.week[colleague.id] == sum(monday <= w < monday + timedelta(days=7) for w in covered)


def test_release_time_says_what_is_left_after_a_visit_and_how_far_past_it_goes():
    from walkthrough.coverage.budget import ReleaseTime

    hour_left = ReleaseTime(budget=480, used=420)
    assert (hour_left.left_after(50), hour_left.short_by(50)) == (10, 0)
    assert (hour_left.left_after(90), hour_left.short_by(90)) == (0, 30)

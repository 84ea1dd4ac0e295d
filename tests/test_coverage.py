"""Coverage: requests follow visits, covers are never double-booked, and release time adds up."""

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.coverage import budget, queries, services
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.rules import RuleViolation
from walkthrough.schools.models import PeriodAssignment
from walkthrough.schools.services import save_period
from walkthrough.visits import services as visits


def weekday_ahead(weekday=1, weeks=1) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def school_day(app, make_school, make_user):
    school = make_school(
        "Riverside", first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200)
    )
    week = ["mon", "tue", "wed", "thu", "fri"]
    p1 = save_period(school=school, period=None, name="Period 1", starts_at=time(8), ends_at=time(8, 50), days=week)
    p2 = save_period(school=school, period=None, name="Period 2", starts_at=time(9), ends_at=time(9, 50), days=week)
    p3 = save_period(school=school, period=None, name="Period 3", starts_at=time(10), ends_at=time(10, 50), days=week)
    observer = make_user(Role.TEACHER, school=school, name="Maya Observer")
    host = make_user(Role.TEACHER, school=school, name="Jordan Host")
    free = [make_user(Role.TEACHER, school=school, name=f"Colleague {n}") for n in range(3)]
    busy = make_user(Role.TEACHER, school=school, name="Busy Teacher")
    sub, stranger_sub = make_user(Role.SUBSTITUTE, name="Alex Sub"), make_user(Role.SUBSTITUTE, name="Pat Elsewhere")
    admin = make_user(Role.ADMIN, school=school, name="Principal")
    db.session.add_all(
        [
            PeriodAssignment(user_id=observer.id, period_id=p1.id, kind="planning"),
            PeriodAssignment(user_id=observer.id, period_id=p2.id, kind="teaching", course="Math 7", room="101"),
            PeriodAssignment(user_id=observer.id, period_id=p3.id, kind="teaching", course="Math 8", room="101"),
            PeriodAssignment(user_id=busy.id, period_id=p2.id, kind="teaching", course="Art", room="9"),
            SubstitutePool(substitute_id=sub.id, school_id=school.id),
        ]
    )
    db.session.commit()
    protocol = db.session.scalar(select(Protocol))
    return dict(
        school=school,
        periods=(p1, p2, p3),
        observer=observer,
        host=host,
        free=free,
        busy=busy,
        sub=sub,
        stranger_sub=stranger_sub,
        admin=admin,
        protocol=protocol,
        day=weekday_ahead(),
    )


def visit(d, start, end, day=None):
    [slot] = visits.open_classroom(
        host=d["host"],
        day=day or d["day"],
        period_id=None,
        local_start=start,
        local_end=end,
        room="",
        capacity=2,
        focus_question="",
        protocol=d["protocol"],
        note_for_visitors="",
        cutoff_hours=0,
        per_person_limit=None,
    )
    signup = visits.sign_up(slot=slot, observer=d["observer"], actor=d["observer"])
    db.session.commit()
    return slot, signup


def live_requests(d):
    return db.session.scalars(
        select(CoverageRequest).where(CoverageRequest.status != "cancelled").order_by(CoverageRequest.starts_at)
    ).all()


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
    visits.change_slot(slot=slot, actor=school_day["host"], local_start=time(10, 10), local_end=time(10, 40), room="")
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


def test_a_school_can_require_approval_before_a_visit_in_teaching_time(school_day, outbox, client, auth):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    assert signup.status == "pending" and slot.seats_left == 1
    assert outbox(school_day["observer"].email)[-1].subject.startswith("Waiting for approval")
    [request] = db.session.scalars(select(CoverageRequest)).all()
    assert request.status == "pending"
    with pytest.raises(RuleViolation, match="isn't open"):
        services.assign(requests=[request], cover=school_day["sub"], actor=school_day["admin"])
    auth.login(school_day["admin"])
    board = client.get(f"/coverage/board?school_id={school_day['school'].id}&day={school_day['day']}")
    assert "Waiting for your approval" in board.get_data(as_text=True)
    response = client.post(
        "/coverage/approval",
        headers={"HX-Request": "true"},
        data={
            "school_id": school_day["school"].id,
            "day": school_day["day"].isoformat(),
            "signup_id": signup.id,
            "decision": "approve",
        },
    )
    assert response.status_code == 200
    db.session.refresh(signup)
    db.session.refresh(request)
    assert signup.status == "confirmed" and request.status == "open"
    assert outbox(school_day["observer"].email)[-1].subject.startswith("Visit booked")


def test_an_admin_can_decline_and_the_seat_moves_on(school_day, make_user):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    visits.refuse(signup=signup, admin=school_day["admin"])
    db.session.commit()
    assert signup.status == "declined" and live_requests(school_day) == []


def test_a_visit_past_the_release_budget_needs_approval(school_day):
    school_day["observer"].release_minutes = 30
    db.session.commit()
    _, signup = visit(school_day, time(9, 10), time(9, 40))  # a 50-minute class, more than the 30 left
    assert signup.status == "pending"


def test_planning_time_visits_never_wait_for_approval(school_day):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    _, signup = visit(school_day, time(8, 5), time(8, 45))
    assert signup.status == "confirmed"


def test_only_an_admin_of_the_teachers_school_approves(school_day, make_user, make_school):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    _, signup = visit(school_day, time(9, 10), time(9, 40))
    elsewhere = make_user(Role.ADMIN, school=make_school("Elsewhere"))
    with pytest.raises(RuleViolation, match="admin of the teacher's school"):
        visits.approve(signup=signup, admin=elsewhere)


def test_a_teacher_asks_for_cover_for_professional_learning(school_day, client, auth, outbox):
    auth.login(school_day["observer"])
    page = client.get("/coverage/request")
    assert page.status_code == 200 and "Release time this year" in page.get_data(as_text=True)
    response = client.post(
        "/coverage/request",
        data={"day": school_day["day"].isoformat(), "reason": "conference", "notes": "Plans in tray"},
    )
    assert response.status_code == 302
    requests = live_requests(school_day)
    assert [(r.period.name, r.reason, r.notes) for r in requests] == [
        ("Period 2", "conference", "Plans in tray"),
        ("Period 3", "conference", "Plans in tray"),
    ]
    services.assign(requests=[requests[0]], cover=school_day["sub"], actor=school_day["admin"])
    db.session.commit()
    client.post(f"/coverage/request/{requests[0].id}/withdraw")
    db.session.refresh(requests[0])
    assert requests[0].status == "cancelled"
    assert "METHOD:CANCEL" in outbox(school_day["sub"].email)[-1].calendar
    one = client.post(
        "/coverage/request",
        data={
            "day": (school_day["day"] + timedelta(days=7)).isoformat(),
            "reason": "site_visit",
            "period_ids": [school_day["periods"][2].id],
        },
    )
    assert one.status_code == 302
    assert [r.period.name for r in live_requests(school_day) if r.reason == "site_visit"] == ["Period 3"]
    bad = client.post("/coverage/request", data={"day": "2001-01-01", "reason": "conference"})
    assert bad.status_code == 422 and "hasn&#39;t passed" in bad.get_data(as_text=True)


def test_a_day_without_classes_needs_no_cover(school_day):
    saturday = school_day["day"] + timedelta(days=(5 - school_day["day"].weekday()) % 7)
    with pytest.raises(RuleViolation, match="don't teach a class that day"):
        services.request_coverage(
            teacher=school_day["observer"], day=saturday, period_ids=None, reason="conference", notes=""
        )


def test_the_report_counts_fill_rate_covers_and_release_time(school_day, client, auth):
    visit(school_day, time(9, 30), time(10, 30))
    first, second = live_requests(school_day)
    services.assign(requests=[first], cover=school_day["sub"], actor=school_day["admin"])
    db.session.commit()
    from walkthrough.coverage import report

    built = report.build(school_day["school"], school_day["day"] - timedelta(days=7), school_day["day"])
    assert built.fill_rate == 0.5 and built.unfilled == [second]
    assert [(p.name, n) for p, n in built.covers] == [("Alex Sub", 1)]
    assert ("Maya Observer", 100, 480) in [(t.name, used, budget) for t, used, budget in built.release]
    auth.login(school_day["admin"])
    page = client.get(f"/coverage/report?school_id={school_day['school'].id}").get_data(as_text=True)
    assert "50%" in page and "<svg" in page
    csv_text = client.get(f"/coverage/report.csv?school_id={school_day['school'].id}").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "date,period,teacher,reason,status,cover,minutes" and "Alex Sub" in csv_text


def test_plans_reach_the_cover_and_nobody_else(school_day, client, auth, make_user):
    import io

    visit(school_day, time(9, 30), time(10, 30))
    first, second = live_requests(school_day)
    auth.login(school_day["observer"])
    response = client.post(
        f"/coverage/request/{first.id}/plans",
        data={"notes": "Worksheet p.12", "plan": (io.BytesIO(b"%PDF-1.7 lesson plan"), "plans.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(second)
    assert second.plan_name == "plans.pdf" and second.notes == "Worksheet p.12"  # the whole day's job
    renamed = client.post(
        f"/coverage/request/{first.id}/plans",
        data={"plan": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "plans.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Plans can be a PDF" in renamed.get_data(as_text=True)
    with client.get(f"/coverage/plans/{first.id}") as own:
        assert (
            own.status_code == 200
            and own.data.startswith(b"%PDF")
            and "attachment" in own.headers["Content-Disposition"]
        )
    auth.logout()
    services.assign(requests=[first, second], cover=school_day["sub"], actor=school_day["admin"])
    db.session.commit()
    for person, expected in ((school_day["sub"], 200), (school_day["admin"], 200), (school_day["free"][0], 404)):
        auth.login(person)
        with client.get(f"/coverage/plans/{first.id}") as response:
            assert response.status_code == expected, person.name
        auth.logout()


@pytest.mark.parametrize(
    "filename, raw",
    [("x.pdf", b"<html>"), ("x.exe", b"MZ"), ("x.txt", b"\xff\xfe\x00bad"), ("x.docx", b"%PDF"), ("x.pdf", b"")],
)
def test_plan_files_are_checked_by_content(app, filename, raw):
    from walkthrough.coverage.plans import check_plan

    with pytest.raises(RuleViolation):
        check_plan(filename, raw)

"""Coverage flows: approvals, requests for professional learning, plans for the cover, and the report."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.coverage_setup import live_requests, visit
from tests.download_checks import csv_rows
from walkthrough.auth.models import Role
from walkthrough.coverage import services
from walkthrough.coverage.models import CoverageRequest
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.visits import approvals


def test_a_school_can_require_approval_before_a_visit_in_teaching_time(school_day, outbox, client, auth):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    assert signup.status == "pending" and slot.seats_left == 1
    assert outbox(school_day["observer"].email)[-1].subject.startswith("Waiting for approval")
    assert outbox(school_day["admin"].email)[-1].subject.startswith("Approve Maya Observer's visit")
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


def test_a_colleague_sees_the_classes_they_cover_on_their_home_page(school_day, client, auth):
    visit(school_day, time(9, 10), time(9, 40))
    [request] = live_requests(school_day)
    services.assign(requests=[request], cover=school_day["free"][2], actor=school_day["admin"])
    db.session.commit()
    auth.login(school_day["free"][2])
    page = client.get("/").get_data(as_text=True)
    assert "Classes you're covering" in page and "Maya Observer's Math 7" in page


def test_assigning_nobody_says_so_beside_the_list_of_covers(school_day, client, auth):
    visit(school_day, time(9, 10), time(9, 40))
    [request] = live_requests(school_day)
    auth.login(school_day["admin"])
    teacher = request.teacher_id
    fields = {"school_id": school_day["school"].id, "day": school_day["day"].isoformat(), "request_id": request.id}
    answer = client.post("/coverage/assign", data=fields, headers={"HX-Request": "true"})
    card = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'<p class="field__error" id="cover-error-{teacher}" role="alert">Choose who will cover.</p>' in card
    assert f'aria-describedby="cover-hint-{teacher} cover-error-{teacher}" aria-invalid="true"' in card
    without_script = client.post("/coverage/assign", data=fields, follow_redirects=True)
    assert "Choose who will cover." in without_script.get_data(as_text=True)
    assert live_requests(school_day)[0].cover_id is None


def test_an_admin_can_decline_and_the_seat_moves_on(school_day, make_user):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    approvals.refuse(signup=signup, admin=school_day["admin"])
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


def test_a_visit_that_started_while_waiting_for_approval_is_not_answered_afterwards(school_day, outbox, client, auth):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    slot, signup = visit(school_day, time(9, 10), time(9, 40))
    slot.starts_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    slot.ends_at = slot.starts_at + timedelta(minutes=30)
    db.session.commit()
    sent = len(outbox())
    with pytest.raises(RuleViolation, match="already started"):
        approvals.approve(signup=signup, admin=school_day["admin"])
    db.session.rollback()
    auth.login(school_day["admin"])
    board = client.get(f"/coverage/board?school_id={school_day['school'].id}&day={school_day['day']}")
    assert "class started before it was approved: it stays unanswered" in board.get_data(as_text=True)
    assert 'name="signup_id"' not in board.get_data(as_text=True)
    fields = {"school_id": school_day["school"].id, "day": school_day["day"].isoformat(), "signup_id": signup.id}
    answer = client.post("/coverage/approval", headers={"HX-Request": "true"}, data=fields | {"decision": "refuse"})
    assert answer.status_code == 422 and "already started" in answer.get_data(as_text=True)
    db.session.refresh(signup)
    assert signup.status == "pending" and len(outbox()) == sent


def test_only_an_admin_of_the_teachers_school_approves(school_day, make_user, make_school):
    school_day["school"].requires_visit_approval = True
    db.session.commit()
    _, signup = visit(school_day, time(9, 10), time(9, 40))
    elsewhere = make_user(Role.ADMIN, school=make_school("Elsewhere"))
    with pytest.raises(RuleViolation, match="admin of the teacher's school"):
        approvals.approve(signup=signup, admin=elsewhere)


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


def test_cover_for_a_class_that_has_started_is_not_withdrawn(school_day, client, auth, outbox):
    teacher, sub = school_day["observer"], school_day["sub"]
    requests = services.request_coverage(
        teacher=teacher, day=school_day["day"], period_ids=None, reason="conference", notes=""
    )
    services.assign(requests=requests[:1], cover=sub, actor=school_day["admin"])
    db.session.commit()
    started = requests[0]
    length = started.ends_at - started.starts_at
    started.starts_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    started.ends_at = started.starts_at + length
    db.session.commit()
    told = len(outbox(sub.email))
    with pytest.raises(RuleViolation, match="already started"):
        services.withdraw(request=started, teacher=teacher)
    db.session.rollback()

    auth.login(teacher)
    page = client.get("/coverage/request").get_data(as_text=True)
    assert f"/coverage/request/{started.id}/withdraw" not in page
    assert f"/coverage/request/{requests[1].id}/withdraw" in page  # the later class can still be withdrawn
    refused = client.post(f"/coverage/request/{started.id}/withdraw", follow_redirects=True)
    assert "already started" in refused.get_data(as_text=True)
    db.session.refresh(started)
    assert (started.status, started.cover_id) == ("assigned", sub.id)
    assert len(outbox(sub.email)) == told


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

    built = report.report_for(school_day["school"], school_day["day"] - timedelta(days=7), school_day["day"])
    assert built.fill_rate == 0.5 and built.unfilled == [second]
    assert [(p.name, n) for p, n in built.covers] == [("Alex Sub", 1)]
    assert ("Maya Observer", 100, 480) in [(t.name, used, budget) for t, used, budget in built.release]
    auth.login(school_day["admin"])
    page = client.get(f"/coverage/report?school_id={school_day['school'].id}").get_data(as_text=True)
    assert "50%" in page and "<svg" in page
    rows = csv_rows(client.get(f"/coverage/report.csv?school_id={school_day['school'].id}"))
    assert rows[0] == ["Date", "Period", "Teacher", "Reason", "Status", "Cover", "Minutes"]
    assert ["Alex Sub", "Assigned", "Peer visit"] == [rows[1][5], rows[1][4], rows[1][3]]


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

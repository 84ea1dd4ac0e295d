"""Call-out: substitutes who may take a job are told once, with a one-tap link that accepts it for them alone
and stops working when the job is taken or starts; preferred substitutes hear first; the do-not-send list and
days off are respected and the list is never shown; a colleague's decline reopens the class."""

import html
from datetime import timedelta
from email import message_from_string, policy

import pytest
from sqlalchemy import select

from tests.people_setup import link_in
from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role
from walkthrough.coverage import callout, preferences
from walkthrough.coverage import services as coverage
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation


def text(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.fixture
def job(school_day, make_user):
    """Maya's two classes on one day need cover; four substitutes serve the school."""
    d = school_day
    school = d["school"]
    d["sub2"] = make_user(Role.SUBSTITUTE, name="Bea Second")
    d["away"] = make_user(Role.SUBSTITUTE, name="Cy Away")  # a day off
    d["blocked"] = make_user(Role.SUBSTITUTE, name="Dee Blocked")  # on the do-not-send list
    db.session.add_all(
        [SubstitutePool(substitute_id=d[k].id, school_id=school.id) for k in ("sub2", "away", "blocked")]
    )
    db.session.commit()
    preferences.add_day_off(substitute=d["away"], day=d["day"], today=d["day"])
    preferences.block(school=school, substitute=d["blocked"], reason="Left the class alone", actor=d["admin"])
    d["requests"] = coverage.request_coverage(
        teacher=d["observer"], day=d["day"], period_ids=None, reason="conference", notes="Worksheets on the desk"
    )
    db.session.commit()
    return d


def call_out() -> int:
    """What the worker runs every minute, and commits."""
    told = callout.call_out()
    db.session.commit()
    return told


def callouts(outbox, kind="coverage/callout"):
    return {m.recipient: m for m in outbox() if m.kind == kind}


def path_of(message) -> str:
    return link_in(message.body)


def test_the_substitutes_who_may_take_the_job_are_told_once_each(job, outbox):
    assert call_out() == 2
    told = callouts(outbox)
    assert set(told) == {job["sub"].email, job["sub2"].email}  # not the day off, the blocked or outside the pool
    assert call_out() == 0
    message = told[job["sub"].email]
    assert "Period 2" in message.body and "Period 3" in message.body and path_of(message).startswith("/coverage/take/")
    assert message_from_string(message.mime, policy=policy.default)["Subject"].startswith("Cover job: Riverside")


def test_one_tap_accepts_for_that_person_and_the_link_stops_working_for_everyone_else(job, outbox, client):
    call_out()
    told = callouts(outbox)
    mine, theirs = path_of(told[job["sub"].email]), path_of(told[job["sub2"].email])

    shown = client.get(mine)  # a mail scanner opening the link takes nothing
    assert shown.status_code == 200 and "Accept this job" in text(shown)
    assert all(r.cover_id is None for r in job["requests"])

    taken = client.post(mine)
    assert taken.status_code == 200 and "The job is yours" in text(taken)
    for request in job["requests"]:
        db.session.refresh(request)
        assert request.cover_id == job["sub"].id and request.status == "confirmed"
    assert [m.recipient for m in outbox() if m.kind == "coverage/booked"] == [job["sub"].email]

    assert "The job is yours" in text(client.get(mine))  # the same link again: still theirs, nothing changes
    assert client.post(mine).status_code == 200
    late = client.post(theirs)
    assert late.status_code == 409 and "Someone else took this job" in text(late)
    assert client.get(theirs).status_code == 410
    assert [m.recipient for m in outbox() if m.kind == "coverage/booked"] == [job["sub"].email]


def test_a_link_stops_working_when_the_job_starts_and_a_forged_one_never_works(job, outbox, client):
    call_out()
    link = path_of(callouts(outbox)[job["sub"].email])
    assert client.get(link[:-4] + "AAAA").status_code == 404
    for request in job["requests"]:
        request.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert client.get(link).status_code == 410 and client.post(link).status_code == 409
    assert all(r.cover_id is None for r in job["requests"])


def test_preferred_substitutes_have_the_job_first_then_everyone(job, outbox):
    preferences.prefer(school=job["school"], substitute=job["sub2"])
    db.session.commit()
    assert call_out() == 1 and set(callouts(outbox)) == {job["sub2"].email}
    with pytest.raises(RuleViolation, match="preferred substitutes first"):
        coverage.accept(requests=job["requests"], substitute=job["sub"])
    db.session.rollback()
    from walkthrough.coverage.queries import open_jobs_for

    assert open_jobs_for(job["sub"]) == [] and len(open_jobs_for(job["sub2"])) == 1

    for request in job["requests"]:  # the preferred half hour has passed
        request.called_out_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    told = call_out()
    assert told == 1 and set(callouts(outbox)) == {job["sub"].email, job["sub2"].email}
    coverage.accept(requests=job["requests"], substitute=job["sub"])
    db.session.commit()


def test_a_job_still_open_near_its_start_is_announced_again_and_flagged(job, outbox, app, auth, client):
    call_out()
    app.config["CALLOUT_AGAIN_HOURS"] = 24 * 30  # the job is within the window at once
    assert call_out() == 2
    assert set(callouts(outbox, "coverage/callout_again")) == {job["sub"].email, job["sub2"].email}
    assert call_out() == 0
    auth.login(job["admin"].email)
    board = text(client.get(f"/coverage/board?school_id={job['school'].id}&day={job['day'].isoformat()}"))
    assert "<strong>Still open</strong>: announced again to substitutes" in board


def test_the_do_not_send_list_is_audited_shown_to_admins_and_never_to_the_substitute(job, auth, client, outbox):
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "do_not_send_added"))
    assert entry.actor_id == job["admin"].id and entry.detail["reason"] == "Left the class alone"

    auth.login(job["admin"].email)
    board = text(client.get(f"/coverage/board?school_id={job['school'].id}&day={job['day'].isoformat()}"))
    assert "On Riverside's do-not-send list." in board and "Not available that day." in board
    assert "Left the class alone" in text(client.get(f"/coverage/substitutes?school_id={job['school'].id}"))
    auth.logout()

    auth.login(job["blocked"].email)
    page = text(client.get("/coverage/jobs"))
    assert "Maya Observer" not in page and "do-not-send" not in page and "Left the class alone" not in page
    with pytest.raises(RuleViolation) as refused:
        coverage.accept(requests=job["requests"], substitute=job["blocked"])
    assert refused.value.message == coverage.NOT_OPEN
    db.session.rollback()


def test_a_colleague_asked_to_cover_says_no_and_the_class_is_open_again(job, auth, client, outbox):
    colleague = job["free"][0]
    [period_2, period_3] = job["requests"]
    coverage.assign(requests=[period_2], cover=colleague, actor=job["admin"])
    db.session.commit()
    [booked] = [m for m in outbox(colleague.email) if m.kind == "coverage/booked"]
    assert "Principal asked you" in booked.body

    auth.login(job["busy"].email)  # someone else can't answer for them
    assert client.post(f"/coverage/assignments/{period_2.id}/no").status_code == 404
    auth.logout()
    auth.login(colleague.email)
    assert "No, I can't" in text(client.get("/coverage/jobs"))
    assert client.post(f"/coverage/assignments/{period_2.id}/no").status_code == 302
    db.session.refresh(period_2)
    assert period_2.cover_id is None and period_2.status == "open"
    [declined] = outbox(job["admin"].email)
    assert declined.kind == "coverage/declined" and "Colleague 0 can't cover" in declined.subject

    coverage.assign(requests=[period_3], cover=colleague, actor=job["admin"])
    db.session.commit()
    assert client.post(f"/coverage/assignments/{period_3.id}/yes").status_code == 302
    db.session.refresh(period_3)
    assert period_3.status == "confirmed" and period_3.acknowledged_at is not None
    assert client.post(f"/coverage/assignments/{period_3.id}/no").status_code == 302  # too late to decline
    db.session.refresh(period_3)
    assert period_3.cover_id == colleague.id


def test_a_substitute_keeps_their_days_off(job, auth, client):
    auth.login(job["sub"].email)
    assert client.post("/coverage/days-off", data={"day": job["day"].isoformat()}).status_code == 302
    assert "Maya Observer" not in text(client.get("/coverage/jobs"))
    assert client.post("/coverage/days-off", data={"day": "2001-01-01"}).status_code == 302
    page = text(client.get("/coverage/jobs"))
    assert "Choose a day that hasn't passed." in page
    with pytest.raises(RuleViolation, match="Not available that day"):
        coverage.accept(requests=job["requests"], substitute=job["sub"])
    db.session.rollback()
    assert (
        db.session.scalar(select(CoverageRequest.cover_id).where(CoverageRequest.id == job["requests"][0].id)) is None
    )


def test_a_reason_that_needs_approval_waits_for_the_admin_then_is_called_out(job, auth, client, outbox):
    from walkthrough.coverage import reasons

    reasons.save_reason(
        reason=reasons.find("conference"), label="Conference", account_code="PD-2100", needs_approval=True, active=True
    )
    later = job["day"] + timedelta(days=7)
    waiting = coverage.request_coverage(
        teacher=job["observer"], day=later, period_ids=None, reason="conference", notes=""
    )
    db.session.commit()
    assert {r.status for r in waiting} == {"pending"}
    call_out()
    assert not [
        m for m in outbox() if m.kind == "coverage/callout" and "Maya" in m.body and later.strftime("%-d") in m.subject
    ]

    auth.login(job["admin"].email)
    board = text(client.get(f"/coverage/board?school_id={job['school'].id}&day={later.isoformat()}"))
    assert "Waiting for your approval:</strong> Conference" in board
    answer = client.post(
        "/coverage/requests/decide",
        data={
            "school_id": job["school"].id,
            "day": later.isoformat(),
            "decision": "approve",
            "request_id": [r.id for r in waiting],
        },
    )
    assert answer.status_code == 302  # back to the board (htmx gets the job's card)
    for request in waiting:
        db.session.refresh(request)
        assert request.status == "open"
    [approved] = [m for m in outbox(job["observer"].email) if m.kind == "coverage/request_answered"]
    assert approved.subject.startswith("Cover approved")
    assert call_out() >= 2  # now the substitutes hear about it


def test_a_district_admin_names_reasons_and_teachers_choose_from_them(job, auth, client, make_user):
    district = make_user(Role.ADMIN, name="Dana District")
    auth.login(job["admin"].email)
    assert client.get("/coverage/reasons").status_code == 403  # a school's admin
    auth.logout()
    auth.login(district.email)
    added = client.post(
        "/coverage/reasons",
        data={"new-label": "Mentor training", "new-account_code": "PD-7", "new-needs_approval": "y", "new-active": "y"},
    )
    assert added.status_code == 302
    refused = client.post("/coverage/reasons", data={"new-label": "  ", "new-account_code": "X"})
    assert refused.status_code == 422 and "Name the reason." in text(refused)
    auth.logout()
    auth.login(job["observer"].email)
    page = text(client.get("/coverage/request"))
    assert "Mentor training" in page and "Peer visit" not in page


def test_the_board_offers_preferred_then_matching_substitutes_and_shows_their_profile(job, auth, client):
    job["observer"].subjects = "Math"
    db.session.commit()
    auth.login(job["sub2"].email)
    saved = client.post(
        "/coverage/profile",
        data={"subjects": "Math; Science", "grade_band": "6-8", "certifications": "SPED", "languages": "Spanish"},
    )
    assert saved.status_code == 302
    auth.logout()
    preferences.prefer(school=job["school"], substitute=job["away"])
    db.session.commit()

    from walkthrough.coverage.queries import board

    [found] = [j for j in board(job["school"], job["day"]) if j.teacher.id == job["observer"].id]
    order = [(o.person.name, o.preferred, o.matches) for o in found.substitutes]
    assert order[0] == ("Cy Away", True, False) and order[1] == ("Bea Second", False, True)
    [bea] = [o for o in found.substitutes if o.person.name == "Bea Second"]
    assert bea.fit == "Math; Science · 6-8 · SPED · Spanish" and bea.conflict is None
    auth.login(job["admin"].email)
    page = text(client.get(f"/coverage/board?school_id={job['school'].id}&day={job['day'].isoformat()}"))
    assert "★ Cy Away" in page and "Bea Second (Math; Science · 6-8 · SPED · Spanish)" in page


def test_a_substitute_sees_jobs_at_the_schools_they_prefer_first(job, make_school, make_user, auth, client):
    from walkthrough.coverage.queries import open_jobs_for
    from walkthrough.schools.models import PeriodAssignment
    from walkthrough.schools.services import save_period

    other = make_school("Oak Hill", first_day=job["school"].year_first_day, last_day=job["school"].year_last_day)
    period = save_period(
        school=other,
        period=None,
        name="Block A",
        starts_at=job["periods"][1].starts_at,
        ends_at=job["periods"][1].ends_at,
        days=["mon", "tue", "wed", "thu", "fri"],
    )
    teacher = make_user(Role.TEACHER, school=other, name="Olive Oak")
    db.session.add_all(
        [
            PeriodAssignment(user_id=teacher.id, period_id=period.id, kind="teaching", course="Art", room="3"),
            SubstitutePool(substitute_id=job["sub"].id, school_id=other.id),
        ]
    )
    db.session.commit()
    coverage.request_coverage(
        teacher=teacher, day=job["day"] + timedelta(days=1), period_ids=None, reason="other", notes=""
    )
    db.session.commit()
    assert [j[0].school.name for j in open_jobs_for(job["sub"])] == ["Riverside", "Oak Hill"]  # soonest first

    auth.login(job["sub"].email)
    assert (
        client.post(
            "/coverage/profile", data={"subjects": "Art", "preferred_school": [str(other.id), "999999"]}
        ).status_code
        == 302
    )
    assert [j[0].school.name for j in open_jobs_for(job["sub"])] == ["Oak Hill", "Riverside"]
    assert preferences.profile_of(job["sub"]).preferred_school_ids == {other.id}  # only schools they serve
    page = text(client.get("/coverage/jobs"))
    assert 'value="Art"' in page and "Schools you'd rather work at" in page

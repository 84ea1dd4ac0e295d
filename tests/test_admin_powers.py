"""What an admin *can do* never reaches a note: each path the attack run used is refused, changes nothing,
and afterwards no page the admin can open shows the observer's note, goal or cohort reflection."""

import pytest
from sqlalchemy import func, select

from tests.people_setup import link_in
from tests.permission_world import NOTE_TEXT, build_world, database_fingerprint, sign_in_as, url_in_world
from tests.test_people import person_form
from walkthrough.audit.models import AuditEvent
from walkthrough.auth import email_change
from walkthrough.auth.models import Role, User
from walkthrough.auth.people import ADMIN_AND_COACH, CANNOT_CHANGE_OWN_ROLES
from walkthrough.coaching.models import CaseloadMember
from walkthrough.cohorts import services as cohorts
from walkthrough.cohorts.models import Cohort
from walkthrough.extensions import db

GOAL_TEXT = "More student talk"
READABLE = ("coaching.record", "observations.view", "cohorts.cohort", "coaching.caseload_page", "reports.dashboard")


@pytest.fixture
def world(app, make_school, make_user):
    return build_world(make_school, make_user)


def _as(app, world, kind):
    client = app.test_client()
    sign_in_as(client, world.people[kind])
    return client


def _sees_no_content(app, world, client) -> None:
    for endpoint in READABLE:
        page = client.get(url_in_world(app, endpoint, world.ids)).get_data(as_text=True)
        assert NOTE_TEXT not in page and GOAL_TEXT not in page, endpoint


def _settings(cohort: Cohort) -> dict:
    return {
        "name": cohort.name,
        "level": cohort.level,
        "region": cohort.region,
        "meetings_required": 4,
        "hours_required": 10,
    }


def _escaped(message: str) -> str:
    return message.replace("'", "&#39;")


@pytest.mark.parametrize("admin", ["school_admin", "district_admin"])
@pytest.mark.parametrize("role", ["coach", "teacher"])
def test_an_admin_cannot_give_themselves_a_role(app, world, admin, role):
    client = _as(app, world, admin)
    me = world.people[admin]
    before = database_fingerprint()
    response = client.post(f"/admin/people/{me.id}", data=person_form(me, roles=["admin", role]))
    assert response.status_code == 422 and _escaped(CANNOT_CHANGE_OWN_ROLES) in response.get_data(as_text=True)
    assert database_fingerprint() == before
    _sees_no_content(app, world, client)


def test_one_admin_cannot_make_another_a_coach_and_a_coach_cannot_be_made_admin(app, world):
    client = _as(app, world, "district_admin")
    for kind, roles in (("school_admin", ["admin", "coach"]), ("coach", ["coach", "admin"])):
        person = world.people[kind]
        response = client.post(f"/admin/people/{person.id}", data=person_form(person, roles=roles))
        assert response.status_code == 422 and _escaped(ADMIN_AND_COACH) in response.get_data(as_text=True)
    invited = client.post(
        "/admin/people/invite",
        data={"name": "Both", "email": "both@school.example", "roles": ["admin", "coach"], "school_id": 0},
    )
    assert invited.status_code == 422 and db.session.scalar(select(User).where(User.email.like("both@%"))) is None


def test_a_role_change_is_audited_told_to_the_person_and_signs_them_out(app, world, outbox):
    teacher = world.people["teacher"]
    teacher_client = _as(app, world, "teacher")
    assert teacher_client.get("/").status_code == 200
    admin = _as(app, world, "school_admin")
    assert (
        admin.post(f"/admin/people/{teacher.id}", data=person_form(teacher, roles=["teacher", "coach"])).status_code
        == 302
    )
    told = outbox(teacher.email)[-1]
    assert told.subject == "Your roles in Walkthrough changed" and "now, coach, teacher" in told.body
    assert teacher_client.get("/").status_code == 302  # signed out
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roles_changed"))
    assert event.detail == {"person": teacher.email, "before": ["teacher"], "after": ["coach", "teacher"]}


def test_an_admin_cannot_change_the_email_of_an_account_in_use(app, world, outbox):
    observer = world.people["observer"]
    client = _as(app, world, "school_admin")
    before = database_fingerprint()
    response = client.post(f"/admin/people/{observer.id}", data=person_form(observer, email="principal@evil.example"))
    assert response.status_code == 422
    assert _escaped(email_change.EMAIL_IN_USE) in response.get_data(as_text=True)
    assert database_fingerprint() == before
    client.post("/auth/forgot", data={"email": "principal@evil.example"})
    assert outbox("principal@evil.example") == []
    _sees_no_content(app, world, client)


def test_an_admin_corrects_an_unaccepted_invitation_and_the_old_link_stops_working(
    app, client, auth, make_user, outbox
):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    client.post(
        "/admin/people/invite",
        data={"name": "Nia New", "email": "nia@typo.example", "roles": ["teacher"], "school_id": 0},
    )
    old_link = link_in(outbox("nia@typo.example")[0].body)
    nia = db.session.scalar(select(User).where(User.email == "nia@typo.example"))
    assert client.post(f"/admin/people/{nia.id}", data=person_form(nia, email="nia@school.example")).status_code == 302
    new_link = link_in(outbox("nia@school.example")[-1].body)
    auth.logout()
    assert client.get(old_link).status_code == 400
    assert client.get(new_link).status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation_email_corrected"))


def test_a_coach_sees_nothing_of_a_teacher_until_they_accept_and_nothing_after_they_end_it(app, world, outbox):
    teacher, coach = world.people["teacher"], world.people["coach"]
    coach_client = _as(app, world, "coach")
    record_url = f"/coaching/people/{teacher.id}"
    assert coach_client.post("/coaching/caseload", data={"coachee_id": teacher.id}).status_code == 302
    assert coach_client.get(record_url).status_code == 404
    assert "Tess Teacher" in coach_client.get("/coaching/").get_data(as_text=True)  # as a request waiting
    asked = outbox(teacher.email)[-1]
    assert asked.subject == "Cara Coach would like to be your coach"

    teacher_client = _as(app, world, "teacher")
    page = teacher_client.get("/coaching/me", follow_redirects=True).get_data(as_text=True)
    assert "Cara Coach would like to be your coach" in page
    member = db.session.scalar(
        select(CaseloadMember).where(CaseloadMember.coachee_id == teacher.id, CaseloadMember.coach_id == coach.id)
    )
    teacher_client.post(f"/coaching/coaches/{member.id}/accept")
    assert coach_client.get(record_url).status_code == 200
    teacher_client.post(f"/coaching/coaches/{member.id}/decline")  # "Stop": the teacher ends it
    assert coach_client.get(record_url).status_code == 404
    assert [m.subject for m in outbox(coach.email)][-2:] == [
        "Tess Teacher accepted you as their coach",
        "Tess Teacher ended coaching with you",
    ]


def test_only_the_teacher_answers_a_coaching_request(app, world):
    teacher, coach = world.people["teacher"], world.people["coach"]
    _as(app, world, "coach").post("/coaching/caseload", data={"coachee_id": teacher.id})
    member = db.session.scalar(
        select(CaseloadMember).where(CaseloadMember.coachee_id == teacher.id, CaseloadMember.coach_id == coach.id)
    )
    for kind in ("coach", "school_admin", "district_admin", "host"):
        assert _as(app, world, kind).post(f"/coaching/coaches/{member.id}/accept").status_code == 404
    db.session.expire_all()
    assert db.session.get(CaseloadMember, member.id).accepted_at is None


def test_a_district_admin_cannot_lead_or_join_a_cohort(app, world):
    admin = world.people["district_admin"]
    cohort = db.session.get(Cohort, world.ids["cohort"])
    client = _as(app, world, "district_admin")
    before = database_fingerprint()
    settings = _settings(cohort)
    response = client.post(f"/cohorts/{cohort.id}/settings", data=settings | {"team_leader_id": admin.id})
    assert response.status_code == 422
    response = client.post(f"/cohorts/{cohort.id}/members", data={"user_id": admin.id})
    assert response.status_code == 422
    assert database_fingerprint() == before
    _sees_no_content(app, world, client)


def test_a_team_leader_is_one_of_the_members(app, world):
    outsider = world.people["teacher"]
    cohort = db.session.get(Cohort, world.ids["cohort"])
    client = _as(app, world, "district_admin")
    settings = _settings(cohort)
    response = client.post(f"/cohorts/{cohort.id}/settings", data=settings | {"team_leader_id": outsider.id})
    assert response.status_code == 422 and _escaped(cohorts.LEADER_NOT_MEMBER) in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).team_leader_id == world.people["host"].id


def test_a_cohort_member_cannot_be_made_an_admin(app, world):
    observer = world.people["observer"]
    response = _as(app, world, "district_admin").post(
        f"/admin/people/{observer.id}", data=person_form(observer, roles=["teacher", "admin"])
    )
    assert response.status_code == 422 and "is in a cohort" in response.get_data(as_text=True)


def test_the_roster_import_keeps_the_role_rules(app, world):
    client = _as(app, world, "school_admin")
    me = world.people["school_admin"]
    rows = (
        "email,name,roles,school\n"
        f"{me.email},{me.name},admin;coach,School A\n"
        f"{world.people['observer'].email},Omar Observer,teacher;admin,School A\n"
        'line@school.example,"Line\nBreak",teacher,School A\n'
    )
    from io import BytesIO

    response = client.post("/admin/roster", data={"file": (BytesIO(rows.encode()), "r.csv")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert _escaped(CANNOT_CHANGE_OWN_ROLES) in page and "is in a cohort" in page and "without line breaks" in page


def test_flask_trust_check_reports_data_that_breaks_the_rules(app, runner, make_user):
    assert runner.invoke(args=["trust", "check"]).exit_code == 0
    both = make_user(Role.ADMIN, Role.COACH, email="both@school.example")
    result = runner.invoke(args=["trust", "check"])
    assert result.exit_code == 1 and f"{both.email} holds both the admin and the coach role" in result.output
    assert db.session.scalar(select(func.count()).select_from(User).where(User.id == both.id)) == 1  # unchanged


def test_a_refused_person_form_changes_no_role_and_sends_no_email(app, world, outbox):
    teacher = world.people["teacher"]
    before = len(outbox(teacher.email))
    form = person_form(teacher, roles=["teacher", "coach"], grade_band="13-15")
    assert _as(app, world, "school_admin").post(f"/admin/people/{teacher.id}", data=form).status_code == 422
    db.session.expire_all()
    assert db.session.get(User, teacher.id).roles == {Role.TEACHER} and len(outbox(teacher.email)) == before

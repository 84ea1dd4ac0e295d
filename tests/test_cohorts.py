"""Cohorts: set up by a district admin, run by a team leader, with each member's progress counted."""

import io
from datetime import date

import pytest

from tests.history_setup import past_visit
from walkthrough.auth.models import Role
from walkthrough.cohorts.models import Cohort, CohortMeeting
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry
from walkthrough.schools.models import SchoolLevel
from walkthrough.schools.years import today_for


@pytest.fixture
def program(make_school, make_user):
    north = make_school("Cedar Creek", level=SchoolLevel.ELEMENTARY)
    other = make_school("Lincoln High", level=SchoolLevel.HIGH)
    district_admin = make_user(Role.ADMIN, name="District Dana")
    school_admin = make_user(Role.ADMIN, school=north, name="Principal Pat")
    leader = make_user(Role.TEACHER, school=north, name="Lee Leader")
    members = [make_user(Role.TEACHER, school=north, name=f"Member {n}") for n in range(2)]
    outsider = make_user(Role.TEACHER, school=other, name="High School Hal")
    return dict(
        north=north,
        district_admin=district_admin,
        school_admin=school_admin,
        leader=leader,
        members=members,
        outsider=outsider,
    )


def _create(client, program, **overrides):
    """Set a cohort up, add its team leader as a member, then choose them as leader, as a district admin does."""
    data = {
        "name": "North Elementary Librarians",
        "level": "elementary",
        "region": "North",
        "meetings_required": "4",
        "hours_required": "8",
    } | overrides
    response = client.post("/cohorts", data=data)
    if response.status_code == 302:
        cohort_id = int(response.headers["Location"].rsplit("/", 1)[1])
        client.post(f"/cohorts/{cohort_id}/members", data={"user_id": program["leader"].id})
        settings = client.post(f"/cohorts/{cohort_id}/settings", data=data | {"team_leader_id": program["leader"].id})
        assert settings.status_code == 302
    return response


def test_a_district_admin_sets_up_a_cohort_and_its_members(program, auth, client):
    auth.login(program["district_admin"])
    response = _create(client, program)
    assert response.status_code == 302
    cohort = db.session.scalars(db.select(Cohort)).one()
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Member 0" in page and "High School Hal" not in page  # only teachers at elementary schools in North
    for member in program["members"]:
        client.post(f"/cohorts/{cohort.id}/members", data={"user_id": member.id})
    db.session.refresh(cohort)
    assert {m.user.name for m in cohort.members} == {"Lee Leader", "Member 0", "Member 1"}
    clash = _create(client, program)
    assert clash.status_code == 422 and "already a cohort with that name" in clash.get_data(as_text=True)
    bad = _create(client, program, name="Another", meetings_required="50")
    assert bad.status_code == 422 and "Another" in bad.get_data(as_text=True)


def test_the_growth_plan_due_date_is_set_in_the_settings_and_shown_to_members(program, auth, client):
    auth.login(program["district_admin"])
    _create(client, program)
    cohort = db.session.scalars(db.select(Cohort)).one()
    settings = {
        "name": cohort.name,
        "level": "elementary",
        "region": "North",
        "meetings_required": "4",
        "hours_required": "8",
        "team_leader_id": program["leader"].id,
    }
    bad = client.post(f"/cohorts/{cohort.id}/settings", data=settings | {"plan_due": "15 Dec"})
    assert bad.status_code == 422 and 'value="15 Dec"' in bad.get_data(as_text=True)
    assert client.post(f"/cohorts/{cohort.id}/settings", data=settings | {"plan_due": "2026-12-15"}).status_code == 302
    db.session.refresh(cohort)
    assert cohort.plan_due == date(2026, 12, 15)
    auth.logout()
    auth.login(program["leader"])
    assert "Due Tuesday 15 December." in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_a_school_admin_and_a_teacher_cannot_set_cohorts_up(program, auth, client):
    for person in (program["school_admin"], program["leader"]):
        auth.login(person)
        assert _create(client, program).status_code == 403
        auth.logout()
    assert db.session.scalars(db.select(Cohort)).all() == []


def test_progress_counts_meetings_hours_plan_and_reflections(program, auth, client, make_user):
    auth.login(program["district_admin"])
    _create(client, program, meetings_required="2", hours_required="2")
    cohort = db.session.scalars(db.select(Cohort)).one()
    member = program["members"][0]
    client.post(f"/cohorts/{cohort.id}/members", data={"user_id": member.id})
    auth.logout()

    auth.login(program["leader"])
    today = today_for(program["north"])
    for day in (today, today.replace(day=1)):
        client.post(
            f"/cohorts/{cohort.id}/meetings", data={"day": day.isoformat(), "mode": "virtual", "topic": "Goals"}
        )
    meetings = db.session.scalars(db.select(CohortMeeting).order_by(CohortMeeting.id)).all()
    client.post(f"/cohorts/meetings/{meetings[0].id}/attendance", data={"present": [str(member.id)]})
    auth.logout()

    auth.login(member)
    client.post(
        f"/cohorts/meetings/{meetings[0].id}/reflection",
        data={f"meeting-{meetings[0].id}-reflection": "I will try exit tickets."},
    )
    client.post(
        f"/cohorts/{cohort.id}/plan",
        data={"plan": (io.BytesIO(b"%PDF-1.4 plan"), "growth plan.pdf")},
        content_type="multipart/form-data",
    )
    client.post(
        "/learning", data={"day": today.isoformat(), "kind": "webinar", "title": "AASL webinar", "minutes": "60"}
    )
    host = make_user(Role.TEACHER, school=program["north"])
    past_visit(host=host, observer=member, day=today, notes="")  # counts as 45 minutes of learning
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 of 2" in page  # meetings
    assert "1 h 45 min of 2 h" in page
    assert "Uploaded" in page
    assert "1 of 2 held" in page
    assert "Lee Leader" not in page.split("My progress")[1].split("</table>")[0]  # members see their own row
    plan = client.get(f"/cohorts/{cohort.id}/plan/{member.id}")
    assert plan.status_code == 200 and plan.data.startswith(b"%PDF")
    plan.close()
    auth.logout()

    auth.login(program["leader"])
    leader_page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "I will try exit tickets." in leader_page and "Member 0" in leader_page
    auth.logout()

    auth.login(program["school_admin"])
    admin_page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 h 45 min of 2 h" in admin_page
    assert "I will try exit tickets." not in admin_page
    assert client.get(f"/cohorts/{cohort.id}/plan/{member.id}").status_code == 404


def test_a_renamed_file_is_not_accepted_as_a_growth_plan(program, auth, client):
    auth.login(program["district_admin"])
    _create(client, program)
    cohort = db.session.scalars(db.select(Cohort)).one()
    auth.logout()
    auth.login(program["leader"])
    response = client.post(
        f"/cohorts/{cohort.id}/plan",
        data={"plan": (io.BytesIO(b"MZ\x90\x00"), "plan.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Plans can be a PDF" in response.get_data(as_text=True)
    db.session.refresh(cohort)
    assert all(m.plan_file is None for m in cohort.members)


def test_people_outside_a_cohort_do_not_see_it(program, auth, client):
    auth.login(program["district_admin"])
    _create(client, program)
    cohort = db.session.scalars(db.select(Cohort)).one()
    auth.logout()
    auth.login(program["outsider"])
    assert client.get(f"/cohorts/{cohort.id}").status_code == 404
    assert "North Elementary Librarians" not in client.get("/cohorts").get_data(as_text=True)


def test_the_learning_log_keeps_input_when_it_is_wrong_and_counts_visits(program, auth, client):
    auth.login(program["leader"])
    wrong = client.post(
        "/learning", data={"day": "2026-10-01", "kind": "conference", "title": "CASL fall", "minutes": "5000"}
    )
    assert wrong.status_code == 422
    assert "CASL fall" in wrong.get_data(as_text=True) and "between 1 and 1,440" in wrong.get_data(as_text=True)
    assert db.session.scalars(db.select(LearningEntry)).all() == []
    client.post("/learning", data={"day": "2026-10-01", "kind": "conference", "title": "CASL fall", "minutes": "180"})
    entry = db.session.scalars(db.select(LearningEntry)).one()
    auth.logout()
    auth.login(program["members"][0])
    assert client.post(f"/learning/{entry.id}/delete").status_code == 404


def test_admins_are_reminded_that_team_leaders_usually_get_16_hours(program, auth, client):
    auth.login(program["district_admin"])
    _create(client, program)
    cohort = db.session.scalars(db.select(Cohort)).one()
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Team leaders usually have 16 h of release time a year; Lee Leader has 8 h." in page
    program["leader"].release_minutes = 16 * 60
    db.session.commit()
    assert "usually have 16 h" not in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)

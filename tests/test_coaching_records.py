"""Coaching records over HTTP: caseloads, goals and evidence, cycles, the log, and who reads what."""

import pytest

from tests.coaching_setup import coach_with_consent
from tests.history_setup import LAST_YEAR
from walkthrough.auth.models import Role
from walkthrough.coaching import caseload
from walkthrough.coaching.models import CoachingActivity, CoachingCycle, GrowthGoal
from walkthrough.extensions import db
from walkthrough.schools.years import current_start_year, today_for


@pytest.fixture
def team(make_school, make_user):
    school = make_school("Riverside")
    coach = make_user(Role.COACH, school=school, name="Coach Kim")
    other_coach = make_user(Role.COACH, school=school, name="Coach Lou")
    teacher = make_user(Role.TEACHER, school=school, name="Ana Teacher")
    colleague = make_user(Role.TEACHER, school=school, name="Ben Colleague")
    admin = make_user(Role.ADMIN, school=school, name="Principal Pat")
    coach_with_consent(coach=coach, coachee=teacher)
    db.session.commit()
    return dict(school=school, coach=coach, other_coach=other_coach, teacher=teacher, colleague=colleague, admin=admin)


def _year(person):
    return current_start_year(person.school, today_for(person.school))


def test_a_coach_finds_and_adds_a_teacher_then_takes_them_off(team, auth, client):
    auth.login(team["coach"])
    found = client.get("/coaching/find?q=ben", headers={"HX-Request": "true"})
    assert "Ben Colleague" in found.get_data(as_text=True) and "<html" not in found.get_data(as_text=True)
    assert "Ana Teacher" not in client.get("/coaching/find?q=ana").get_data(as_text=True)  # already on it
    response = client.post("/coaching/caseload", data={"coachee_id": team["colleague"].id}, follow_redirects=True)
    assert "We&#39;ve asked Ben Colleague" in response.get_data(as_text=True)
    again = client.post("/coaching/caseload", data={"coachee_id": team["colleague"].id}, follow_redirects=True)
    assert "You have already asked Ben Colleague" in again.get_data(as_text=True)
    client.post(f"/coaching/caseload/{team['colleague'].id}/remove")
    assert [p.name for p in caseload.coachees(team["coach"])] == ["Ana Teacher"]


def test_a_coach_cannot_add_an_admin_or_themselves(team, auth, client):
    auth.login(team["coach"])
    for person in (team["admin"], team["coach"]):
        response = client.post("/coaching/caseload", data={"coachee_id": person.id}, follow_redirects=True)
        assert response.status_code == 200
    assert [p.name for p in caseload.coachees(team["coach"])] == ["Ana Teacher"]


def test_goals_hold_three_at_most_and_bad_links_are_refused_with_the_text_kept(team, auth, client):
    auth.login(team["teacher"])
    me = team["teacher"].id
    for n in range(3):
        response = client.post(f"/coaching/people/{me}/goals", data={"text": f"Goal {n}", "status": "in_progress"})
        assert response.status_code == 302
    fourth = client.post(f"/coaching/people/{me}/goals", data={"text": "A fourth goal", "status": "not_started"})
    assert fourth.status_code == 422
    assert "up to three goals" in fourth.get_data(as_text=True)
    assert "A fourth goal" in fourth.get_data(as_text=True)
    goal = db.session.scalars(db.select(GrowthGoal).order_by(GrowthGoal.id)).first()
    prefix = f"evidence-{goal.id}"
    refused = client.post(
        f"/coaching/goals/{goal.id}/evidence",
        data={f"{prefix}-label": "Student work", f"{prefix}-url": "javascript:alert(1)"},
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "https://" in body and "Student work" in body and "javascript:alert(1)" in body
    assert goal.evidence == []
    client.post(
        f"/coaching/goals/{goal.id}/evidence",
        data={f"{prefix}-label": "Student work", f"{prefix}-url": "https://drive.example/work"},
    )
    db.session.refresh(goal)
    assert [e.url for e in goal.evidence] == ["https://drive.example/work"]
    client.post(
        f"/coaching/goals/{goal.id}", data={f"goal-{goal.id}-text": "Goal 0, sharper", f"goal-{goal.id}-status": "met"}
    )
    db.session.refresh(goal)
    assert (goal.text, goal.status) == ("Goal 0, sharper", "met")


def test_coach_notes_stay_with_the_coach_unless_shared(team, auth, client):
    coach, teacher = team["coach"], team["teacher"]
    auth.login(coach)
    today = today_for(coach.school).isoformat()
    for notes, shared in (("PRIVATE-NOTE about pacing", ""), ("SHARED-NOTE: try think-pair-share", "y")):
        data = {"day": today, "kind": "planning", "minutes": "40", "notes": notes, "next_step": "Visit Ben"}
        if shared:
            data["shared_with_coachee"] = shared
        assert client.post(f"/coaching/people/{teacher.id}/activities", data=data).status_code == 302
    assert "PRIVATE-NOTE" in client.get(f"/coaching/people/{teacher.id}").get_data(as_text=True)
    auth.logout()

    auth.login(teacher)
    mine = client.get("/coaching/me", follow_redirects=True).get_data(as_text=True)
    assert "SHARED-NOTE" in mine and "PRIVATE-NOTE" not in mine
    assert "1 h 20 min" in mine  # coaching received counts both entries' minutes
    auth.logout()

    for outsider in (team["other_coach"], team["admin"], team["colleague"]):
        auth.login(outsider)
        assert client.get(f"/coaching/people/{teacher.id}").status_code == 404
        entry = db.session.scalars(db.select(CoachingActivity)).first()
        assert client.post(f"/coaching/activities/{entry.id}/sharing", data={"shared": "1"}).status_code in (403, 404)
        assert client.post(f"/coaching/people/{teacher.id}/goals", data={"text": "x"}).status_code == 404
        auth.logout()


def test_logging_coaching_in_the_future_or_too_long_is_refused_with_input_kept(team, auth, client):
    auth.login(team["coach"])
    teacher = team["teacher"]
    response = client.post(
        f"/coaching/people/{teacher.id}/activities",
        data={"day": "2099-01-01", "kind": "modeling", "minutes": "45", "notes": "Modelled a number talk"},
    )
    assert response.status_code == 422
    assert "on or before today" in response.get_data(as_text=True)
    assert "Modelled a number talk" in response.get_data(as_text=True)
    too_long = client.post(
        f"/coaching/people/{teacher.id}/activities",
        data={"day": "2026-09-01", "kind": "modeling", "minutes": "900", "notes": "x"},
    )
    assert too_long.status_code == 422 and "between 1 and 600" in too_long.get_data(as_text=True)
    assert db.session.scalars(db.select(CoachingActivity)).all() == []


def test_cycles_move_through_their_phases(team, auth, client):
    auth.login(team["coach"])
    teacher = team["teacher"]
    client.post(
        f"/coaching/people/{teacher.id}/cycles", data={"focus": "Student discourse", "started_on": "2026-10-01"}
    )
    page = client.get(f"/coaching/people/{teacher.id}").get_data(as_text=True)
    assert "Student discourse" in page and "Planning conversation" in page

    cycle = db.session.scalars(db.select(CoachingCycle)).one()
    client.post(f"/coaching/cycles/{cycle.id}/phase", data={f"cycle-{cycle.id}-phase": "reflecting"})
    db.session.refresh(cycle)
    assert cycle.phase == "reflecting"
    auth.logout()
    auth.login(teacher)
    assert (
        client.post(f"/coaching/cycles/{cycle.id}/phase", data={f"cycle-{cycle.id}-phase": "complete"}).status_code
        == 403
    )


def test_a_coach_opens_last_years_record(team, auth, client):
    auth.login(team["coach"])
    page = client.get(f"/coaching/people/{team['teacher'].id}?year={LAST_YEAR}")
    assert page.status_code == 200
    assert f"{LAST_YEAR}–" in page.get_data(as_text=True)

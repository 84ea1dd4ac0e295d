"""`flask demo seed` builds a believable district."""

from sqlalchemy import func, select

from walkthrough.auth.models import Role, RoleGrant, User
from walkthrough.coaching.models import CaseloadMember
from walkthrough.cohorts.models import CohortMember
from walkthrough.demo.district import DEMO_PASSWORD
from walkthrough.extensions import db
from walkthrough.observations.models import EvidenceEntry, NoteSlot, Observation
from walkthrough.schools.models import PeriodAssignment, School


def count_with(role: Role) -> int:
    return db.session.scalar(select(func.count()).select_from(RoleGrant).where(RoleGrant.role == role.value))


def test_demo_seed_builds_the_district_once(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "maya.ortiz@district.example" in result.output and DEMO_PASSWORD in result.output
    schools = db.session.scalars(select(School)).all()
    assert sorted(s.level for s in schools) == ["elementary", "high", "middle"]
    assert len({s.timezone for s in schools}) == 2
    assert all(len(s.periods) >= 8 for s in schools)
    assert count_with(Role.TEACHER) == 60
    assert count_with(Role.COACH) == 3 and count_with(Role.ADMIN) == 2 and count_with(Role.SUBSTITUTE) == 5
    coach_teachers = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == "coach")),
            User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == "teacher")),
        )
    )
    assert coach_teachers == 1
    teachers_without_periods = db.session.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .where(RoleGrant.role == "teacher", RoleGrant.user_id.not_in(select(PeriodAssignment.user_id)))
    )
    assert teachers_without_periods == 0
    # This school year so far: visits that happened, caseloads with logged coaching, a cohort that met.
    assert db.session.scalar(select(func.count()).select_from(Observation)) > 20
    assert db.session.scalar(select(func.count()).select_from(CaseloadMember)) >= 15
    assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 5
    evidence = db.session.scalars(select(EvidenceEntry)).all()
    texts = {slot.name: slot.value for slot in db.session.scalars(select(NoteSlot))}
    assert evidence and all(texts.get(entry.slot) for entry in evidence)
    people = db.session.scalar(select(func.count()).select_from(User))
    again = runner.invoke(args=["demo", "seed"])
    assert "already has schools" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == people


def test_demo_logins_work(runner, auth, client):
    runner.invoke(args=["demo", "seed"])
    response = auth.login("maya.ortiz@district.example", password=DEMO_PASSWORD)
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Maya" in home and "Your periods" in home


def test_demo_has_two_walks_with_results_and_one_the_teacher_is_on_now(runner, auth, client):
    from walkthrough.walks.models import Walk
    from walkthrough.walks.results import results_for

    runner.invoke(args=["demo", "seed"])
    walks = db.session.scalars(select(Walk).order_by(Walk.starts_on)).all()
    past, current = walks[:2], walks[2]
    assert len(walks) == 3 and {w.school.name for w in walks} == {"Riverside Middle School"}
    results = results_for(past, by=["walk", "grade_band"])
    assert results.enough and len(results.breakdowns["walk"].shown) == 2
    assert past[1].summary.sent_at is not None
    auth.login("maya.ortiz@district.example", password=DEMO_PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert f"/walks/{current.id}/capture" in home and "We noticed" in home
    page = client.get("/walks/results").get_data(as_text=True)
    assert "Across the year" in page and "By grade band" in page


def test_demo_has_surveys_trainings_a_toolkit_and_a_showcase(runner, auth, client):
    from walkthrough.showcase.models import ShowcaseItem
    from walkthrough.surveys.models import Survey
    from walkthrough.surveys.results import results_for

    runner.invoke(args=["demo", "seed"])
    needs, exit_slip = db.session.scalars(select(Survey).order_by(Survey.id)).all()
    assert not results_for(needs).hidden and needs.shared_at is not None
    assert db.session.scalar(select(ShowcaseItem)).published
    auth.login("maya.ortiz@district.example", password=DEMO_PASSWORD)
    surveys = client.get("/surveys/").get_data(as_text=True)
    assert f"/surveys/{exit_slip.id}/answer" in surveys and f"/surveys/{needs.id}/results" in surveys
    learning = client.get("/learning").get_data(as_text=True)
    assert "Required of you" in learning and "Mandated reporter training" in learning
    assert "Norms for a safe and trusting visit" in client.get("/toolkit/").get_data(as_text=True)
    assert "Students checking who wrote a source" in client.get("/showcase/").get_data(as_text=True)

"""The district-scale data set, built small: whole, deterministic, usable by the app, and followed by
ordinary inserts without id clashes (PostgreSQL sequences are moved past the bulk-written ids)."""

from datetime import date

from sqlalchemy import func, select

from tests.conftest import _empty_every_table
from walkthrough.auth.models import Role, User
from walkthrough.coaching.counts import counts_for
from walkthrough.demo.district import DEMO_PASSWORD
from walkthrough.demo.scale import SCALES, Scale
from walkthrough.demo.scale_seed import seed_at_scale
from walkthrough.extensions import db
from walkthrough.observations.models import Observation
from walkthrough.schools.years import district_year, year_containing
from walkthrough.visits.models import SignUp

SMALL = Scale(schools=3, teachers_per_school=12, coaches=2, substitutes=3, years=3, visits_per_teacher_year=20)
TODAY = date(2026, 11, 20)


def test_a_small_district_is_whole_and_the_same_every_time(app, make_user, auth, client):
    written = seed_at_scale(SMALL, seed=7, today=TODAY)
    assert written["schools"] == 3 and written["users"] == 1 + 3 + 36 + 2 + 3
    assert written["observations"] > 36 * 20 * 2 * 0.7
    db.session.execute(select(func.count(), func.sum(Observation.observer_id), func.sum(Observation.host_id))).one()
    # No visit is its own host's, and every confirmed booking with notes points at them.
    assert db.session.scalar(select(func.count()).where(Observation.observer_id == Observation.host_id)) == 0
    linked = db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.observation_id.is_not(None)))
    assert 0 < linked < written["observations"]
    # Everyone in a caseload has counts from the shared definition of a visit.
    teachers = db.session.scalars(select(User.id).where(User.email.like("teacher%"))).all()
    year = district_year(year_containing(TODAY).start_year - 1)
    counts = counts_for(teachers, year.start, year.end)
    assert sum(c.visits_made for c in counts.values()) == sum(c.visits_hosted for c in counts.values()) > 300
    # Ordinary inserts after a bulk load get fresh ids.
    newcomer = make_user(Role.TEACHER, name="Newcomer")
    assert newcomer.id > max(teachers)
    auth.login("dana.whitfield@district.example", password=DEMO_PASSWORD)
    for page in ("/reports/", "/admin/people", "/cohorts", "/visits/"):
        assert client.get(page).status_code == 200, page


def _fingerprint():
    return db.session.execute(
        select(
            func.count(), func.sum(Observation.observer_id), func.sum(Observation.host_id), func.max(Observation.day)
        )
    ).one()


def test_the_same_seed_builds_the_same_data(app):
    seed_at_scale(SMALL, seed=11, today=TODAY)
    first = _fingerprint()
    db.session.commit()
    _empty_every_table()
    seed_at_scale(SMALL, seed=11, today=TODAY)
    assert _fingerprint() == first
    _empty_every_table()
    seed_at_scale(SMALL, seed=12, today=TODAY)
    assert _fingerprint() != first


def test_the_named_scales_are_the_sizes_the_docs_promise():
    district, state = SCALES["district"], SCALES["state"]
    assert district.schools * district.teachers_per_school == 3000
    assert (district.coaches, district.substitutes, district.years) == (40, 100, 3)
    assert state.schools == 10 * district.schools and state.coaches == 10 * district.coaches

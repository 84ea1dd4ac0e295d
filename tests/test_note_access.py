"""Who may read notes: every viewer × every share state × every route that shows note content."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import access, changes, photos, queries, services
from walkthrough.protocols.models import Protocol

SECRET = "Students explained fractions with paper strips"
VIEWERS = ["observer", "host", "their_coach", "another_coach", "admin", "another_teacher", "substitute"]
SHARE_STATES = ["private", "host", "coach", "both"]
READERS = {  # who may read, in each share state
    "private": {"observer"},
    "host": {"observer", "host"},
    "coach": {"observer", "their_coach"},
    "both": {"observer", "host", "their_coach"},
}


@pytest.fixture
def world(app, make_user, make_school):
    school = make_school()
    people = {
        "observer": make_user(Role.TEACHER, school=school),
        "host": make_user(Role.TEACHER, school=school),
        "their_coach": make_user(Role.COACH, school=school),
        "another_coach": make_user(Role.COACH, school=school),
        "admin": make_user(Role.ADMIN, school=school),
        "another_teacher": make_user(Role.TEACHER, school=school),
        "substitute": make_user(Role.SUBSTITUTE),
    }
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "noticings-wonderings"))
    observation = services.start_observation(observer=people["observer"], host=people["host"], protocol=protocol)
    changes.apply_changes(
        observation=observation,
        changes=[
            {"key": "secret-note-1", "op": "text", "slot": "noticings", "value": SECRET, "base": "", "base_revision": 0}
        ],
    )
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(png, "PNG")
    photo = photos.add_photo(observation=observation, field_key="photos", raw=png.getvalue())
    db.session.commit()
    return people, observation, photo


def set_share_state(observation, people, state):
    services.share(
        observation=observation,
        actor=people["observer"],
        with_host=state in ("host", "both"),
        coach=people["their_coach"] if state in ("coach", "both") else None,
    )
    db.session.commit()


@pytest.mark.parametrize("state", SHARE_STATES)
def test_the_one_rule_for_reading_notes(world, state):
    people, observation, _ = world
    set_share_state(observation, people, state)
    for viewer in VIEWERS:
        assert access.can_read_note(people[viewer], observation) == (viewer in READERS[state]), (viewer, state)
        assert access.can_edit_note(people[viewer], observation) == (viewer == "observer")


@pytest.mark.parametrize("state", SHARE_STATES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_route_follows_the_rule(world, client, auth, state, viewer):
    people, observation, photo = world
    set_share_state(observation, people, state)
    auth.login(people[viewer])
    may_read = viewer in READERS[state]
    is_observer = viewer == "observer"

    page = client.get(f"/observations/{observation.id}")
    assert page.status_code == (200 if may_read else 404)
    assert (SECRET in page.get_data(as_text=True)) == may_read
    for path in (f"/observations/photos/{photo.id}", f"/observations/photos/{photo.id}/thumbnail"):
        with client.get(path) as response:
            assert response.status_code == (200 if may_read else 404), path
            if may_read:
                assert response.mimetype == "image/jpeg" and "no-store" in response.headers["Cache-Control"]

    edit_status = 200 if is_observer else (403 if may_read else 404)
    assert client.get(f"/observations/{observation.id}/finish").status_code == edit_status
    saved = client.post(
        f"/observations/{observation.id}/changes",
        json={
            "changes": [
                {
                    "key": f"try-{viewer}-{state}",
                    "op": "text",
                    "slot": "wonderings",
                    "value": "x",
                    "base": "",
                    "base_revision": 0,
                }
            ]
        },
    )
    assert saved.status_code == edit_status
    fragment = client.post(
        f"/observations/{observation.id}/photos", headers={"HX-Request": "true"}, data={"field_key": "photos"}
    )
    assert fragment.status_code == (422 if is_observer else edit_status)
    removed = client.post(f"/observations/photos/{photo.id}/delete", headers={"HX-Request": "true"})
    assert removed.status_code == (200 if is_observer else edit_status)

    may_reply = viewer == "host" and state in ("host", "both")
    reply = client.post(f"/observations/{observation.id}/reply", data={"reply": "Thanks"})
    assert reply.status_code == (302 if may_reply else (403 if may_read else 404))


def test_admins_see_that_a_visit_happened_but_never_its_notes(world, client, auth):
    people, observation, _ = world
    set_share_state(observation, people, "both")
    auth.login(people["admin"])
    for path in ("/", "/observations/", f"/observations/{observation.id}"):
        assert SECRET not in client.get(path).get_data(as_text=True)


def test_lists_show_only_what_each_person_may_open(world, client, auth):
    people, observation, _ = world
    auth.login(people["host"])
    assert f"/observations/{observation.id}" not in client.get("/observations/").get_data(as_text=True)
    auth.logout()
    set_share_state(observation, people, "host")
    auth.login(people["host"])
    assert f"/observations/{observation.id}" in client.get("/observations/").get_data(as_text=True)


@pytest.mark.parametrize("seed", range(3))
def test_lists_and_pages_apply_the_same_rule_on_generated_worlds(app, make_user, make_school, seed):
    """access.readable_by (the SQL that lists use) picks exactly the observations can_read_note allows, for
    every person, including a coach whose coach role was taken away after a note was shared with them."""
    import random

    from walkthrough.db_types import utcnow
    from walkthrough.observations.models import Observation
    from walkthrough.protocols.models import ProtocolVersion

    rng = random.Random(seed)
    school = make_school()
    kinds = [(Role.TEACHER,), (Role.TEACHER, Role.COACH), (Role.COACH,), (Role.ADMIN,), (Role.SUBSTITUTE,)]
    people = [make_user(Role.TEACHER, Role.COACH, school=school)]
    people += [make_user(*rng.choice(kinds), school=school) for _ in range(7)]
    version = db.session.scalar(select(ProtocolVersion))
    for _ in range(40):
        observer, host = rng.sample(people, 2)
        db.session.add(
            Observation(
                observer_id=observer.id,
                host_id=host.id,
                protocol_version_id=version.id,
                shared_with_host_at=utcnow() if rng.random() < 0.5 else None,
                shared_with_coach_id=rng.choice(people).id if rng.random() < 0.5 else None,
            )
        )
    people[0].set_roles({Role.TEACHER})  # their coach role was removed after notes were shared with them
    db.session.commit()
    everything = db.session.scalars(select(Observation)).all()
    for viewer in people:
        by_sql = set(db.session.scalars(select(Observation.id).where(access.readable_by(viewer))))
        by_rule = {o.id for o in everything if access.can_read_note(viewer, o)}
        assert by_sql == by_rule, viewer.roles
        shared = {o.id for o in queries.shared_with(viewer, limit=1000)}
        assert shared == {i for i in by_rule if db.session.get(Observation, i).observer_id != viewer.id}

"""Ids changed in forms, JSON and htmx requests never reach someone else's note, photo, cover job or
coaching record. (Ids in URLs are covered route by route in test_permission_matrix.)"""

from datetime import date, time, timedelta

from sqlalchemy import select

from tests.permission_world import NOTE_TEXT, build_world, database_fingerprint, sign_in_as
from walkthrough.auth.models import Role
from walkthrough.coverage import services as coverage
from walkthrough.coverage.models import CoverageRequest, SubstitutePool
from walkthrough.extensions import db
from walkthrough.observations import services as observations
from walkthrough.observations.models import EvidenceEntry, NoteSlot, Photo
from walkthrough.protocols.models import Protocol
from walkthrough.schools.models import PeriodAssignment
from walkthrough.schools.services import save_period


def _client(app, person):
    client = app.test_client()
    sign_in_as(client, person)
    return client


def test_autosave_cannot_write_into_another_observations_slots_or_entries(app, make_school, make_user):
    world = build_world(make_school, make_user)
    teacher, host = world.people["teacher"], world.people["host"]
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    mine = observations.start_observation(observer=teacher, host=host, protocol=protocol)
    theirs = db.session.get(
        NoteSlot, db.session.scalar(select(NoteSlot.id).where(NoteSlot.observation_id == world.ids["observation"]))
    )
    db.session.add(
        EvidenceEntry(
            observation_id=world.ids["observation"],
            field_key="log",
            client_id="their-entry-1",
            recorded_at=mine.started_at,
            minute=0,
        )
    )
    db.session.commit()
    before = database_fingerprint()
    changes = [
        {
            "key": "steal-by-slot-id",
            "op": "text",
            "slot": "evidence:their-entry-1",
            "value": "x",
            "base": "",
            "base_revision": 0,
        },
        {"key": "steal-removal-1", "op": "remove_evidence", "entry": "their-entry-1"},
        {
            "key": "steal-by-name-1",
            "op": "text",
            "slot": theirs.name,
            "value": "overwritten",
            "base": NOTE_TEXT,
            "base_revision": 1,
            "observation_id": world.ids["observation"],
        },
    ]
    response = _client(app, teacher).post(f"/observations/{mine.id}/changes", json={"changes": changes})
    assert response.status_code == 200
    assert all("error" in result for result in response.get_json()["results"][:2])
    db.session.expire_all()
    assert db.session.get(NoteSlot, theirs.id).value == NOTE_TEXT  # only the teacher's own observation changed
    assert db.session.scalar(select(EvidenceEntry.deleted).where(EvidenceEntry.client_id == "their-entry-1")) is False
    assert before != database_fingerprint()  # the third change wrote into the teacher's own note, as it should


def test_htmx_requests_for_someone_elses_note_or_photo_get_nothing(app, make_school, make_user):
    world = build_world(make_school, make_user)
    client = _client(app, world.people["teacher"])
    for path in (f"/observations/{world.ids['observation']}", f"/observations/photos/{world.ids['photo']}"):
        response = client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 404 and NOTE_TEXT not in response.get_data(as_text=True)
    response = client.post(f"/observations/photos/{world.ids['photo']}/delete", headers={"HX-Request": "true"})
    assert response.status_code in (403, 404) and db.session.get(Photo, world.ids["photo"]) is not None


def test_notes_can_only_be_shared_with_someone_who_is_a_coach(app, make_school, make_user):
    world = build_world(make_school, make_user)
    before = database_fingerprint()
    response = _client(app, world.people["observer"]).post(
        f"/observations/{world.ids['observation']}/finish",
        data={"reflection": "mine", "share_with_host": "y", "coach_id": world.ids["school_admin"]},
    )
    assert response.status_code == 422 and database_fingerprint() == before


def test_a_coach_cannot_book_someone_off_their_caseload(app, make_school, make_user):
    world = build_world(make_school, make_user)
    before = database_fingerprint()
    response = _client(app, world.people["other_coach"]).post(
        f"/visits/slots/{world.ids['slot']}/book", data={"observer_id": world.ids["host"]}
    )
    assert response.status_code < 500 and database_fingerprint() == before


def test_a_substitute_cannot_take_a_job_at_a_school_whose_pool_they_are_not_in(app, make_school, make_user):
    world = build_world(make_school, make_user)
    stranger = make_user(Role.SUBSTITUTE, name="Not In The Pool")
    before = database_fingerprint()
    response = _client(app, stranger).post("/coverage/jobs/accept", data={"request_id": [world.ids["cover"]]})
    assert response.status_code < 500 and database_fingerprint() == before
    assert db.session.get(CoverageRequest, world.ids["cover"]).cover_id is None


def test_one_acceptance_cannot_mix_in_another_schools_job(app, make_school, make_user):
    world = build_world(make_school, make_user)
    other_school = world.people["other_admin"].school
    day = date.today() + timedelta(days=(1 - date.today().weekday()) % 7 + 14)
    period = save_period(
        school=other_school, period=None, name="P1", starts_at=time(8), ends_at=time(8, 50), days=["tue"]
    )
    elsewhere = make_user(Role.TEACHER, school=other_school)
    db.session.add(PeriodAssignment(user_id=elsewhere.id, period_id=period.id, kind="teaching", course="Art", room="2"))
    [theirs] = coverage.request_coverage(
        teacher=elsewhere, day=day, period_ids=[period.id], reason="conference", notes=""
    )
    db.session.commit()
    assert not db.session.scalar(select(SubstitutePool).where(SubstitutePool.school_id == other_school.id))
    before = database_fingerprint()
    response = _client(app, world.people["substitute"]).post(
        "/coverage/jobs/accept", data={"request_id": [world.ids["cover"], theirs.id]}
    )
    assert response.status_code < 500 and database_fingerprint() == before


def test_another_schools_admin_cannot_search_substitutes_for_this_schools_pool(app, make_school, make_user):
    world = build_world(make_school, make_user)
    make_user(Role.SUBSTITUTE, name="Searchable Sub")
    db.session.commit()
    school_id = world.people["school_admin"].school_id
    client = _client(app, world.people["other_admin"])
    for headers in ({"HX-Request": "true"}, {}):
        response = client.get(f"/coverage/pool/find?school_id={school_id}&pool_q=searchable", headers=headers)
        assert response.status_code == 404 and "Searchable Sub" not in response.get_data(as_text=True)

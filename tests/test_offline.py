"""The server side of the phone working offline: what it keeps, notes and photos created exactly once
from keys the phone made, a booked visit's note counted once, and sign-out that clears the phone."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.visit_setup import book, open_slot
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.observations import photos, services
from walkthrough.observations.models import Observation, Photo
from walkthrough.schools.times import local_today

KEY = "0123456789abcdef0123456789abcdef"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_note_started_offline_is_created_once_however_often_the_phone_retries(district, client, auth, outbox):
    teacher, host = district["teachers"][0], district["host"]
    auth.login(teacher)
    started = (utcnow() - timedelta(minutes=40)).isoformat()
    payload = {"client_key": KEY, "host_id": host.id, "protocol_id": district["protocol"].id, "started_at": started}
    first = client.post("/observations/offline-start", json=payload)
    again = client.post("/observations/offline-start", json=payload)
    assert first.status_code == again.status_code == 200
    assert first.json == again.json and first.json["editor_url"] == f"/observations/{first.json['id']}"
    assert count(Observation, observer_id=teacher.id) == 1
    note = db.session.get(Observation, first.json["id"])
    assert abs((note.started_at - utcnow()).total_seconds() + 40 * 60) < 60  # when the phone started it
    assert len(outbox(host.email)) == 1  # the host hears of the visit once
    # Online again, the draft's address leads to the note.
    assert client.get(f"/observations/draft/{district['protocol'].id}?key={KEY}").location == f"/observations/{note.id}"


@pytest.mark.parametrize(
    "payload, status",
    [({"client_key": "not-a-key"}, 400), ({"client_key": KEY, "host_id": 0}, 422), ("not an object", 400)],
)
def test_a_start_the_server_cannot_make_says_why_and_makes_nothing(district, client, auth, payload, status):
    auth.login(district["teachers"][0])
    response = client.post("/observations/offline-start", json=payload)
    assert response.status_code == status and response.json["error"]
    assert count(Observation) == 0


def test_a_start_time_far_from_now_is_not_believed(district):
    note = services.start_observation(
        observer=district["teachers"][0],
        host=district["host"],
        protocol=district["protocol"],
        client_key=KEY,
        started_at=utcnow() - timedelta(days=3),
    )
    assert (utcnow() - note.started_at).total_seconds() < 60


def test_a_booked_visit_started_offline_is_that_bookings_note(district, client, auth):
    teacher = district["teachers"][0]
    [slot] = open_slot(district)
    signup = book(slot, teacher)
    slot.day = local_today(slot.school)
    db.session.commit()
    auth.login(teacher)
    assert client.get(f"/visits/signups/{signup.id}/draft").status_code == 200
    response = client.post(f"/visits/signups/{signup.id}/offline-start", json={"client_key": KEY})
    again = client.post(f"/visits/signups/{signup.id}/offline-start", json={"client_key": KEY})
    assert response.json == again.json
    db.session.expire_all()
    assert signup.observation_id == response.json["id"] and count(Observation) == 1
    assert client.get(f"/visits/signups/{signup.id}/draft").location == f"/observations/{signup.observation_id}"


def test_an_open_door_note_for_a_booked_visit_counts_once(district):
    teacher = district["teachers"][0]
    [slot] = open_slot(district)
    signup = book(slot, teacher)
    slot.day = local_today(slot.school)
    db.session.commit()
    note = services.start_observation(observer=teacher, host=district["host"], protocol=district["protocol"])
    db.session.commit()
    db.session.expire_all()
    assert signup.observation_id == note.id


def test_a_photo_sent_again_with_its_key_is_stored_once(district, app, tmp_path):
    app.config["PHOTO_FOLDER"] = str(tmp_path)
    note = services.start_observation(
        observer=district["teachers"][0], host=district["host"], protocol=_protocol_with_photos()
    )
    field = next(f for f in note.protocol_version.fields if f["kind"] == "photo")["key"]
    first = photos.add_photo(observation=note, field_key=field, raw=jpeg(), client_key=KEY)
    second = photos.add_photo(observation=note, field_key=field, raw=jpeg(), client_key=KEY)
    other = photos.add_photo(observation=note, field_key=field, raw=jpeg(), client_key=KEY[::-1])
    assert first.id == second.id != other.id and count(Photo, observation_id=note.id) == 2


def _protocol_with_photos():
    from walkthrough.protocols.models import Protocol

    return next(p for p in db.session.scalars(select(Protocol)) if any(f["kind"] == "photo" for f in p.current.fields))


def test_the_phone_keeps_todays_visits_and_notes_in_progress(district, client, auth):
    teacher = district["teachers"][0]
    [slot] = open_slot(district)
    book(slot, teacher)
    slot.day = local_today(slot.school)
    note = services.start_observation(
        observer=district["teachers"][1], host=district["host"], protocol=district["protocol"]
    )
    db.session.commit()
    auth.login(teacher)
    today = client.get("/offline/today.json").json
    urls = [page["url"] for page in today["pages"]]
    assert "/visits/mine" in urls and "/observations/new" in urls and "/offline" in urls
    assert any(url.startswith("/visits/signups/") and url.endswith("/draft") for url in urls)
    assert f"/observations/{note.id}" not in urls  # someone else's note
    assert client.get("/offline").status_code == 200
    other = client.application.test_client()
    from tests.people_setup import Auth

    Auth(other).login(district["teachers"][1])
    theirs = other.get("/offline/today.json").json
    assert theirs["person"] != today["person"] and f"/observations/{note.id}" in [p["url"] for p in theirs["pages"]]


def test_the_worker_and_manifest_are_served_for_install(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache" and "/static/css/app.css?v=" in worker.get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json" and manifest.json["display"] == "standalone"
    for icon in manifest.json["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_signing_out_tells_the_phone_to_forget_the_person(district, client, auth):
    auth.login(district["teachers"][0])
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert 'data-signed-out="1"' in client.get("/auth/login").get_data(as_text=True)
    assert 'data-signed-out="1"' not in client.get("/auth/login").get_data(as_text=True)


def test_the_observers_own_coach_comes_first_and_is_offered(district, make_user, client, auth):
    from walkthrough.auth.models import Role
    from walkthrough.coaching.models import CaseloadMember

    teacher = district["teachers"][0]
    mine = make_user(Role.COACH, school=district["school"], name="Zoe Zeller", email="zoe@school.example")
    db.session.add(CaseloadMember(coach_id=mine.id, coachee_id=teacher.id, accepted_at=utcnow()))
    note = services.start_observation(observer=teacher, host=district["host"], protocol=district["protocol"])
    db.session.commit()
    auth.login(teacher)
    page = client.get(f"/observations/{note.id}/finish").get_data(as_text=True)
    assert page.index("Zoe Zeller") < page.index("Sam Coach")  # Z before S: the own coach first
    assert f'<option selected value="{mine.id}">Zoe Zeller</option>' in page

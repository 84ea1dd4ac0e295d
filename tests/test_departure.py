"""A departing teacher: a copy of their data goes to them, then an admin erases it; reports don't move."""

import io
import json
import zipfile
from datetime import date, time

import pytest
from sqlalchemy import select, text

from tests.conftest import PASSWORD
from tests.history_setup import YEAR, cover, on, open_door, past_visit
from tests.people_setup import link_in
from tests.permission_world import NOTE_TEXT, build_world
from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role, User
from walkthrough.coaching import records
from walkthrough.coaching.models import CoachingRecord
from walkthrough.extensions import db
from walkthrough.observations.models import Photo
from walkthrough.observations.photos import photo_path
from walkthrough.visits.models import SignUp

SECRET = "Ana's private wondering about group roles"


def _summary(client) -> dict[str, str]:
    dates = {"start": YEAR.start.isoformat(), "end": YEAR.end.isoformat()}
    return {
        section: client.get("/reports/summary.csv", query_string=dates | {"section": section}).get_data(as_text=True)
        for section in ("observations", "coverage", "release")
    }


@pytest.fixture
def leaving(make_school, make_user):
    riverside = make_school("Riverside Middle", first_day=YEAR.start, last_day=YEAR.end)
    ana, ben, cleo = (make_user(Role.TEACHER, school=riverside, name=n) for n in ("Ana Alvarez", "Ben", "Cleo"))
    past_visit(host=ben, observer=ana, day=on(9, 14), notes=SECRET, reflection="I learned", shared=True, reply="ok")
    past_visit(host=ana, observer=cleo, day=on(10, 5), notes="Cleo's own notes", shared=True, reply="Ana's reply")
    open_door(host=ben, observer=ana, day=on(10, 6), minutes=30, notes=SECRET)
    cover(teacher=ana, day=on(9, 14), start=time(10), end=time(10, 50), status="confirmed")
    return dict(
        school=riverside,
        ana=ana,
        cleo=cleo,
        principal=make_user(Role.ADMIN, school=riverside, name="Principal Pat"),
        district=make_user(Role.ADMIN, name="District Dana"),
    )


def test_my_data_holds_my_words_and_photos_and_not_a_colleagues(app, make_school, make_user, auth, client):
    world = build_world(make_school, make_user)
    auth.login(world.people["observer"])
    response = client.post("/reports/my-data.zip")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    made = json.loads(archive.read("visits_made.json"))
    assert NOTE_TEXT in json.dumps(made)
    [photo] = made[0]["photos"]
    assert archive.read(photo["file"]).startswith(b"\xff\xd8")  # the re-encoded JPEG
    assert json.loads(archive.read("coaching.json"))[0]["goals"][0]["goal"] == "More student talk"
    assert json.loads(archive.read("cohorts.json"))[0]["growth_plan"].startswith("plans/")
    assert json.loads(archive.read("learning.json"))[0]["title"] == "Talk moves"
    assert json.loads(archive.read("profile.json"))["email"] == world.people["observer"].email
    guide = archive.read("README.txt").decode()
    assert all(name in guide for name in archive.namelist() if name.endswith(".json"))  # each file explained

    auth.logout()
    auth.login(world.people["host"])  # the host may read the shared notes, but they are the observer's
    hosted = zipfile.ZipFile(io.BytesIO(client.post("/reports/my-data.zip").data))
    assert NOTE_TEXT not in "".join(hosted.read(name).decode(errors="ignore") for name in hosted.namelist())
    assert db.session.get(User, world.people["host"].id).data_copy_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")).detail["what"] == "personal data"


def test_the_admin_sends_the_copy_to_the_person_not_to_themselves(leaving, auth, client, outbox):
    ana = leaving["ana"]
    auth.login(leaving["principal"])
    page = client.get(f"/admin/people/{ana.id}/leave").get_data(as_text=True)
    assert "hasn't downloaded a copy of their data yet" in page
    assert client.post(f"/admin/people/{ana.id}/data-copy").status_code == 302
    [email] = outbox(ana.email)
    link = link_in(email.body)
    assert link == "/account#your-data" and SECRET not in email.body
    assert "Download my data" in client.get(link).get_data(as_text=True)
    own_copy = zipfile.ZipFile(
        io.BytesIO(client.post("/reports/my-data.zip").data)
    )  # the link gives whoever signs in their own data
    assert SECRET not in own_copy.read("visits_made.json").decode()

    ana_client = client.application.test_client()
    ana_client.post("/auth/login", data={"email": ana.email, "password": PASSWORD})
    assert (
        SECRET
        in zipfile.ZipFile(io.BytesIO(ana_client.post("/reports/my-data.zip").data)).read("visits_made.json").decode()
    )
    page = client.get(f"/admin/people/{ana.id}/leave").get_data(as_text=True)
    assert "downloaded a copy of their data on" in page


def test_a_wrong_name_is_refused_beside_the_field_and_changes_nothing(leaving, auth, client):
    ana = leaving["ana"]
    auth.login(leaving["principal"])
    response = client.post(f"/admin/people/{ana.id}/leave", data={"confirm_name": "Ana Alvares"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Type their name exactly as shown to confirm." in page and 'value="Ana Alvares"' in page
    db.session.expire_all()
    assert db.session.get(User, ana.id).name == "Ana Alvarez" and db.session.get(User, ana.id).departed_at is None


def test_erasing_removes_every_word_and_file_and_keeps_every_count(leaving, auth, client, app):
    ana, cleo = leaving["ana"], leaving["cleo"]
    auth.login(leaving["district"])
    before = _summary(client)
    auth.logout()
    auth.login(leaving["principal"])
    response = client.post(f"/admin/people/{ana.id}/leave", data={"confirm_name": " ana alvarez "})
    assert response.status_code == 302

    db.session.expire_all()
    gone = db.session.get(User, ana.id)
    assert gone.departed_at is not None and gone.name == "Former staff member" and not gone.is_active_account
    assert gone.password_hash is None and "alvarez" not in gone.email.lower()
    everything = _every_text_in_the_database()
    assert SECRET not in everything and "I learned" not in everything and "Ana's reply" not in everything
    assert "Cleo's own notes" in everything  # a colleague's notes about Ana's class are the colleague's
    assert client.post("/auth/logout").status_code == 302
    refused = client.post("/auth/login", data={"email": ana.email, "password": PASSWORD})
    assert refused.status_code != 302 or refused.location.startswith("/auth/login")

    auth.login(leaving["district"])
    assert _summary(client) == before
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_departed"))
    assert event.detail["person_id"] == ana.id
    assert cleo.name == "Cleo"


def test_upcoming_bookings_and_slots_are_cancelled_and_photos_removed(
    app, make_school, make_user, auth, client, outbox
):
    world = build_world(make_school, make_user)
    observer, host = world.people["observer"], world.people["host"]
    photo_file = photo_path(db.session.get(Photo, world.ids["photo"]))
    assert photo_file.exists()
    auth.login(world.people["school_admin"])
    page = client.get(f"/admin/people/{observer.id}/leave").get_data(as_text=True)
    assert "1 upcoming booking" in page
    assert client.post(f"/admin/people/{observer.id}/leave", data={"confirm_name": "Omar Observer"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(SignUp, world.ids["signup"]).status == "cancelled"
    assert not photo_file.exists()
    assert outbox(host.email)[-1].subject  # the host hears that the visit is off
    assert client.get(f"/admin/people/{observer.id}/leave").status_code == 302  # already gone


def _every_text_in_the_database() -> str:
    chunks = []
    for table in db.metadata.sorted_tables:
        if table.name in ("audit_events",):
            continue
        for row in db.session.execute(text(f"SELECT * FROM {table.name}")):
            chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


def test_a_departing_coachs_log_notes_and_a_hosts_focus_questions_are_erased(app, make_school, make_user, auth, client):
    """The coach wrote log notes on other teachers' records, and the host wrote focus questions and notes
    for visitors on their slots and visits: those words were theirs, so they go too."""
    world = build_world(make_school, make_user)
    record = db.session.get(CoachingRecord, world.ids["record"])
    records.log_activity(
        record=record,
        coach=world.people["coach"],
        day=date.today(),
        kind="planning",
        minutes=20,
        notes="Questions to ask",
        next_step="Plan the next lesson",
        today=date.today(),
    )
    db.session.commit()
    auth.login(world.people["school_admin"])
    for leaver in ("coach", "host"):
        person = world.people[leaver]
        response = client.post(f"/admin/people/{person.id}/leave", data={"confirm_name": person.name})
        assert response.status_code == 302, leaver
    # (Emails already delivered to colleagues stay in their mail, and so in the outbox's copy.)
    words = "\n".join(
        repr(tuple(row))
        for table in ("visit_slots", "observations", "coaching_activities")
        for row in db.session.execute(text(f"SELECT * FROM {table}"))
    )
    assert "Who does the talking?" not in words  # the host's focus question, on the slot and the visit
    assert "Questions to ask" not in words and "Plan the next lesson" not in words


def test_a_walkers_evidence_is_in_their_data_copy_and_goes_when_they_leave(app, make_school, make_user, auth, client):
    """The observer recorded a classroom on a building walk with a line of evidence only they ever saw."""
    from walkthrough.walks.models import WalkClassroom

    world = build_world(make_school, make_user)
    observer = world.people["observer"]
    auth.login(observer)
    archive = zipfile.ZipFile(io.BytesIO(client.post("/reports/my-data.zip").data))
    [classroom] = json.loads(archive.read("walks.json"))
    assert classroom["evidence"] == NOTE_TEXT and classroom["school"] == "School A"
    auth.logout()
    auth.login(world.people["school_admin"])
    assert client.post(f"/admin/people/{observer.id}/leave", data={"confirm_name": observer.name}).status_code == 302
    kept = db.session.get(WalkClassroom, world.ids["walk_classroom"])
    assert kept.evidence == "" and len(kept.marks) == 1  # the building's count stays


def test_a_departing_teachers_showcase_items_leave_the_gallery_with_them(leaving, auth, client):
    from walkthrough.observations.models import Observation
    from walkthrough.showcase import services as showcase
    from walkthrough.showcase.models import ShowcaseItem

    ana = leaving["ana"]
    visit = db.session.scalar(select(Observation).where(Observation.observer_id == ana.id))
    item = showcase.propose(observation=visit, actor=ana, title="Pairs", excerpt="Pairs talked", photo_id=None)
    showcase.consent(item=item, actor=visit.host)
    db.session.commit()
    auth.login(leaving["principal"])
    assert client.post(f"/admin/people/{ana.id}/leave", data={"confirm_name": "Ana Alvarez"}).status_code == 302
    assert db.session.scalar(select(ShowcaseItem)) is None

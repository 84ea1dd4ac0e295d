"""Starting visits, saving notes once each, merging two devices, sharing and replying."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import changes, language, services
from walkthrough.observations.change_batch import Batch
from walkthrough.observations.merging import CONFLICT_MARKER, merge_text
from walkthrough.observations.models import EvidenceEntry, NoteSlot, Observation
from walkthrough.protocols.models import Protocol
from walkthrough.rules import RuleViolation


@pytest.fixture
def visit(app, make_user, make_school):
    """Maya (observer) visits Jordan (host) with the learning walk."""
    school = make_school()
    observer = make_user(Role.TEACHER, school=school, name="Maya Ortiz", email="maya@school.example")
    host = make_user(Role.TEACHER, school=school, name="Jordan Lee", email="jordan@school.example")
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "learning-walk"))
    observation = services.start_observation(
        observer=observer, host=host, protocol=protocol, focus_question="How do students explain their thinking?"
    )
    db.session.commit()
    return observation


counter = iter(range(10**6))


def key() -> str:
    return f"key{next(counter):08d}"


def text(slot, value, base="", base_revision=0, k=None):
    return {"key": k or key(), "op": "text", "slot": slot, "value": value, "base": base, "base_revision": base_revision}


def slot_value(observation, name):
    db.session.expire_all()
    slot = db.session.scalar(select(NoteSlot).where(NoteSlot.observation_id == observation.id, NoteSlot.name == name))
    return slot.value if slot else None


def test_starting_a_visit_tells_the_host(visit, outbox):
    [email] = outbox("jordan@school.example")
    assert "Maya Ortiz is visiting your class" == email.subject and "Learning walk" in email.body
    assert visit.protocol_version.protocol.slug == "learning-walk"


@pytest.mark.parametrize(
    "who, message", [("self", services.CANNOT_OBSERVE_YOURSELF), ("coach", services.HOST_NOT_A_TEACHER)]
)
def test_you_visit_a_teacher_who_is_not_you(app, make_user, who, message):
    observer = make_user(Role.TEACHER)
    host = observer if who == "self" else make_user(Role.COACH)
    with pytest.raises(RuleViolation, match=message):
        services.start_observation(observer=observer, host=host, protocol=db.session.scalar(select(Protocol)))


def test_a_retried_change_is_applied_once(visit):
    entry = {"key": key(), "op": "add_evidence", "field": "log", "entry": "entry-0001", "recorded_at": 1.79e12}
    typed = text("evidence:entry-0001", "Student asked: why seven?")
    increment = {"key": key(), "op": "increment", "slot": "tally:lookfors:0", "by": 1}
    for _ in range(3):  # the phone never heard back, so it sends the same batch again
        changes.apply_changes(observation=visit, changes=[entry, typed, increment])
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(EvidenceEntry)) == 1
    assert slot_value(visit, "evidence:entry-0001") == "Student asked: why seven?"
    assert slot_value(visit, "tally:lookfors:0") == "1"


def test_an_old_retry_never_overwrites_newer_text(visit):
    first = text("student_talk", "We are learning fractions")
    changes.apply_changes(observation=visit, changes=[first])
    second = text(
        "student_talk", "We are learning fractions by folding paper", base="We are learning fractions", base_revision=1
    )
    changes.apply_changes(observation=visit, changes=[second])
    changes.apply_changes(observation=visit, changes=[first])  # a late retry of the first save
    assert slot_value(visit, "student_talk") == "We are learning fractions by folding paper"


def test_two_devices_editing_the_same_text_keep_both_sides(visit):
    changes.apply_changes(observation=visit, changes=[text("student_talk", "Line one.\nLine two.")])
    base = "Line one.\nLine two."
    phone = text("student_talk", "Line one, from the phone.\nLine two.", base=base, base_revision=1)
    laptop = text("student_talk", "Line one.\nLine two, from the laptop.", base=base, base_revision=1)
    changes.apply_changes(observation=visit, changes=[phone])
    [result] = changes.apply_changes(observation=visit, changes=[laptop])
    assert result["value"] == "Line one, from the phone.\nLine two, from the laptop."
    assert slot_value(visit, "student_talk") == result["value"]


def test_both_devices_starting_from_nothing_keep_both_texts(visit):
    changes.apply_changes(observation=visit, changes=[text("student_talk", "Typed on the phone")])
    [result] = changes.apply_changes(observation=visit, changes=[text("student_talk", "Typed on the laptop")])
    assert "Typed on the phone" in result["value"] and "Typed on the laptop" in result["value"]


def test_merge_keeps_both_texts_when_edits_clash():
    merged = merge_text(
        base="The class read aloud.",
        mine="The class read silently.",
        theirs="Completely rewritten by the other device.",
    )
    assert "The class read silently." in merged and "Completely rewritten" in merged
    assert CONFLICT_MARKER.strip() in merged


def test_bad_changes_are_reported_and_do_not_block_good_ones(visit):
    results = changes.apply_changes(
        observation=visit,
        changes=[
            {"key": key(), "op": "rating", "slot": "x"},
            text("no_such_field", "hello"),
            {"key": key(), "op": "set", "slot": "lookfor:lookfors:99", "value": "seen"},
            {"key": key(), "op": "set", "slot": "lookfor:lookfors:0", "value": "excellent"},
            text("student_talk", "x" * (changes.MAX_TEXT + 1)),
            {"key": key(), "op": "add_evidence", "field": "log", "entry": "entry-9999", "recorded_at": 1e300},
            {"key": "short", "op": "text"},
            text("student_talk", "This one is fine"),
        ],
    )
    assert [bool(r.get("error")) for r in results] == [True] * 7 + [False]
    assert slot_value(visit, "student_talk") == "This one is fine"


def test_look_fors_and_tallies(visit):
    changes.apply_changes(
        observation=visit,
        changes=[
            {"key": key(), "op": "set", "slot": "lookfor:lookfors:0", "value": "seen"},
            {"key": key(), "op": "set", "slot": "lookfor:lookfors:0", "value": "not_seen"},
            {"key": key(), "op": "increment", "slot": "tally:lookfors:2", "by": 1},
            {"key": key(), "op": "increment", "slot": "tally:lookfors:2", "by": 1},
        ],
    )
    assert slot_value(visit, "lookfor:lookfors:0") == "not_seen"
    assert slot_value(visit, "tally:lookfors:2") == "2"


def test_rows_a_later_batch_reads_back_change_as_if_a_query_had_loaded_them(visit):
    """A later autosave reads the keys, lines and slots it names in one statement, in a fresh session as each
    request has, and changes them: a line removed, a look-for set again, a tally counted on, text edited."""
    visit_id = visit.id
    first = [
        {"key": key(), "op": "add_evidence", "field": "log", "entry": "entry-0100", "recorded_at": 1.79e12},
        text("evidence:entry-0100", "Pairs compare answers"),
        {"key": key(), "op": "set", "slot": "lookfor:lookfors:0", "value": "seen"},
        {"key": key(), "op": "increment", "slot": "tally:lookfors:1", "by": 1},
        text("student_talk", "We fold paper"),
    ]
    changes.apply_changes(observation=visit, changes=first)
    db.session.commit()
    columns = ("id", "field_key", "client_id", "recorded_at", "minute", "deleted")
    as_queried = db.session.scalar(select(EvidenceEntry))
    loaded = {column: (type(value := getattr(as_queried, column)), value) for column in columns}
    db.session.remove()

    # As an autosave reads its note: without the note's lines and slots, so the batch reads only what it names.
    visit = db.session.scalar(
        select(Observation)
        .where(Observation.id == visit_id)
        .options(lazyload(Observation.slots), lazyload(Observation.evidence))
    )
    assert not [row for row in db.session if isinstance(row, EvidenceEntry | NoteSlot)]
    later = [
        {"key": key(), "op": "remove_evidence", "entry": "entry-0100"},
        {"key": key(), "op": "set", "slot": "lookfor:lookfors:0", "value": "not_seen"},
        {"key": key(), "op": "increment", "slot": "tally:lookfors:1", "by": 1},
        text("student_talk", "We fold paper into halves", base="We fold paper", base_revision=1),
        first[1],  # a retry: already applied
    ]
    entry = Batch(visit, later).evidence["entry-0100"]
    assert {column: (type(value := getattr(entry, column)), value) for column in columns} == loaded
    results = changes.apply_changes(observation=visit, changes=later)
    db.session.commit()
    db.session.remove()

    assert [result.get("error") for result in results] == [None] * 5 and results[4]["duplicate"]
    assert db.session.scalar(select(EvidenceEntry.deleted)) is True
    visit = db.session.get(type(visit), visit_id)
    assert slot_value(visit, "lookfor:lookfors:0") == "not_seen"
    assert slot_value(visit, "tally:lookfors:1") == "2"
    assert slot_value(visit, "student_talk") == "We fold paper into halves"
    assert slot_value(visit, "evidence:entry-0100") == "Pairs compare answers"


def test_evidence_entries_are_stamped_with_minutes_into_the_visit(visit):
    from datetime import timedelta

    visit.started_at -= timedelta(minutes=20)
    db.session.commit()
    recorded = visit.started_at.timestamp() * 1000 + 12.5 * 60_000
    changes.apply_changes(
        observation=visit,
        changes=[{"key": key(), "op": "add_evidence", "field": "log", "entry": "entry-0002", "recorded_at": recorded}],
    )
    entry = db.session.scalar(select(EvidenceEntry))
    assert entry.minute == 12


def test_the_changes_endpoint_saves_for_the_observer_only(visit, client, auth, make_user):
    auth.login(visit.observer)
    response = client.post(
        f"/observations/{visit.id}/changes", json={"changes": [text("student_talk", "Saved over HTTP")]}
    )
    assert response.status_code == 200 and response.json["results"][0]["revision"] == 1
    assert client.post(f"/observations/{visit.id}/changes", data="not json").status_code == 400
    auth.logout()
    auth.login(visit.host)
    response = client.post(f"/observations/{visit.id}/changes", json={"changes": [text("student_talk", "Host!")]})
    assert response.status_code == 404
    assert slot_value(visit, "student_talk") == "Saved over HTTP"


def test_sharing_with_the_host_then_taking_it_back(visit, outbox):
    services.share(observation=visit, actor=visit.observer, with_host=True, coach=None, reflection="I learned.")
    db.session.commit()
    assert visit.shared_with_host_at and visit.finished_at
    assert [m.subject for m in outbox("jordan@school.example")][-1] == "Maya Ortiz shared their visit notes with you"
    assert slot_value(visit, "reflection") == "I learned."
    services.share(observation=visit, actor=visit.observer, with_host=False, coach=None, reflection="I learned.")
    assert visit.shared_with_host_at is None


def test_sharing_with_a_coach_needs_a_coach(visit, make_user):
    with pytest.raises(RuleViolation, match=services.NOT_A_COACH):
        services.share(observation=visit, actor=visit.observer, with_host=False, coach=make_user(Role.TEACHER))


def test_the_host_replies_and_the_observer_is_told(visit, client, auth, outbox):
    services.share(observation=visit, actor=visit.observer, with_host=True, coach=None)
    db.session.commit()
    auth.login(visit.host)
    assert client.post(f"/observations/{visit.id}/reply", data={"reply": ""}).status_code == 422
    response = client.post(f"/observations/{visit.id}/reply", data={"reply": "Thank you, I'll try pairs."})
    assert response.status_code == 302
    assert outbox("maya@school.example")[-1].subject == "Jordan Lee replied to your visit notes"
    page = client.get(f"/observations/{visit.id}").get_data(as_text=True)
    assert "Thank you, I&#39;ll try pairs." in page


def test_starting_from_the_page_keeps_choices_after_a_mistake(client, auth, make_user, make_school):
    school = make_school()
    me = make_user(Role.TEACHER, school=school)
    colleague = make_user(Role.TEACHER, school=school, name="Colleague Here")
    auth.login(me)
    page = client.get("/observations/new").get_data(as_text=True)
    assert "Colleague Here" in page and me.name not in page.split("host_id")[1].split("</select>")[0]
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    response = client.post(
        "/observations/new", data={"host_id": 0, "protocol_id": protocol.id, "focus_question": "Who talks most?"}
    )
    assert response.status_code == 422 and "Who talks most?" in response.get_data(as_text=True)
    response = client.post(
        "/observations/new",
        data={"host_id": colleague.id, "protocol_id": protocol.id, "focus_question": "Who talks most?"},
    )
    editor = client.get(response.location).get_data(as_text=True)
    assert "Who talks most?" in editor and "+ Evidence" in editor


def test_judgmental_language_is_found_but_never_blocks_saving(visit, app):
    found = language.find_judgments("Great job! The lesson was boring and she should have used groups. Greatness.")
    assert [f["phrase"] for f in found] == ["Great job", "boring", "should have"]
    assert all(f["suggestion"] for f in found)
    [result] = changes.apply_changes(observation=visit, changes=[text("student_talk", "A great, boring lesson")])
    assert result["value"] == "A great, boring lesson"


def test_a_district_can_use_its_own_word_list(app, tmp_path):
    custom = tmp_path / "words.json"
    custom.write_text('{"default_suggestion": "Describe it.", "phrases": [{"phrase": "sloppy"}]}')
    app.config["LANGUAGE_FILE"] = str(custom)
    assert [f["phrase"] for f in language.find_judgments("Sloppy handwriting, great lesson")] == ["Sloppy"]

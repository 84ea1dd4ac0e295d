"""Autosaves arriving at once, through a live threaded server: a phone retrying a batch while its first try
is still being written, and several devices starting the same empty answer. Nothing is applied twice,
nothing typed is lost, and nobody sees a server error."""

import json
import threading
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.test_concurrency import signed_in_opener
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import services
from walkthrough.observations.models import AppliedChange, EvidenceEntry, NoteSlot
from walkthrough.protocols.models import Protocol

DEVICES = 8


@pytest.fixture
def note_and_server(app, make_app, make_user, make_school):
    school = make_school()
    observer, host = make_user(Role.TEACHER, school=school), make_user(Role.TEACHER, school=school)
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    note = services.start_observation(observer=observer, host=host, protocol=protocol, focus_question="How?")
    db.session.commit()
    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    openers = [signed_in_opener(base, observer.email) for _ in range(DEVICES)]
    yield note.id, f"{base}/observations/{note.id}/changes", openers
    server.shutdown()
    thread.join(timeout=10)


def all_at_once(openers, address, batches) -> list[tuple[int, dict]]:
    start_together = threading.Barrier(len(openers))
    answers = []

    def send(opener, batch):
        start_together.wait()
        body = json.dumps({"changes": batch}).encode()
        request = urllib.request.Request(address, data=body, headers={"Content-Type": "application/json"})
        with opener.open(request, timeout=60) as response:
            answers.append((response.status, json.loads(response.read())))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(openers, batches, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_a_batch_sent_again_while_the_first_is_saving_is_applied_once(note_and_server):
    note_id, address, openers = note_and_server
    batch = [
        {"key": "add-line-0001", "op": "add_evidence", "field": "log", "entry": "line-0001", "recorded_at": 0},
        {"key": "say-line-0001", "op": "text", "slot": "evidence:line-0001", "value": "Pairs compare answers"}
        | {"base": "", "base_revision": 0},
    ]
    answers = all_at_once(openers, address, [batch] * DEVICES)

    assert [status for status, _ in answers] == [200] * DEVICES
    for _, answer in answers:
        assert not any("error" in result for result in answer["results"]), answer
        said = next(result for result in answer["results"] if result["key"] == "say-line-0001")
        assert said["value"] == "Pairs compare answers" and said["revision"] == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(EvidenceEntry.observation_id == note_id)) == 1
    assert db.session.scalar(select(func.count()).where(AppliedChange.observation_id == note_id)) == 2
    [slot] = db.session.scalars(
        select(NoteSlot).where(NoteSlot.observation_id == note_id, NoteSlot.name.like("evidence:%"))
    )
    assert (slot.value, slot.revision) == ("Pairs compare answers", 1)


def test_devices_starting_the_same_empty_answer_at_once_keep_every_text(note_and_server):
    note_id, address, openers = note_and_server
    texts = [f"Seen from device {n}: students explain their steps." for n in range(DEVICES)]
    batches = [
        [{"key": f"device-{n}-0001", "op": "text", "slot": "focus", "value": said, "base": "", "base_revision": 0}]
        for n, said in enumerate(texts)
    ]
    answers = all_at_once(openers, address, batches)

    assert [status for status, _ in answers] == [200] * DEVICES
    assert not any("error" in result for _, answer in answers for result in answer["results"]), answers
    db.session.expire_all()
    slot = db.session.scalar(select(NoteSlot).where(NoteSlot.observation_id == note_id, NoteSlot.name == "focus"))
    assert all(said in slot.value for said in texts), slot.value
    assert slot.revision == DEVICES

"""Applying batches of note changes sent by the editor: in order, once each (idempotency keys),
merging text edited on two devices instead of letting one overwrite the other."""

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..db_types import utcnow
from ..extensions import db
from ..protocols.fields import LOOK_FOR_STATES, FieldKind
from ..rules import RuleViolation
from .change_batch import Batch
from .merging import merge_text
from .models import EvidenceEntry, NoteSlot, Observation

MAX_TEXT = 50_000
MAX_BATCH = 200
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
BAD_CHANGE = "That change couldn't be understood."
UNKNOWN_SLOT = "That part of the note doesn't exist in this template."
TEXT_TOO_LONG = f"A single note field can hold at most {MAX_TEXT:,} characters."


@cache
def _swap():
    """A slot's new text, written only if nobody wrote since it was read."""
    return (
        update(NoteSlot)
        .where(NoteSlot.id == bindparam("slot_id"), NoteSlot.revision == bindparam("seen"))
        .values(value=bindparam("merged"), revision=bindparam("next"), updated_at=bindparam("now"))
    )


def _check_text_slot(batch: Batch, name: str) -> None:
    if name.startswith("evidence:"):
        if batch.entry(name.split(":", 1)[1]) is None:
            raise RuleViolation(UNKNOWN_SLOT)
        return
    field = batch.observation.protocol_version.field(name)
    if field is None or field["kind"] not in (FieldKind.PROMPT, FieldKind.FOCUS_QUESTION):
        raise RuleViolation(UNKNOWN_SLOT)


def _look_for(observation: Observation, name: str) -> None:
    parts = name.split(":")
    field = observation.protocol_version.field(parts[1]) if len(parts) == 3 else None
    if (
        field is None
        or field["kind"] != FieldKind.LOOK_FORS
        or not parts[2].isdigit()
        or int(parts[2]) >= len(field["items"])
    ):
        raise RuleViolation(UNKNOWN_SLOT)


def _is_new(slot: NoteSlot) -> bool:
    """Made by this batch and not written yet: nobody else can have saved it in between."""
    return slot.id is None


def _apply_text(batch: Batch, change: dict) -> dict:
    name, mine = str(change.get("slot", "")), change.get("value")
    base, base_revision = change.get("base", ""), change.get("base_revision", 0)
    if not isinstance(mine, str) or not isinstance(base, str) or not isinstance(base_revision, int):
        raise RuleViolation(BAD_CHANGE)
    mine, base = mine.replace("\x00", ""), base.replace("\x00", "")  # PostgreSQL can't store NUL
    if len(mine) > MAX_TEXT:
        raise RuleViolation(TEXT_TOO_LONG)
    _check_text_slot(batch, name)
    slot = batch.slot(name)
    if _is_new(slot):
        merged = mine if slot.revision == base_revision else merge_text(base=base, mine=mine, theirs=slot.value)
        slot.value, slot.revision, slot.updated_at = merged, slot.revision + 1, utcnow()
        return {"slot": name, "revision": slot.revision, "value": merged}
    for attempt in range(5):
        if attempt:
            db.session.refresh(slot)  # another device saved in between: merge with what it wrote
        merged = mine if slot.revision == base_revision else merge_text(base=base, mine=mine, theirs=slot.value)
        revision, now = slot.revision + 1, utcnow()
        # Compare-and-swap, so two devices saving at once can't both win.
        done = db.session.execute(
            _swap(),
            {"slot_id": slot.id, "seen": slot.revision, "merged": merged, "next": revision, "now": now},
            execution_options={"synchronize_session": False},
        ).rowcount
        if done:
            # The row now holds exactly these values; the session's copy is told so without reading it back.
            for attribute, value in (("value", merged), ("revision", revision), ("updated_at", now)):
                set_committed_value(slot, attribute, value)
            return {"slot": name, "revision": revision, "value": merged}
    raise RuleViolation("The note is being saved from another device; trying again.")


def _apply_set(batch: Batch, change: dict) -> dict:
    name, value = str(change.get("slot", "")), change.get("value")
    if not name.startswith("lookfor:") or value not in (*LOOK_FOR_STATES, ""):
        raise RuleViolation(BAD_CHANGE)
    _look_for(batch.observation, name)
    slot = batch.slot(name)
    slot.value, slot.revision = value, slot.revision + 1
    return {"slot": name, "revision": slot.revision, "value": value}


def _apply_increment(batch: Batch, change: dict) -> dict:
    name, by = str(change.get("slot", "")), change.get("by", 1)
    if not name.startswith("tally:") or by not in (1, -1):
        raise RuleViolation(BAD_CHANGE)
    _look_for(batch.observation, name.replace("tally:", "lookfor:", 1))
    slot = batch.slot(name)
    if _is_new(slot):
        slot.value, slot.revision = str(max(int(slot.value or 0) + by, 0)), slot.revision + 1
        return {"slot": name, "revision": slot.revision, "value": slot.value}
    db.session.execute(
        update(NoteSlot)
        .where(NoteSlot.id == slot.id)
        .values(value=str(max(int(slot.value or 0) + by, 0)), revision=NoteSlot.revision + 1)
    )
    db.session.refresh(slot)
    return {"slot": name, "revision": slot.revision, "value": slot.value}


def _recorded_at(observation: Observation, millis) -> datetime:
    if not isinstance(millis, (int, float)):
        raise RuleViolation(BAD_CHANGE)
    try:
        moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise RuleViolation(BAD_CHANGE) from None
    earliest, latest = observation.started_at - timedelta(hours=1), utcnow() + timedelta(minutes=5)
    return min(max(moment, earliest), latest)


def _apply_add_evidence(batch: Batch, change: dict) -> dict:
    observation = batch.observation
    client_id, field_key = str(change.get("entry", "")), str(change.get("field", ""))
    field = observation.protocol_version.field(field_key)
    if not KEY_PATTERN.match(client_id) or field is None or field["kind"] != FieldKind.EVIDENCE_LOG:
        raise RuleViolation(BAD_CHANGE)
    entry = batch.entry(client_id)
    if entry is None:
        recorded_at = _recorded_at(observation, change.get("recorded_at"))
        minute = max(int((recorded_at - observation.started_at).total_seconds() // 60), 0)
        entry = EvidenceEntry(
            observation_id=observation.id,
            field_key=field_key,
            client_id=client_id,
            recorded_at=recorded_at,
            minute=minute,
            deleted=False,
        )
        batch.add_entry(entry)
    return {"entry": client_id, "minute": entry.minute}


def _apply_remove_evidence(batch: Batch, change: dict) -> dict:
    entry = batch.entry(str(change.get("entry", "")))
    if entry is None:
        raise RuleViolation(UNKNOWN_SLOT)
    entry.deleted = True
    return {"entry": entry.client_id, "removed": True}


def _current_state(batch: Batch, change: dict) -> dict:
    """What a retried change needs to hear: the slot as it stands now."""
    name = change.get("slot")
    slot = batch.slots.get(name) if isinstance(name, str) else None
    return {"slot": name, "revision": slot.revision, "value": slot.value} if slot else {}


OPERATIONS = {
    "text": _apply_text,
    "set": _apply_set,
    "increment": _apply_increment,
    "add_evidence": _apply_add_evidence,
    "remove_evidence": _apply_remove_evidence,
}


def apply_changes(*, observation: Observation, changes: list) -> list[dict]:
    """Apply each change once, in order. A change already applied (same key) is skipped; a change
    that can't be applied is reported back with its reason and never blocks the ones after it."""
    if not isinstance(changes, list) or len(changes) > MAX_BATCH:
        raise RuleViolation(BAD_CHANGE)
    batch = Batch(observation, changes)
    results = []
    for change in changes:
        key = change.get("key") if isinstance(change, dict) else None
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or change.get("op") not in OPERATIONS:
            results.append({"key": key if isinstance(key, str) else None, "error": BAD_CHANGE})
            continue
        if key in batch.applied:
            results.append({"key": key, "duplicate": True, **_current_state(batch, change)})
            continue
        try:
            # Every operation checks everything before it writes, so a refusal leaves nothing behind.
            outcome = OPERATIONS[change["op"]](batch, change)
            batch.mark_applied(key)
        except RuleViolation as violation:
            results.append({"key": key, "error": violation.message})
            continue
        results.append({"key": key, **outcome})
    batch.write()
    return results


def save(*, observation: Observation, changes: list) -> list[dict]:
    """apply_changes, committed. Two saves of the same lines at once (a phone retrying while its first try is
    still being written, or two devices starting the same empty answer) both find the rows missing, and the
    second one's inserts then clash with the first's: it starts again, and hears what a later retry would
    (already applied; the other device's text merged with its own)."""
    try:
        return _committed(observation, changes)
    except IntegrityError:
        db.session.rollback()
    return _committed(observation, changes)


def _committed(observation: Observation, changes: list) -> list[dict]:
    results = apply_changes(observation=observation, changes=changes)
    db.session.commit()
    return results

"""Applying batches of note changes sent by the editor: in order, once each (idempotency keys),
merging text edited on two devices instead of letting one overwrite the other."""

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..db_types import utcnow
from ..extensions import db
from ..protocols.fields import LOOK_FOR_STATES, FieldKind
from ..rules import RuleViolation
from .merging import merge_text
from .models import AppliedChange, EvidenceEntry, NoteSlot, Observation

MAX_TEXT = 50_000
MAX_BATCH = 200
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
BAD_CHANGE = "That change couldn't be understood."
UNKNOWN_SLOT = "That part of the note doesn't exist in this template."
TEXT_TOO_LONG = f"A single note field can hold at most {MAX_TEXT:,} characters."


# Every autosave asks these, several times a batch: built once, with bind parameters (see auth.sessions).
@cache
def _slot_named():
    return select(NoteSlot).where(
        NoteSlot.observation_id == bindparam("observation_id"), NoteSlot.name == bindparam("name")
    )


@cache
def _evidence_entry():
    return select(EvidenceEntry).where(
        EvidenceEntry.observation_id == bindparam("observation_id"), EvidenceEntry.client_id == bindparam("client_id")
    )


@cache
def _applied():
    return select(AppliedChange.id).where(
        AppliedChange.observation_id == bindparam("observation_id"), AppliedChange.key == bindparam("key")
    )


@cache
def _swap():
    """A slot's new text, written only if nobody wrote since it was read."""
    return (
        update(NoteSlot)
        .where(NoteSlot.id == bindparam("slot_id"), NoteSlot.revision == bindparam("seen"))
        .values(value=bindparam("merged"), revision=bindparam("next"), updated_at=bindparam("now"))
    )


def _slot(observation: Observation, name: str) -> NoteSlot:
    slot = db.session.scalar(_slot_named(), {"observation_id": observation.id, "name": name})
    if slot is None:
        slot = NoteSlot(observation_id=observation.id, name=name, value="", revision=0)
        db.session.add(slot)
        db.session.flush()
    return slot


def _evidence(observation: Observation, client_id: str) -> EvidenceEntry | None:
    return db.session.scalar(_evidence_entry(), {"observation_id": observation.id, "client_id": client_id})


def _check_text_slot(observation: Observation, name: str) -> None:
    if name.startswith("evidence:"):
        if _evidence(observation, name.split(":", 1)[1]) is None:
            raise RuleViolation(UNKNOWN_SLOT)
        return
    field = observation.protocol_version.field(name)
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


def _apply_text(observation: Observation, change: dict) -> dict:
    name, mine = str(change.get("slot", "")), change.get("value")
    base, base_revision = change.get("base", ""), change.get("base_revision", 0)
    if not isinstance(mine, str) or not isinstance(base, str) or not isinstance(base_revision, int):
        raise RuleViolation(BAD_CHANGE)
    mine, base = mine.replace("\x00", ""), base.replace("\x00", "")  # PostgreSQL can't store NUL
    if len(mine) > MAX_TEXT:
        raise RuleViolation(TEXT_TOO_LONG)
    _check_text_slot(observation, name)
    slot = _slot(observation, name)
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


def _apply_set(observation: Observation, change: dict) -> dict:
    name, value = str(change.get("slot", "")), change.get("value")
    if not name.startswith("lookfor:") or value not in (*LOOK_FOR_STATES, ""):
        raise RuleViolation(BAD_CHANGE)
    _look_for(observation, name)
    slot = _slot(observation, name)
    slot.value, slot.revision = value, slot.revision + 1
    return {"slot": name, "revision": slot.revision, "value": value}


def _apply_increment(observation: Observation, change: dict) -> dict:
    name, by = str(change.get("slot", "")), change.get("by", 1)
    if not name.startswith("tally:") or by not in (1, -1):
        raise RuleViolation(BAD_CHANGE)
    _look_for(observation, name.replace("tally:", "lookfor:", 1))
    slot = _slot(observation, name)
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


def _apply_add_evidence(observation: Observation, change: dict) -> dict:
    client_id, field_key = str(change.get("entry", "")), str(change.get("field", ""))
    field = observation.protocol_version.field(field_key)
    if not KEY_PATTERN.match(client_id) or field is None or field["kind"] != FieldKind.EVIDENCE_LOG:
        raise RuleViolation(BAD_CHANGE)
    entry = _evidence(observation, client_id)
    if entry is None:
        recorded_at = _recorded_at(observation, change.get("recorded_at"))
        minute = max(int((recorded_at - observation.started_at).total_seconds() // 60), 0)
        entry = EvidenceEntry(
            observation_id=observation.id,
            field_key=field_key,
            client_id=client_id,
            recorded_at=recorded_at,
            minute=minute,
        )
        db.session.add(entry)
        db.session.flush()
    return {"entry": client_id, "minute": entry.minute}


def _apply_remove_evidence(observation: Observation, change: dict) -> dict:
    entry = _evidence(observation, str(change.get("entry", "")))
    if entry is None:
        raise RuleViolation(UNKNOWN_SLOT)
    entry.deleted = True
    return {"entry": entry.client_id, "removed": True}


def _current_state(observation: Observation, change: dict) -> dict:
    """What a retried change needs to hear: the slot as it stands now."""
    name = change.get("slot")
    slot = (
        db.session.scalar(_slot_named(), {"observation_id": observation.id, "name": name})
        if isinstance(name, str)
        else None
    )
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
    results = []
    for change in changes:
        key = change.get("key") if isinstance(change, dict) else None
        if not isinstance(key, str) or not KEY_PATTERN.match(key) or change.get("op") not in OPERATIONS:
            results.append({"key": key if isinstance(key, str) else None, "error": BAD_CHANGE})
            continue
        seen = db.session.scalar(_applied(), {"observation_id": observation.id, "key": key})
        if seen:
            results.append({"key": key, "duplicate": True, **_current_state(observation, change)})
            continue
        try:
            # Every operation checks everything before it writes, so a refusal leaves nothing behind.
            outcome = OPERATIONS[change["op"]](observation, change)
            db.session.add(AppliedChange(observation_id=observation.id, key=key))
        except RuleViolation as violation:
            results.append({"key": key, "error": violation.message})
            continue
        results.append({"key": key, **outcome})
    db.session.flush()
    return results

"""Applying batches of note changes sent by the editor: in order, once each (idempotency keys),
merging text edited on two devices instead of letting one overwrite the other."""

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, insert, select, update
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


class Batch:
    """What one batch of changes reads, fetched up front in three statements (keys already applied, the
    evidence lines and the slots it names), and the rows it adds, written together when it ends: an autosave
    sends two changes or more, and a statement for each cost more than the change itself. Until then a new
    line or slot is an object outside the session, found by later changes in the batch like any other."""

    def __init__(self, observation: Observation, changes: list):
        self.observation = observation
        named = [change for change in changes if isinstance(change, dict)]
        slots = _texts(change.get("slot") for change in named)
        entries = _texts(change.get("entry") for change in named)
        entries += [name.split(":", 1)[1] for name in slots if name.startswith("evidence:")]
        self.applied = set(self._fetch(_applied(), "keys", _texts(change.get("key") for change in named)))
        self.evidence = {entry.client_id: entry for entry in self._fetch(_evidence_entries(), "names", entries)}
        self.slots = {slot.name: slot for slot in self._fetch(_slots_named(), "names", slots)}
        self._fetched = {"evidence": set(entries), "slots": set(slots)}
        self.new_rows: list[NoteSlot | EvidenceEntry | AppliedChange] = []

    def _fetch(self, statement, name: str, values: list[str]) -> list:
        if not values:
            return []
        return db.session.scalars(statement, {"observation_id": self.observation.id, name: values}).all()

    def entry(self, client_id: str) -> EvidenceEntry | None:
        if client_id not in self._fetched["evidence"]:  # a name the batch didn't send as text
            self._fetched["evidence"].add(client_id)
            for entry in self._fetch(_evidence_entries(), "names", [client_id]):
                self.evidence[client_id] = entry
        return self.evidence.get(client_id)

    def slot(self, name: str) -> NoteSlot:
        """The slot by this name; a new one (added, written when the batch ends) when there is none."""
        if name not in self._fetched["slots"]:
            self._fetched["slots"].add(name)
            for slot in self._fetch(_slots_named(), "names", [name]):
                self.slots[name] = slot
        slot = self.slots.get(name)
        if slot is None:
            slot = self.slots[name] = NoteSlot(
                observation_id=self.observation.id, name=name, value="", revision=0, updated_at=utcnow()
            )
            self.new_rows.append(slot)
        return slot

    def add_entry(self, entry: EvidenceEntry) -> None:
        self.evidence[entry.client_id] = entry
        self.new_rows.append(entry)

    def mark_applied(self, key: str) -> None:
        self.applied.add(key)
        self.new_rows.append(AppliedChange(observation_id=self.observation.id, key=key, applied_at=utcnow()))

    def write(self) -> None:
        """One statement for each kind of row added (executemany), in the order the tables depend on nothing."""
        for model in (EvidenceEntry, NoteSlot, AppliedChange):
            rows = [row for row in self.new_rows if type(row) is model]
            if rows:
                columns = [c.key for c in model.__mapper__.column_attrs if c.key != "id"]
                db.session.execute(insert(model), [{name: getattr(row, name) for name in columns} for row in rows])
        self.new_rows.clear()


def _texts(values) -> list[str]:
    """The strings among what a batch sent (anything else is refused change by change)."""
    return sorted({value for value in values if isinstance(value, str)})


# Built once, with bind parameters (see auth.sessions); the lists are expanding parameters.
@cache
def _applied():
    return select(AppliedChange.key).where(
        AppliedChange.observation_id == bindparam("observation_id"), AppliedChange.key.in_(bindparam("keys"))
    )


@cache
def _evidence_entries():
    return select(EvidenceEntry).where(
        EvidenceEntry.observation_id == bindparam("observation_id"), EvidenceEntry.client_id.in_(bindparam("names"))
    )


@cache
def _slots_named():
    return select(NoteSlot).where(
        NoteSlot.observation_id == bindparam("observation_id"), NoteSlot.name.in_(bindparam("names"))
    )


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
    db.session.flush()
    return results

"""One autosave batch's rows: read up front, the new ones written together when the batch ends."""

from functools import cache

from sqlalchemy import bindparam, insert, select

from ..db_types import utcnow
from ..extensions import db
from .models import AppliedChange, EvidenceEntry, NoteSlot, Observation


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
        """One statement for each kind of row added (an executemany of the table's plain INSERT: the ORM's
        bulk insert cost more than the statement), the ids left to the database."""
        db.session.flush()  # anything the session holds goes first, as it would have without the batch
        for model in (EvidenceEntry, NoteSlot, AppliedChange):
            rows = [row for row in self.new_rows if type(row) is model]
            if rows:
                columns = [column.name for column in model.__table__.columns if column.name != "id"]
                db.session.connection().execute(
                    insert(model.__table__), [{name: getattr(row, name) for name in columns} for row in rows]
                )
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

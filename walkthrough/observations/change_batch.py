"""One autosave batch's rows: read up front, the new ones written together when the batch ends."""

from functools import cache

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    Text,
    bindparam,
    cast,
    insert,
    inspect,
    literal_column,
    null,
    select,
    union_all,
)

from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from ..loaded import as_loaded
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
        self.applied, self.evidence, self.slots = set(), {}, {}
        self._read(_texts(change.get("key") for change in named), entries, slots)
        self._fetched = {"evidence": set(entries), "slots": set(slots)}
        self.new_rows: list[NoteSlot | EvidenceEntry | AppliedChange] = []

    def _read(self, keys: list[str], entries: list[str], slots: list[str]) -> None:
        """The keys already applied, evidence lines and slots named, in one statement: on PostgreSQL each
        statement is a round trip, and an autosave sent three of them before it wrote anything."""
        if not (keys or entries or slots):
            return
        session = db.session()
        rows = session.execute(
            _named_rows(), {"observation_id": self.observation.id, "keys": keys, "entries": entries, "slots": slots}
        )
        for row in rows:
            if row.kind == "applied":
                self.applied.add(row.name)
            elif row.kind == "entry":
                values = {
                    "id": row.id,
                    "observation_id": self.observation.id,
                    "client_id": row.name,
                    "field_key": row.field_key,
                    "recorded_at": row.at,
                    "minute": row.minute,
                    "deleted": row.deleted,
                }
                self.evidence[row.name] = as_loaded(session, inspect(EvidenceEntry), values, (row.id,))
            else:
                values = {
                    "id": row.id,
                    "observation_id": self.observation.id,
                    "name": row.name,
                    "value": row.value,
                    "revision": row.revision,
                    "updated_at": row.at,
                }
                self.slots[row.name] = as_loaded(session, inspect(NoteSlot), values, (row.id,))

    def entry(self, client_id: str) -> EvidenceEntry | None:
        if client_id not in self._fetched["evidence"]:  # a name the batch didn't send as text
            self._fetched["evidence"].add(client_id)
            self._read([], [client_id], [])
        return self.evidence.get(client_id)

    def slot(self, name: str) -> NoteSlot:
        """The slot by this name; a new one (added, written when the batch ends) when there is none."""
        if name not in self._fetched["slots"]:
            self._fetched["slots"].add(name)
            self._read([], [], [name])
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


# Built once, with bind parameters (see auth.sessions); the lists are expanding parameters. Each branch gives the
# same columns, typed in the first (PostgreSQL matches a union's types pairwise, and the first branch's types
# decode every row: times as UTC, flags as booleans).
@cache
def _named_rows():
    nothing = null()
    applied = select(
        literal_column("'applied'").label("kind"),
        cast(nothing, Integer).label("id"),
        AppliedChange.key.label("name"),
        cast(nothing, String).label("field_key"),
        cast(nothing, UTCDateTime).label("at"),
        cast(nothing, Integer).label("minute"),
        cast(nothing, Boolean).label("deleted"),
        cast(nothing, Text).label("value"),
        cast(nothing, Integer).label("revision"),
    ).where(AppliedChange.observation_id == bindparam("observation_id"), AppliedChange.key.in_(bindparam("keys")))
    entries = select(
        literal_column("'entry'"),
        EvidenceEntry.id,
        EvidenceEntry.client_id,
        EvidenceEntry.field_key,
        EvidenceEntry.recorded_at,
        EvidenceEntry.minute,
        EvidenceEntry.deleted,
        nothing,
        nothing,
    ).where(
        EvidenceEntry.observation_id == bindparam("observation_id"), EvidenceEntry.client_id.in_(bindparam("entries"))
    )
    slots = select(
        literal_column("'slot'"),
        NoteSlot.id,
        NoteSlot.name,
        nothing,
        NoteSlot.updated_at,
        nothing,
        nothing,
        NoteSlot.value,
        NoteSlot.revision,
    ).where(NoteSlot.observation_id == bindparam("observation_id"), NoteSlot.name.in_(bindparam("slots")))
    return union_all(applied, entries, slots)

"""Upkeep of the roll-ups: every write that could change a count marks its school's and people's months
stale (in the same transaction, so a committed change is never missed), and the next dashboard rebuilds just
those months from the live queries in cells.py. A booking becomes a visit when its time passes, with no
write to say so: refresh() also marks the months of bookings that ended since it last looked."""

from datetime import date, timedelta

from sqlalchemy import delete, event, func, insert, inspect, select, tuple_
from sqlalchemy.orm import Session

from ..coverage.models import CoverageRequest
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import Observation
from ..visits.models import SignUp, SignUpStatus, VisitSlot
from . import cells
from .models import PersonMonth, RollupState, SchoolMonthCover, SchoolMonthVisits, StaleCell

# The columns whose change can move a count, per table; edits to anything else (a note, a room) don't.
COUNTED = {
    Observation.__table__: {"school_id", "day", "observer_id", "host_id", "protocol_version_id"},
    SignUp.__table__: {"slot_id", "observer_id", "status", "observation_id"},
    VisitSlot.__table__: {"school_id", "day", "host_id", "protocol_id", "starts_at", "ends_at", "cancelled_at"},
    CoverageRequest.__table__: {"school_id", "day", "teacher_id", "status", "starts_at", "ends_at"},
}
Cell = tuple[str, int, int]  # (kind, school or person id, month)


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_days(month: int) -> tuple[date, date]:
    year, index = divmod(month, 12)
    first = date(year, index + 1, 1)
    following = date(year + (index == 11), (index + 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


# --- marking -------------------------------------------------------------------------------------------------


def _cells_of_rows(connection, table, rows) -> set[Cell]:
    """The school and people months that rows of `table` (as mappings of their columns) count in."""
    found: set[Cell] = set()
    slot_ids = set()
    for row in rows:
        day = row.get("day")
        if table is SignUp.__table__:
            slot_ids.add(row["slot_id"])
            continue
        if day is None:
            continue
        month = month_of(day)
        if row.get("school_id") is not None:
            found.add(("school", row["school_id"], month))
        for person in ("observer_id", "host_id", "teacher_id"):
            if row.get(person) is not None:
                found.add(("person", row[person], month))
        if table is VisitSlot.__table__ and row.get("id") is not None:
            slot_ids.add(row["id"])
    if slot_ids:
        found |= _cells_of_slots(connection, slot_ids)
    return found


def _cells_of_slots(connection, slot_ids) -> set[Cell]:
    """A booked visit counts for its school and host and for every observer booked into it."""
    found: set[Cell] = set()
    query = (
        select(VisitSlot.school_id, VisitSlot.day, VisitSlot.host_id, SignUp.observer_id)
        .outerjoin(SignUp, SignUp.slot_id == VisitSlot.id)
        .where(VisitSlot.id.in_(list(slot_ids)))
    )
    for school, day, host, observer in connection.execute(query):
        month = month_of(day)
        found |= {("school", school, month), ("person", host, month)}
        if observer is not None:
            found.add(("person", observer, month))
    return found


def mark(connection, found: set[Cell]) -> None:
    """An upsert, not "insert if missing": it locks the mark until this transaction commits, so a refresh
    that takes the marks (deleting them first, then counting) waits for this change and counts it. With
    "do nothing" a refresh could take an older mark, count without this change, and leave no mark for it."""
    if found:
        rows = [{"kind": k, "key_id": i, "month": m} for k, i, m in sorted(found)]
        connection.execute(_upsert(connection), rows)


def _upsert(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(StaleCell)
    return statement.on_conflict_do_update(
        index_elements=["kind", "key_id", "month"], set_={"month": statement.excluded.month}
    )


def _object_rows(session) -> list[tuple]:
    """(table, columns as now, columns as before) of every new, changed or deleted counted object."""
    rows = []
    for instance in [*session.new, *session.dirty, *session.deleted]:
        table = getattr(type(instance), "__table__", None)
        if table not in COUNTED:
            continue
        state = inspect(instance)
        changed = {a.key for a in state.attrs if a.key in COUNTED[table] and a.history.has_changes()}
        if instance in session.dirty and not changed:
            continue
        now = {c.key: getattr(instance, c.key, None) for c in table.columns if c.key in COUNTED[table] | {"id"}}
        before = dict(now) | {k: state.attrs[k].history.deleted[0] for k in changed if state.attrs[k].history.deleted}
        rows.append((table, now, before))
    return rows


def _after_flush(session, _context) -> None:
    rows = _object_rows(session)
    if not rows:
        return
    connection = session.connection()
    by_table: dict = {}
    for table, now, before in rows:
        by_table.setdefault(table, []).extend([now, before])
    found: set[Cell] = set()
    for table, table_rows in by_table.items():  # one look-up of the visit times per flush, however many sign-ups
        found |= _cells_of_rows(connection, table, table_rows)
    mark(connection, found)


def _before_bulk_statement(state) -> None:
    """update(...)/delete(...) statements skip the flush: mark what their WHERE reaches, before they run."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table not in COUNTED:
        return
    values = getattr(state.statement, "_values", None) or {}
    if state.is_update and values and not {getattr(c, "key", str(c)) for c in values} & COUNTED[table]:
        return  # only words changed (a departure blanking a focus question)
    columns = [c for c in table.columns if c.key in COUNTED[table] | {"id"}]
    connection = state.session.connection()
    reached = [dict(row._mapping) for row in connection.execute(select(*columns).where(state.statement.whereclause))]
    mark(connection, _cells_of_rows(connection, table, reached))


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _before_bulk_statement)


# --- rebuilding ----------------------------------------------------------------------------------------------


def refresh() -> None:
    """Bring every stale month up to date, under a lock so two dashboards don't rebuild the same months. It
    commits, without expiring what the request already loaded (a scope's 500 schools would each be read
    again, one statement apiece)."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        _refresh_locked()
        session.commit()
    finally:
        session.expire_on_commit = keep


def _refresh_locked() -> None:
    state = db.session.scalar(select(RollupState).where(RollupState.id == 1).with_for_update())
    if state is None:
        db.session.execute(_insert_state(db.session.connection()))
        state = db.session.scalar(select(RollupState).where(RollupState.id == 1).with_for_update())
    now = utcnow()
    if state.built_at is None:
        _rebuild_everything()
        state.built_at = now
    else:
        _mark_bookings_that_ended(state.bookings_counted_until or state.built_at, now)
        _rebuild_stale()
    state.bookings_counted_until = now


def _insert_state(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(RollupState).values(id=1).on_conflict_do_nothing()
    return insert(RollupState).values(id=1).prefix_with("OR IGNORE")


def _mark_bookings_that_ended(since, now) -> None:
    ended = (
        select(VisitSlot.id)
        .join(SignUp, SignUp.slot_id == VisitSlot.id)
        .where(
            SignUp.status == SignUpStatus.CONFIRMED.value,
            SignUp.observation_id.is_(None),
            VisitSlot.cancelled_at.is_(None),
            VisitSlot.starts_at > since - timedelta(days=1),  # reaches the starts_at index; no visit is a day long
            VisitSlot.ends_at > since,
            VisitSlot.ends_at <= now,
        )
    )
    slot_ids = set(db.session.scalars(ended))
    if slot_ids:
        connection = db.session.connection()
        mark(connection, _cells_of_slots(connection, slot_ids))


def _rebuild_everything() -> None:
    for model in (SchoolMonthVisits, SchoolMonthCover, PersonMonth, StaleCell):
        db.session.execute(delete(model))
    bounds = [
        db.session.execute(select(func.min(c), func.max(c))).one()
        for c in (Observation.day, VisitSlot.day, CoverageRequest.day)
    ]
    days = [d for pair in bounds for d in pair if d is not None]
    if days:
        _write_everything(min(days), max(days))


def _rebuild_stale() -> None:
    """All stale months in a fixed number of statements, however many changed: each stale school's (and
    person's) counts for the span of stale months, keeping the stale months' rows."""
    # Taken first, counted after: a change still writing holds its mark, so this waits for it (see mark).
    taken = delete(StaleCell).returning(StaleCell.kind, StaleCell.key_id, StaleCell.month)
    stale = [tuple(row) for row in db.session.execute(taken)]
    if not stale:
        return
    first, last = month_days(min(m for _, _, m in stale))[0], month_days(max(m for _, _, m in stale))[1]
    schools = {(key, month) for kind, key, month in stale if kind == "school"}
    people = {(key, month) for kind, key, month in stale if kind == "person"}
    if schools:
        for model in (SchoolMonthVisits, SchoolMonthCover):
            _delete_pairs(model, model.school_id, schools)
        ids = sorted({key for key, _ in schools})
        visits = [
            {"school_id": s, "month": m, "protocol_id": p, "visits": n}
            for s, m, p, n in cells.school_visits(first, last, ids)
            if (s, m) in schools
        ]
        cover = [_cover_row(*cell) for cell in cells.school_cover(first, last, ids) if cell[:2] in schools]
        _insert(SchoolMonthVisits, visits)
        _insert(SchoolMonthCover, cover)
    if people:
        _delete_pairs(PersonMonth, PersonMonth.user_id, people)
        ids = sorted({key for key, _ in people})
        _insert(PersonMonth, _person_rows(cells.person_visits(first, last, ids), people))


def _cover_row(school_id: int, month: int, needed: int, filled: int, minutes: int) -> dict:
    return {"school_id": school_id, "month": month, "needed": needed, "filled": filled, "minutes": minutes}


def _person_rows(found: dict, only: set | None = None) -> list[dict]:
    return [
        {"user_id": who, "month": m, "made": made, "hosted": hosted, "release_minutes": minutes}
        for (who, m), (made, hosted, minutes) in found.items()
        if only is None or (who, m) in only
    ]


def _delete_pairs(model, key_column, pairs: set[tuple[int, int]]) -> None:
    for chunk in _chunks(sorted(pairs)):
        db.session.execute(delete(model).where(tuple_(key_column, model.month).in_(chunk)))


def _chunks(items: list, size: int = 500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_everything(first: date, last: date) -> None:
    visits = [
        {"school_id": s, "month": m, "protocol_id": p, "visits": n} for s, m, p, n in cells.school_visits(first, last)
    ]
    cover = [_cover_row(*cell) for cell in cells.school_cover(first, last)]
    _insert(SchoolMonthVisits, visits)
    _insert(SchoolMonthCover, cover)
    _insert(PersonMonth, _person_rows(cells.person_visits(first, last)))


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start : start + 5000])

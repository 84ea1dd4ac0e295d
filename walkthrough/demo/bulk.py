"""Bulk inserts for data at district scale: rows go to the database in large batches with ids chosen
here, so related rows can point at each other without a round trip per object."""

from collections import defaultdict

from sqlalchemy import Table, func, insert, select, text

from ..extensions import db

BATCH = 20_000


class BulkWriter:
    def __init__(self) -> None:
        self.pending: dict[Table, list[dict]] = defaultdict(list)
        self.next_ids: dict[Table, int] = {}
        self.written: dict[str, int] = defaultdict(int)
        self.count = 0

    def add(self, model, **values) -> int | None:
        """Queue one row; returns its id (chosen here) when the table has an integer id."""
        table: Table = model.__table__
        if "id" in table.c and "id" not in values:
            if table not in self.next_ids:
                self.next_ids[table] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
            values["id"] = self.next_ids[table]
            self.next_ids[table] += 1
        self.pending[table].append(values)
        self.count += 1
        if self.count >= BATCH:
            self.flush()
        return values.get("id")

    def flush(self) -> None:
        """Parents before children, so foreign keys hold at every step."""
        for table in db.metadata.sorted_tables:
            rows = self.pending.pop(table, None)
            if not rows:
                continue
            # One statement per shape of row: executemany wants the same columns in every row.
            shapes: dict[frozenset, list[dict]] = defaultdict(list)
            for row in rows:
                shapes[frozenset(row)].append(row)
            for same_shape in shapes.values():
                db.session.execute(insert(table), same_shape)
            self.written[table.name] += len(rows)
        self.count = 0

    def finish(self) -> dict[str, int]:
        self.flush()
        if db.engine.dialect.name == "postgresql":
            # Ids were chosen here; move each sequence past them so the app's own inserts don't collide.
            for table in self.next_ids:
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                    )
                )
        # Fresh statistics, so the planner knows a status column has four values and a day column thousands.
        db.session.execute(text("ANALYZE"))
        return dict(self.written)

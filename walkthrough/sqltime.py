"""Date arithmetic in SQL that SQLite and PostgreSQL spell differently, so sums happen in the database."""

from sqlalchemy import Integer, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class minutes_between(FunctionElement):
    """Whole minutes from one timestamp column to another."""

    type = Integer()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between)
def _minutes_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return (
        f"CAST(ROUND((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}))"
        " * 1440) AS INTEGER)"
    )


@compiles(minutes_between, "postgresql")
def _minutes_between_postgresql(element, compiler, **kw):
    start, end = list(element.clauses)
    return (
        f"CAST(ROUND(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)})) / 60)"
        " AS INTEGER)"
    )


def month_number(day_column) -> ColumnElement[int]:
    """year * 12 + month - 1: one integer per calendar month that sorts and groups the same on both databases."""
    return (
        func.cast(func.extract("year", day_column), Integer) * 12
        + func.cast(func.extract("month", day_column), Integer)
        - 1
    )

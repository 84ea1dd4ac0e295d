"""`column IN (...)` for a list of values given when the statement runs, sent to PostgreSQL as one array.

SQLAlchemy writes a list given at run time into the statement as one parameter per value. The coverage board
checks sixty or seventy people at once, and on PostgreSQL that cost each such statement the app's CPU three
times over: SQLAlchemy rewrote the statement for that many values, psycopg parsed it afresh (it keeps
statements with more than 50 parameters out of its cache), and, the text changing with the count, it was
never prepared. `column = ANY(:values)` is one statement whatever the count; PostgreSQL reads an IN list as
exactly that, so the plan is the same. SQLite, which has no arrays, keeps the IN list."""

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class _OneOf(ColumnElement[bool]):
    inherit_cache = True
    type = Boolean()
    # A comparison, as IN and ANY are: otherwise SQLite's compiler writes "… IN (…) = 1", which no index serves.
    _is_implicitly_boolean = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string)]

    def __init__(self, column, name: str):
        self.column = column
        self.name = name

    @property
    def _from_objects(self):
        return self.column._from_objects


def one_of(column, name: str) -> ColumnElement[bool]:
    """`column` is one of the list passed as parameter `name` when the statement runs (a list, not a set)."""
    return _OneOf(column, name)


@compiles(_OneOf)
def _as_in_list(element: _OneOf, compiler, **kw) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)


@compiles(_OneOf, "postgresql")
def _as_array(element: _OneOf, compiler, **kw) -> str:
    values = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(values), **kw)

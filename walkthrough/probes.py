"""Asking several queries at once whether they would find anything.

A page with sections that are usually empty (the home page's walks, survey invitations and walk summaries)
asked one statement for each, on every view. One round trip of EXISTS answers for all of them, and only the
sections that have something are then read: each statement the page no longer sends saved about 0.2 ms of
CPU on SQLite and more on PostgreSQL."""

from functools import lru_cache

from sqlalchemy import Select, select

from .extensions import db

# A statement built once (see auth.sessions) and the values for its bind parameters.
Question = tuple[Select, dict]


def which_find_rows(*questions: Question | None) -> list[bool]:
    """For each question, whether its statement finds a row; None (a question that needn't be asked) is False."""
    asked = [question for question in questions if question is not None]
    if not asked:
        return [False] * len(questions)
    values: dict = {}
    for _, params in asked:
        for name, value in params.items():
            if values.setdefault(name, value) != value:
                raise ValueError(f"Two questions give the parameter {name!r} different values.")
    answers = iter(db.session.execute(_all_at_once(tuple(statement for statement, _ in asked)), values).one())
    return [question is not None and bool(next(answers)) for question in questions]


@lru_cache(maxsize=64)  # keyed by the statements themselves, each built once
def _all_at_once(statements: tuple[Select, ...]) -> Select:
    return select(*(statement.exists() for statement in statements))

"""Finding people by what someone typed: part of a name or an email, with LIKE's wildcards taken literally."""

from sqlalchemy import ColumnElement, func, or_

from .models import User

LONGEST_SEARCH = 100  # nobody's name is longer; SQLite refuses very long patterns


def search_text(typed: str) -> str:
    return typed.strip().lower()[:LONGEST_SEARCH]


def name_or_email_contains(text: str) -> ColumnElement[bool]:
    return or_(func.lower(User.name).contains(text, autoescape=True), User.email.contains(text, autoescape=True))

"""Record ids read from forms and query strings. A number no database column can hold (or anything
else) reads as "no id", so a typed or tampered value is a clear "not found", never a server error."""

from flask import request

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider


def as_id(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= LARGEST_ID else None


def id_from(source, name: str) -> int | None:
    return as_id(source.get(name))


def ids_from(source, name: str) -> list[int]:
    return [number for number in (as_id(v) for v in source.getlist(name)) if number is not None]


def form_id(name: str) -> int | None:
    return id_from(request.form, name)


def arg_id(name: str) -> int | None:
    return id_from(request.args, name)


def client_key(value: object) -> str | None:
    """A key a phone made for something it created offline: 32 lowercase hex characters, or nothing."""
    text = value if isinstance(value, str) else ""
    return text if len(text) == 32 and all(c in "0123456789abcdef" for c in text) else None


def coerce_id(value: object) -> int:
    """For a select of records: 0 (none chosen) for anything that isn't an id, so a tampered option is
    refused by the rule that checks the choice, never by the database."""
    return 0 if value in (None, "", 0) else (as_id(value) or -1)

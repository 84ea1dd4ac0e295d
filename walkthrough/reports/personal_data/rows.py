"""How the archive writes a row: dates and times as ISO text, everything else as JSON has it."""

from datetime import date, datetime


def when(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def clean(row: dict) -> dict:
    return {key: when(value) for key, value in row.items()}

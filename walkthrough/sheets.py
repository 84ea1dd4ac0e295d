"""Columns of a download and how each kind of value is written: typed in XLSX (numbers as numbers, dates as
dates, shares as percentages), plain and unambiguous in CSV. One description serves both files, so a
column reads the same in each."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


class Kind(StrEnum):
    AUTO = "auto"  # typed by its value: text, a whole number, a decimal or a date
    HOURS = "hours"  # hours with two decimals
    DECIMAL = "decimal"  # an average: one decimal
    PERCENT = "percent"  # given as 0–100 (77.8); a real percentage in XLSX, the number in CSV
    DATE = "date"
    MONTH = "month"  # the first day of a month: "2026-08" in CSV, "Aug 2026" in XLSX


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.AUTO


def columns(header) -> list[Column]:
    return [c if isinstance(c, Column) else Column(str(c)) for c in header]


def titles(header) -> list[str]:
    return [c.title for c in columns(header)]


def hours(title: str) -> Column:
    return Column(title, Kind.HOURS)


def percent(title: str) -> Column:
    return Column(title, Kind.PERCENT)


def day(title: str) -> Column:
    return Column(title, Kind.DATE)


def month(title: str = "Month") -> Column:
    return Column(title, Kind.MONTH)


def decimal(title: str) -> Column:
    return Column(title, Kind.DECIMAL)


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS)


def csv_text(value: object, kind: Kind = Kind.AUTO) -> object:
    """A cell as CSV writes it. Text a spreadsheet would run as a formula (CSV injection) gets a leading
    apostrophe, also when spaces come first: a CSV has no other way to say "this is text"."""
    if value is None:
        return ""
    if looks_like_formula(value):
        return "'" + value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m") if kind is Kind.MONTH else value.isoformat()
    return value


NUMBER_FORMATS = {
    Kind.HOURS: "#,##0.00",
    Kind.DECIMAL: "0.0",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "d mmm yyyy",
    Kind.MONTH: "mmm yyyy",
}
WHOLE_NUMBER, FRACTION, MOMENT = "#,##0", "#,##0.00", "d mmm yyyy hh:mm"


def number_format(value: object, kind: Kind) -> str | None:
    """The Excel number format a typed cell gets, or None for text."""
    if isinstance(value, bool) or not isinstance(value, NUMBERS + (date,)):
        return None
    if isinstance(value, datetime):
        return MOMENT
    if isinstance(value, date):
        return NUMBER_FORMATS[Kind.MONTH if kind is Kind.MONTH else Kind.DATE]
    if kind in (Kind.HOURS, Kind.DECIMAL, Kind.PERCENT):
        return NUMBER_FORMATS[kind]
    return WHOLE_NUMBER if isinstance(value, int) else FRACTION


def shown_width(value: object, kind: Kind) -> int:
    """About how many characters a cell shows, for the column's width."""
    if isinstance(value, date):
        return 11
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return len(f"{value:,.2f}") if kind is not Kind.PERCENT else 7
    return max((len(line) for line in str(value).splitlines()), default=0)

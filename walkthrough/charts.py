"""Bar charts drawn on the server as SVG: no script, readable on a phone, and always paired with a table."""

from dataclasses import dataclass
from datetime import date

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the tallest bar, 0..1


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    value_heading: str = "Visits"
    label_heading: str = "Month"

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(
    title: str, pairs: list[tuple[str, int]], value_heading: str = "Visits", label_heading: str = "Month"
) -> BarChart:
    tallest = max((value for _, value in pairs), default=0) or 1
    return BarChart(title, [Bar(label, value, value / tallest) for label, value in pairs], value_heading, label_heading)


def month_key(day: date) -> int:
    """The same numbering as sqltime.month_number: year * 12 + month - 1."""
    return day.year * 12 + day.month - 1


def month_label(key: int, with_year: bool = False) -> str:
    year, month = divmod(key, 12)
    return f"{MONTH_NAMES[month]} {year}" if with_year else MONTH_NAMES[month]


def months_between(start: date, end: date) -> list[int]:
    return list(range(month_key(start), month_key(end) + 1))


def monthly_chart(title: str, counts: dict[int, int], start: date, end: date, value_heading: str = "Visits"):
    keys = months_between(start, end)
    with_year = len({key // 12 for key in keys}) > 1 and len(keys) > 12
    return bar_chart(title, [(month_label(key, with_year), counts.get(key, 0)) for key in keys], value_heading)

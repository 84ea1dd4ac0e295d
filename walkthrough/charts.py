"""Bar charts drawn on the server as SVG: no script, readable on a phone, and always paired with a table."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from markupsafe import Markup

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the tallest bar, 0..1
    full_label: str = ""  # for the table beside the chart, where there is room: "Sep 2026" under "Sep"

    @property
    def long_label(self) -> str:
        return self.full_label or self.label


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
    title: str,
    pairs: list[tuple[str, int]],
    value_heading: str = "Visits",
    label_heading: str = "Month",
    full_labels: list[str] | None = None,
) -> BarChart:
    tallest = max((value for _, value in pairs), default=0) or 1
    longer = full_labels or [""] * len(pairs)
    bars = [Bar(label, value, value / tallest, full) for (label, value), full in zip(pairs, longer, strict=True)]
    return BarChart(title, bars, value_heading, label_heading)


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
    pairs = [(month_label(key, with_year), counts.get(key, 0)) for key in keys]
    return bar_chart(title, pairs, value_heading, full_labels=[month_label(key, with_year=True) for key in keys])


def sparkline(chart: BarChart) -> Markup:
    """A card's small chart (the caseload shows 25): drawn once for each shape of bars, not once a card."""
    return _sparkline(tuple(round(bar.share * 18) for bar in chart.bars))


@lru_cache(maxsize=4096)
def _sparkline(heights: tuple[int, ...]) -> Markup:
    rects = "".join(
        f'<rect x="{n * 6}" y="{20 - h}" width="4" height="{h}" fill="#1d5a86"></rect>' for n, h in enumerate(heights)
    )
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {len(heights) * 6} 20" aria-hidden="true" focusable="false">{rects}</svg>'
    )

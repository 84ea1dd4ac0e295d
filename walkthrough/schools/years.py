"""School years: the span a coaching record, a budget or a portfolio covers."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from .models import School
from .queries import today_at


@dataclass(frozen=True)
class SchoolYear:
    start: date
    end: date

    @property
    def start_year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        return f"{self.start.year}–{str(self.start.year + 1)[-2:]}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def district_year(start_year: int) -> SchoolYear:
    """The whole year from August to July, for people and reports that span schools."""
    return SchoolYear(date(start_year, 8, 1), date(start_year + 1, 7, 31))


def year_containing(day: date) -> SchoolYear:
    return district_year(day.year if day.month >= 8 else day.year - 1)


def current_start_year(school: School | None, today: date) -> int:
    if school is not None and school.year_first_day <= today <= school.year_last_day:
        return school.year_first_day.year
    return year_containing(today).start_year


def start_year_asked(asked: int | None, school: School | None, today: date) -> int:
    """The school year a page was asked for (?year=2025), or the current one when none or a silly one."""
    current = current_start_year(school, today)
    return asked if asked is not None and 2000 <= asked <= 2100 else current


def today_for(school: School | None) -> date:
    """Today where the person works; UTC for district staff with no home school."""
    return today_at(school) if school is not None else datetime.now(UTC).date()

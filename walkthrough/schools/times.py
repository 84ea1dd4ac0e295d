"""Turning a school's local date and bell time into the UTC instant stored everywhere."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from .models import School


def instant(school: School, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(school.timezone)).astimezone(UTC)


def local_today(school: School) -> date:
    return datetime.now(ZoneInfo(school.timezone)).date()

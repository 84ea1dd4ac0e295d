"""Counts kept by school or person and calendar month, so a dashboard reads a year as a few thousand rows
instead of scanning every visit. `month` is sqltime.month_number's year * 12 + month - 1. Each cell is
rebuilt from the live query when something it counts changes (rollups.py), so it always equals it."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime
from ..extensions import db


class SchoolMonthVisits(db.Model):
    __tablename__ = "rollup_school_visits"

    school_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer)


class SchoolMonthCover(db.Model):
    """Classes that needed cover in a school's month, how many had it, and the minutes of them all."""

    __tablename__ = "rollup_school_cover"

    school_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    needed: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)


class PersonMonth(db.Model):
    """Visits a person made and hosted, and the release time their cover used, in a month."""

    __tablename__ = "rollup_person_months"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    made: Mapped[int] = mapped_column(Integer)
    hosted: Mapped[int] = mapped_column(Integer)
    release_minutes: Mapped[int] = mapped_column(Integer)


class StaleCell(db.Model):
    """A school's or a person's month that something changed since its counts were made."""

    __tablename__ = "rollup_stale"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "school" or "person"
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)


class RollupState(db.Model):
    """One row: whether the cells were built, and until when bookings that passed have been counted (a
    booking becomes a visit when its time has passed, with no write to say so)."""

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bookings_counted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""Recording one classroom of a walk from a team member's phone, including one sent again after a lost
answer or late from a phone that was offline."""

import secrets
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from ..schools.times import local_today
from .access import can_capture
from .models import GRADE_BANDS, SUBJECT_AREAS, MarkState, Walk, WalkClassroom, WalkMark

MAX_TALLY = 999
MAX_EVIDENCE = 4000
NOT_ON_TEAM = "Only the walk's team records classrooms."
OUTSIDE_WINDOW = "That day is outside the walk's dates."
UNKNOWN_MARK = "Choose seen, not seen or not applicable."
NOTHING_MARKED = "Mark at least one look-for before saving the classroom."
BAD_TALLY = f"A tally is a whole number from 0 to {MAX_TALLY}."
BAD_GRADE_BAND = "Choose a grade band from the list, or leave it out."
BAD_SUBJECT = "Choose a subject area from the list, or leave it out."


def capture_classroom(
    *,
    walk: Walk,
    walker: User,
    client_key: str,
    visited_on: date | None,
    grade_band: str,
    subject_area: str,
    marks: dict[str, str],
    tallies: dict[str, str],
    evidence: str,
) -> tuple[WalkClassroom, bool]:
    """Record one classroom. Returns it and whether it is new: the same client key sent again (a phone
    resending after a lost answer) returns the first one untouched."""
    if not can_capture(walker, walk):
        raise RuleViolation(NOT_ON_TEAM)
    client_key = (client_key or "").strip()[:40]
    if client_key:
        found = _by_key(walk, client_key)
        if found is not None:
            return found, False
    day = visited_on or local_today(walk.school)
    # A phone that was offline sends its classrooms later: the day they were visited is what counts.
    if not walk.starts_on <= day <= walk.ends_on or day > local_today(walk.school) + timedelta(days=1):
        raise RuleViolation(OUTSIDE_WINDOW, field="visited_on")
    if grade_band and grade_band not in GRADE_BANDS:
        raise RuleViolation(BAD_GRADE_BAND, field="grade_band")
    if subject_area and subject_area not in SUBJECT_AREAS:
        raise RuleViolation(BAD_SUBJECT, field="subject_area")
    known = {item["key"] for item in walk.look_fors}
    classroom = WalkClassroom(
        walk_id=walk.id,
        walker_id=walker.id,
        client_key=client_key or _new_key(),
        visited_on=day,
        grade_band=grade_band or None,
        subject_area=subject_area or None,
        evidence=(evidence or "").strip()[:MAX_EVIDENCE],
    )
    for key, state in marks.items():
        if key not in known or not state:
            continue
        if state not in {s.value for s in MarkState}:
            raise RuleViolation(UNKNOWN_MARK, field="marks")
        classroom.marks.append(WalkMark(look_for_key=key, state=state, tally=_tally(tallies.get(key))))
    if not classroom.marks:
        raise RuleViolation(NOTHING_MARKED, field="marks")
    try:
        with db.session.begin_nested():
            db.session.add(classroom)
    except IntegrityError:
        # Two copies of the same capture arrived at once; the other one landed first.
        found = _by_key(walk, classroom.client_key)
        if found is None:
            raise
        return found, False
    return classroom, True


def _by_key(walk: Walk, client_key: str) -> WalkClassroom | None:
    return db.session.scalar(
        select(WalkClassroom).where(WalkClassroom.walk_id == walk.id, WalkClassroom.client_key == client_key)
    )


def _new_key() -> str:
    return secrets.token_hex(16)


def _tally(value: str | None) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RuleViolation(BAD_TALLY, field="marks") from None
    if not 0 <= number <= MAX_TALLY:
        raise RuleViolation(BAD_TALLY, field="marks")
    return number

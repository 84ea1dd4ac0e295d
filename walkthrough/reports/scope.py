"""Which schools and dates a report covers, checked against what the admin may see."""

from dataclasses import dataclass
from datetime import date

from flask import abort, request

from ..auth.models import User
from ..ids import arg_id
from ..schools.models import School
from ..schools.queries import managed_schools
from ..schools.years import current_start_year, district_year, today_for

LONGEST_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class Scope:
    """Plain values, so a streamed export can still read them after the request's session has moved on."""

    schools: list[School]
    school_ids: tuple[int, ...]
    school_id: int | None  # None: every school the admin manages (the district, for a district admin)
    label: str
    start: date
    end: date

    @property
    def school(self) -> School | None:
        return next((s for s in self.schools if s.id == self.school_id), None) if self.school_id else None

    def as_filters(self) -> dict[str, str]:
        return {"school": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}

    def query_args(self) -> dict[str, object]:
        args: dict[str, object] = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.school_id:
            args["school_id"] = self.school_id
        return args


def _date_arg(name: str, default: date) -> date:
    text = request.args.get(name, "")
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        abort(400, description=f"The {name} date should look like 2026-09-01.")


def scope_from_request(admin: User, allowed: list[School] | None = None) -> Scope:
    """`allowed`: the admin's `managed_schools`, when the caller has already read them."""
    allowed = managed_schools(admin) if allowed is None else allowed
    if not allowed:
        abort(404)
    wanted = arg_id("school_id")
    school = next((s for s in allowed if s.id == wanted), None)
    if wanted and school is None:
        abort(404)
    if admin.school_id is not None:
        school = allowed[0]
    year = district_year(current_start_year(admin.school, today_for(admin.school)))
    start, end = _date_arg("start", year.start), _date_arg("end", year.end)
    if end < start:
        start, end = end, start
    if (end - start).days > LONGEST_RANGE_DAYS:
        abort(400, description="Choose at most three years at a time.")
    schools = [school] if school else allowed
    return Scope(
        schools=schools,
        school_ids=tuple(s.id for s in schools),
        school_id=school.id if school else None,
        label=school.name if school else "All schools",
        start=start,
        end=end,
    )

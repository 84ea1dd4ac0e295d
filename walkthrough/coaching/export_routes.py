"""The coach's caseload as a spreadsheet: counts and coaching minutes, never notes."""

from flask_login import current_user

from .. import sheets
from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..schools.years import district_year, today_for
from . import bp, caseload
from .caseload_routes import chosen_year
from .models import ActivityKind

HEADER = [
    "Teacher",
    "Email",
    "School",
    "Visits made",
    "Visits hosted",
    "Notes shared with host",
    "Reflections written",
    "Host replies",
    sheets.hours("Release time used (hours)"),
    sheets.hours("Professional learning (hours)"),
    "Coaching sessions",
    "Coaching minutes",
    *[f"{kind.label} (minutes)" for kind in ActivityKind],
    sheets.day("Last visit"),
    sheets.day("Last coached"),
]


def _rows(found: caseload.Caseload):
    for row in found.rows:
        counts, given = row.counts, row.coaching
        yield [
            row.coachee.name,
            row.coachee.email,
            row.coachee.school.name if row.coachee.school else "",
            counts.visits_made,
            counts.visits_hosted,
            counts.notes_shared,
            counts.reflections,
            counts.host_replies,
            round(counts.release_minutes / 60, 2),
            round(counts.learning_minutes / 60, 2),
            given.sessions,
            given.minutes,
            *[given.minutes_by_kind.get(kind.value, 0) for kind in ActivityKind],
            counts.last_visit,
            given.last,
        ]


@bp.route("/export.<any(csv, xlsx):kind>")
@role_required(Role.COACH)
def export_caseload(kind: str):
    year = district_year(chosen_year())
    audit(current_user, "export", what="caseload", format=kind, year=year.label)
    db.session.commit()
    found = caseload.caseload_for(current_user, year, today_for(current_user.school))
    filename = f"caseload-{year.start_year}.{kind}"
    if kind == "csv":
        return csv_response(filename, HEADER, _rows(found))
    return xlsx_response(filename, [(f"Caseload {year.label}", HEADER, _rows(found))])

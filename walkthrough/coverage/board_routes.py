from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from .. import sheets
from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role, User
from ..auth.search import LONGEST_SEARCH
from ..downloads import csv_response
from ..extensions import db
from ..htmx import wants_fragment
from ..ids import form_id, ids_from
from ..rules import RuleViolation
from ..schools.calendar import school_day
from ..schools.models import School
from ..schools.queries import managed_schools, today_at
from . import bp, queries, reasons, services
from . import report as coverage_report
from .board_view import job_response, school_and_day
from .models import CoverageRequest, SubstitutePool


def _pool_query() -> str:
    """What the admin typed to find a substitute for the pool, kept as typed for the search box."""
    return request.args.get("pool_q", "").strip()[:LONGEST_SEARCH]


@cache  # built once: every view of the board asks it (see coverage.availability)
def _pool_names():
    """Names and ids only: the pool is a handful of people."""
    return (
        select(User.id, User.name)
        .join(SubstitutePool, SubstitutePool.substitute_id == User.id)
        .where(SubstitutePool.school_id == bindparam("school_id"))
        .order_by(User.name)
    )


@bp.route("/board")
@role_required(Role.ADMIN)
def board():
    schools = managed_schools(current_user)
    school, day = school_and_day(schools)
    pool = db.session.execute(_pool_names(), {"school_id": school.id}).all()
    pool_query = _pool_query()
    return render_template(
        "coverage/board.html",
        school=school,
        day=day,
        jobs=queries.board(school, day, {person.id for person in pool}),
        school_day=school_day(school, day),
        schools=schools,
        pool=pool,
        pool_query=pool_query,
        matches=queries.substitutes_to_add(school, pool_query),
    )


@bp.route("/pool/find")
@role_required(Role.ADMIN)
def find_substitutes():
    """Substitutes to add to the pool, found as the admin types; without htmx, the board shows them."""
    school, day = school_and_day()
    pool_query = _pool_query()
    if not wants_fragment():
        return redirect(url_for("coverage.board", school_id=school.id, day=day.isoformat(), pool_q=pool_query))
    return render_template(
        "coverage/_pool_matches.html",
        school=school,
        day=day,
        pool_query=pool_query,
        matches=queries.substitutes_to_add(school, pool_query),
    )


def _requests_from_form(school: School) -> list[CoverageRequest]:
    ids = ids_from(request.form, "request_id")
    found = db.session.scalars(select(CoverageRequest).where(CoverageRequest.id.in_(ids))).all()
    if any(r.school_id != school.id for r in found):
        abort(403)
    return list(found)


@bp.route("/assign", methods=["POST"])
@role_required(Role.ADMIN)
def assign():
    school, day = school_and_day()
    requests = _requests_from_form(school)
    cover = db.session.get(User, form_id("cover_id") or 0)
    if not requests or cover is None:
        return job_response(
            school, day, requests[0].teacher_id if requests else 0, 422, cover_error="Choose who will cover."
        )
    try:
        services.assign(requests=requests, cover=cover, actor=current_user)
    except RuleViolation as violation:
        db.session.rollback()
        return job_response(school, day, requests[0].teacher_id, 422, cover_error=f"{cover.name}: {violation.message}")
    db.session.commit()
    return job_response(school, day, requests[0].teacher_id)


@bp.route("/release", methods=["POST"])
@role_required(Role.ADMIN)
def release():
    school, day = school_and_day()
    requests = _requests_from_form(school)
    services.release(requests=requests, actor=current_user)
    db.session.commit()
    return job_response(school, day, requests[0].teacher_id if requests else 0)


@bp.route("/requests/decide", methods=["POST"])
@role_required(Role.ADMIN)
def decide_request():
    """Approve or refuse cover asked for with a reason that needs an admin's yes."""
    school, day = school_and_day()
    ids = ids_from(request.form, "request_id")
    requests = list(
        db.session.scalars(
            select(CoverageRequest).where(CoverageRequest.id.in_(ids), CoverageRequest.school_id == school.id)
        )
    )
    if not requests:
        abort(404)
    try:
        services.decide_request(
            requests=requests, approve=request.form.get("decision") == "approve", admin=current_user
        )
    except RuleViolation as violation:
        db.session.rollback()
        return job_response(school, day, requests[0].teacher_id, 422, violation.message)
    db.session.commit()
    return job_response(school, day, requests[0].teacher_id)


@bp.route("/pool", methods=["POST"])
@role_required(Role.ADMIN)
def add_to_pool():
    school, day = school_and_day()
    substitute = db.session.get(User, form_id("substitute_id") or 0)
    if substitute is None or not substitute.has_role(Role.SUBSTITUTE):
        flash("Choose a substitute.", "error")
    elif not db.session.scalar(
        select(SubstitutePool).where(
            SubstitutePool.school_id == school.id, SubstitutePool.substitute_id == substitute.id
        )
    ):
        db.session.add(SubstitutePool(school_id=school.id, substitute_id=substitute.id))
        db.session.commit()
        flash(f"{substitute.name} now serves {school.name}.", "success")
    return redirect(url_for("coverage.board", school_id=school.id, day=day.isoformat()))


BOARD_HEADER = [
    sheets.day("Date"),
    "Period",
    "Starts",
    "Ends",
    "Teacher",
    "Course",
    "Room",
    "Reason",
    "Status",
    "Cover",
]
REPORT_HEADER = [sheets.day("Date"), "Period", "Teacher", "Reason", "Status", "Cover", "Minutes"]


def _board_rows(school: School, day: date) -> list[list]:
    zone = ZoneInfo(school.timezone)
    rows = []
    for job in queries.board(school, day):
        for r in job.requests:
            rows.append(
                [
                    day,
                    r.period.name if r.period else "",
                    f"{r.starts_at.astimezone(zone):%H:%M}",
                    f"{r.ends_at.astimezone(zone):%H:%M}",
                    r.teacher.name,
                    r.course,
                    r.room,
                    reasons.label_of(r.reason),
                    r.status_label,
                    r.cover.name if r.cover else "",
                ]
            )
    return rows


@bp.route("/board.csv")
@role_required(Role.ADMIN)
def board_csv():
    school, day = school_and_day()
    audit(current_user, "export", what="coverage board", school_id=school.id, day=day.isoformat())
    db.session.commit()
    return csv_response(f"coverage-{school.id}-{day.isoformat()}.csv", BOARD_HEADER, _board_rows(school, day))


@bp.route("/board/print")
@role_required(Role.ADMIN)
def board_print():
    school, day = school_and_day()  # only ever one of the schools this admin manages
    return render_template("coverage/print.html", school=school, day=day, rows=_board_rows(school, day))


def _report_range(school: School) -> tuple[date, date]:
    try:
        start = date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        start = max(school.year_first_day, today_at(school) - timedelta(days=27))
    try:
        end = date.fromisoformat(request.args.get("end", ""))
    except ValueError:
        end = today_at(school) + timedelta(days=28)
    return (start, end) if start <= end else (end, start)


@bp.route("/report")
@role_required(Role.ADMIN)
def report():
    schools = managed_schools(current_user)
    school, _ = school_and_day(schools)
    start, end = _report_range(school)
    return render_template(
        "coverage/report.html",
        report=coverage_report.report_for(school, start, end),
        schools=schools,
    )


@bp.route("/report.csv")
@role_required(Role.ADMIN)
def report_csv():
    school, _ = school_and_day()
    start, end = _report_range(school)
    built = coverage_report.report_for(school, start, end)
    audit(current_user, "export", what="coverage report", school_id=school.id, start=str(start), end=str(end))
    db.session.commit()
    rows = [
        [
            r.day,
            r.period.name if r.period else "",
            r.teacher.name,
            reasons.label_of(r.reason),
            r.status_label,
            r.cover.name if r.cover else "",
            r.minutes,
        ]
        for r in built.requests
    ]
    return csv_response(f"coverage-report-{school.id}-{start}-{end}.csv", REPORT_HEADER, rows)

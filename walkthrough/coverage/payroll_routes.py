"""Verifying cover after the day, and the payroll file for a pay period (CSV and XLSX), made only from what
admins verified."""

from datetime import date, timedelta

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..forms import commit_or_flash
from ..ids import ids_from
from ..schools.queries import managed_schools, today_at
from . import bp, payroll
from .board_view import school_and_day
from .models import CoverageRequest, PayBasis


def _period(today: date) -> tuple[date, date]:
    """The pay period asked for, or the two weeks to today."""
    try:
        start = date.fromisoformat(request.values.get("start", ""))
    except ValueError:
        start = today - timedelta(days=13)
    try:
        end = date.fromisoformat(request.values.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@bp.route("/verify")
@role_required(Role.ADMIN)
def verify_page():
    school, _ = school_and_day()
    today = today_at(school)
    start, end = _period(today)
    found = payroll.assignments(school, start, end)
    return render_template(
        "coverage/verify.html",
        school=school,
        schools=managed_schools(current_user),
        start=start,
        end=end,
        today=today,
        assignments=found,
        bases=list(PayBasis),
        full_day=payroll.full_day_minutes(),
        verified_minutes=sum(a.verification.paid_minutes for a in found if a.verification),
    )


@bp.route("/verify", methods=["POST"])
@role_required(Role.ADMIN)
def verify():
    school, _ = school_and_day()
    requests = list(
        db.session.scalars(
            select(CoverageRequest).where(
                CoverageRequest.id.in_(ids_from(request.form, "request_id")), CoverageRequest.school_id == school.id
            )
        )
    )
    try:
        adjustment = int(request.form.get("adjustment_minutes") or 0)
    except ValueError:
        adjustment = 9999  # refused below with the range message
    if requests:
        commit_or_flash(
            lambda: payroll.verify(
                school=school,
                requests=requests,
                basis=request.form.get("basis", ""),
                worked_ids=set(ids_from(request.form, "worked")),
                adjustment_minutes=adjustment,
                note=request.form.get("note", ""),
                actor=current_user,
                today=today_at(school),
            ),
            "Verified.",
        )
    return redirect(
        url_for(
            "coverage.verify_page", school_id=school.id, start=request.form.get("start"), end=request.form.get("end")
        )
    )


def _payroll(kind: str):
    schools = managed_schools(current_user)
    wanted = request.args.get("school_id", type=int)
    if wanted:
        schools = [s for s in schools if s.id == wanted] or []
    today = today_at(schools[0]) if schools else date.today()
    start, end = _period(today)
    audit(current_user, "export", what="payroll", format=kind, start=str(start), end=str(end))
    db.session.commit()
    rows = payroll.payroll_rows(schools, start, end)
    name = f"payroll-{start.isoformat()}-to-{end.isoformat()}"
    if kind == "csv":
        return csv_response(f"{name}.csv", payroll.HEADER, rows)
    return xlsx_response(f"{name}.xlsx", [("Payroll", payroll.HEADER, rows)])


@bp.route("/payroll.csv")
@role_required(Role.ADMIN)
def payroll_csv():
    return _payroll("csv")


@bp.route("/payroll.xlsx")
@role_required(Role.ADMIN)
def payroll_xlsx():
    return _payroll("xlsx")

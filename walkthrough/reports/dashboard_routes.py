"""Admin dashboards and the building and district summary exports: counts only, never note text."""

from datetime import date

from flask import abort, render_template, request
from flask_login import current_user

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..documents import pdf_of
from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..schools.queries import managed_schools
from . import bp, figures, summary
from .scope import scope_from_request


@bp.route("/")
@role_required(Role.ADMIN)
def dashboard():
    schools = managed_schools(current_user)
    scope = scope_from_request(current_user, schools)
    return render_template(
        "reports/dashboard.html",
        board=figures.cached(scope),
        schools=schools,
        district_admin=current_user.school_id is None,
    )


@bp.route("/summary.<any(csv, xlsx, pdf):kind>")
@role_required(Role.ADMIN)
def summary_export(kind: str):
    scope = scope_from_request(current_user)
    section = request.args.get("section", "observations")
    if kind == "csv" and section not in summary.SECTIONS:
        abort(404)
    audit(
        current_user,
        "export",
        what="summary",
        format=kind,
        section=section if kind == "csv" else "all",
        **scope.as_filters(),
    )
    db.session.commit()
    stem = f"walkthrough-summary-{scope.start.isoformat()}-to-{scope.end.isoformat()}"
    if kind == "csv":
        _, header, rows = summary.SECTIONS[section]
        return csv_response(f"{stem}-{section}.csv", header, rows(scope))
    if kind == "xlsx":
        return xlsx_response(
            f"{stem}.xlsx", [(title, header, rows(scope)) for title, header, rows in summary.SECTIONS.values()]
        )
    return pdf_of(
        "reports/summary_pdf.html",
        f"{stem}.pdf",
        zone=scope.schools[0].timezone if scope.schools else None,
        board=figures.cached(scope),
        generated=date.today(),
        generated_by=current_user,
    )

"""Admin dashboards and the building and district summary exports: counts only, never note text."""

from datetime import date
from urllib.parse import urlencode

from flask import abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..documents import pdf_of
from ..downloads import csv_response, xlsx_response
from ..extensions import cache, db
from ..schools.queries import managed_schools
from . import bp, figures, summary
from .scope import scope_from_request


@bp.route("/")
@role_required(Role.ADMIN)
def dashboard():
    schools = managed_schools(current_user)
    scope = scope_from_request(current_user, schools)
    board = figures.cached(scope)
    return render_template(
        "reports/dashboard.html",
        board=board,
        figures_html=_figures_html(board),
        schools=schools,
        district_admin=current_user.school_id is None,
    )


def _figures_html(board: figures.Dashboard) -> Markup:
    """The figures part of the page, rendered once for each working-out of the figures (they are kept for a
    minute) and kept as long: a district's table of fifty schools and its charts were most of the page's CPU.
    It shows nothing of the person looking, only the figures and links that carry the scope's dates."""
    # Figures kept by the release before this one (in Redis) have no edition: their HTML isn't kept.
    if not board.edition:
        return Markup(render_template("reports/_figures.html", board=board))
    args = urlencode(sorted(board.scope.query_args().items()))
    key = f"dashboard-html:{board.edition}:{request.script_root}:{args}"
    html = cache.get(key)
    if html is None:
        html = render_template("reports/_figures.html", board=board)
        cache.set(key, html, timeout=figures.DASHBOARD_SECONDS)
    return Markup(html)


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

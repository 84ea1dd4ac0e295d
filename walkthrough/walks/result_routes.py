"""Building-level results of walks, for a walk, a school's year, or the district's schools side by side,
as a page with charts and tables and as CSV, XLSX and PDF. Schools, never people."""

from dataclasses import dataclass
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..documents import pdf_of
from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..ids import arg_id
from ..schools.models import School
from ..schools.years import SchoolYear, district_year, start_year_asked, today_for
from . import STAFF, bp, exports, queries
from .access import can_compare_schools, can_see
from .models import Walk, WalkTool
from .results import Results, results_for


@dataclass
class Selection:
    title: str
    stem: str
    walks: list[Walk]
    results: Results
    year: SchoolYear | None = None
    school: School | None = None
    tools: list[WalkTool] | None = None
    tool: WalkTool | None = None
    walk: Walk | None = None
    compare: bool = False


def _may_see_school(school: School) -> bool:
    return can_compare_schools(current_user) or (
        current_user.school_id == school.id and current_user.has_role(Role.ADMIN, Role.COACH, Role.TEACHER)
    )


def _tool_choice(walks: list[Walk]) -> tuple[list[WalkTool], WalkTool | None, list[Walk]]:
    """The tools these walks used, the one asked for (or the latest walk's), and that tool's walks."""
    used = {walk.tool_id: walk.tool for walk in walks if walk.tool is not None}
    tools = sorted(used.values(), key=lambda t: t.name)
    wanted = arg_id("tool_id")
    tool = used.get(wanted) if wanted else (walks[-1].tool if walks else None)
    if wanted and tool is None:
        abort(404)
    return tools, tool, [walk for walk in walks if tool is not None and walk.tool_id == tool.id]


def _selection(scope: str) -> Selection:
    if scope == "walk":
        walk = queries.walk_or_none(arg_id("walk_id") or 0)
        if walk is None or not can_see(current_user, walk):
            abort(404)
        results = results_for([walk], by=["grade_band", "subject_area"])
        return Selection(walk.title, f"walk-{walk.id}-results", [walk], results, school=walk.school, walk=walk)
    if scope == "compare":
        if not can_compare_schools(current_user):
            abort(403)
        school = None
        schools = list(db.session.scalars(db.select(School).order_by(School.name)))
    else:
        school = db.session.get(School, arg_id("school_id") or current_user.school_id or 0)
        if school is None or not _may_see_school(school):
            abort(404)
        schools = [school]
    year = district_year(start_year_asked(request.args.get("year", type=int), school, today_for(school)))
    tools, tool, walks = _tool_choice(queries.walks_in([s.id for s in schools], year.start, year.end))
    if scope == "compare":
        results = results_for(walks, by=["school"], schools=schools)
        title = f"Schools compared, {year.label}"
    else:
        results = results_for(walks, by=["walk", "month", "grade_band", "subject_area"])
        title = f"{school.name}: walks in {year.label}"
    stem = f"walks-{'district' if scope == 'compare' else f'school-{school.id}'}-{year.start.year}"
    return Selection(
        title, stem, walks, results, year=year, school=school, tools=tools, tool=tool, compare=scope == "compare"
    )


@bp.route("/results")
@role_required(*STAFF)
def school_results():
    if not arg_id("school_id") and current_user.school_id is None:
        wanted = {name: request.args[name] for name in ("year", "tool_id") if name in request.args}
        return redirect(url_for("walks.compare", **wanted))
    return render_template("walks/results.html", selection=_selection("school"))


@bp.route("/compare")
def compare():
    return render_template("walks/results.html", selection=_selection("compare"))


@bp.route("/<any(walk, school, compare):scope>-results.<any(csv, xlsx, pdf):kind>")
def export(scope: str, kind: str):
    selection = _selection(scope)
    audit(current_user, "export", what=f"walk results ({scope})", format=kind, title=selection.title)
    db.session.commit()
    if kind == "csv":
        return csv_response(f"{selection.stem}.csv", exports.HEADER, exports.rows(selection.results))
    if kind == "xlsx":
        return xlsx_response(f"{selection.stem}.xlsx", exports.sheets(selection.results))
    return pdf_of(
        "walks/results_pdf.html",
        f"{selection.stem}.pdf",
        zone=selection.school.timezone if selection.school else None,
        selection=selection,
        generated=date.today(),
        generated_by=current_user,
    )

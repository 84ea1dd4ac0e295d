"""Learning hours and required-training completion, as a page with charts and as CSV and XLSX."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..downloads import csv_response, xlsx_response
from ..extensions import db
from ..schools.models import School
from ..schools.years import district_year, start_year_asked, today_for
from ..sheets import titles
from . import bp
from .report import HEADER, TRAINING_HEADER, hour_rows, learning_report, training_rows


def _report():
    query = select(School).order_by(School.name)
    if current_user.school_id is not None:
        query = query.where(School.id == current_user.school_id)
    schools = db.session.scalars(query).all()
    school = current_user.school
    year = district_year(start_year_asked(request.args.get("year", type=int), school, today_for(school)))
    return learning_report(year, schools)


@bp.route("/report")
@role_required(Role.ADMIN)
def report():
    found = _report()
    return render_template("trainings/report.html", report=found, charts=found.charts())


@bp.route("/report.csv")
@role_required(Role.ADMIN)
def report_csv():
    found = _report()
    rows = [*hour_rows(found), [], titles(TRAINING_HEADER), *training_rows(found)]
    return csv_response(f"learning-hours-{found.year.start_year}.csv", HEADER, rows)


@bp.route("/report.xlsx")
@role_required(Role.ADMIN)
def report_xlsx():
    found = _report()
    return xlsx_response(
        f"learning-hours-{found.year.start_year}.xlsx",
        [("Hours", HEADER, hour_rows(found)), ("Required trainings", TRAINING_HEADER, training_rows(found))],
    )

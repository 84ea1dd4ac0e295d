"""A certificate of a person's professional-learning hours for a school year, as PDF, for continuing-education
credit: what they logged and the peer visits they made."""

from flask import request
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..coaching import counts
from ..documents import pdf_of
from ..extensions import db
from ..learning.models import LearningEntry
from ..schools.years import district_year, start_year_asked, today_for
from ..text import file_name_part
from . import bp


@bp.route("/certificate.pdf")
@role_required(Role.TEACHER)
def certificate():
    school = current_user.school
    year = district_year(start_year_asked(request.args.get("year", type=int), school, today_for(school)))
    entries = db.session.scalars(
        select(LearningEntry)
        .where(LearningEntry.user_id == current_user.id, LearningEntry.day.between(year.start, year.end))
        .order_by(LearningEntry.day, LearningEntry.id)
    ).all()
    mine = counts.counts_for([current_user.id], year.start, year.end)[current_user.id]
    return pdf_of(
        "trainings/certificate.html",
        f"learning-hours-{year.start_year}-{file_name_part(current_user.name)}.pdf",
        person=current_user,
        year=year,
        entries=entries,
        counts=mine,
        issued=today_for(school),
    )

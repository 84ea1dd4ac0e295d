"""'My year': a teacher's portfolio as a printable page and a PDF; and a copy of all of one's own data."""

from flask import Response, render_template, request
from flask_login import current_user

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role
from ..db_types import utcnow
from ..documents import pdf_of
from ..downloads import content_disposition
from ..extensions import db
from ..schools.years import district_year, start_year_asked, today_for
from ..text import file_name_part
from . import bp, personal_data, portfolio


def _portfolio():
    today = today_for(current_user.school)
    start_year = start_year_asked(request.args.get("year", type=int), current_user.school, today)
    return portfolio.portfolio_for(current_user, district_year(start_year), today)


@bp.route("/my-year")
@role_required(Role.TEACHER)
def my_year():
    return render_template("reports/portfolio.html", folio=_portfolio())


@bp.route("/my-year.pdf")
@role_required(Role.TEACHER)
def my_year_pdf():
    folio = _portfolio()
    audit(current_user, "export", what="portfolio", format="pdf", year=folio.year.label)
    db.session.commit()
    name = file_name_part(current_user.name, "teacher")
    return pdf_of("reports/portfolio_pdf.html", f"my-year-{folio.year.start_year}-{name}.pdf", folio=folio)


@bp.route("/my-data.zip", methods=["POST"])
def my_data():
    """Everything that is the signed-in person's own, to keep (or take with them when they leave). A POST,
    because it records when the copy was taken (the departure page shows it)."""
    archive = personal_data.build_archive(current_user)
    current_user.data_copy_at = utcnow()
    audit(current_user, "export", what="personal data", format="zip")
    db.session.commit()
    filename = f"walkthrough-data-{file_name_part(current_user.name, 'me')}.zip"
    return Response(
        archive,
        mimetype="application/zip",
        headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"},
    )

"""What the coverage board's actions share: which school and day they are about, and the job card they
answer with (the card for htmx, the board otherwise). Visits' approval action uses them too."""

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..htmx import render_page_or_fragment, wants_fragment
from ..ids import id_from
from ..schools.models import School
from ..schools.queries import managed_schools, today_at
from . import queries


def school_and_day(schools: list[School] | None = None) -> tuple[School, date]:
    schools = managed_schools(current_user) if schools is None else schools
    if not schools:
        abort(404)
    wanted = id_from(request.values, "school_id")
    school = next((s for s in schools if s.id == wanted), None if wanted else schools[0])
    if school is None:  # another school's board: say nothing about it
        abort(404)
    try:
        day = date.fromisoformat(request.values.get("day", ""))
    except ValueError:
        day = today_at(school)
    return school, day


def job_response(
    school: School,
    day: date,
    teacher_id: int,
    status: int = 200,
    error: str | None = None,
    cover_error: str | None = None,
):
    """`cover_error`: what is wrong with the choice of cover, shown beside its list; `error`, about the job."""
    job = next((j for j in queries.board(school, day) if j.teacher.id == teacher_id), None)
    if job is None or not wants_fragment():
        if error or cover_error:
            flash(error or cover_error, "error")
        return redirect(url_for("coverage.board", school_id=school.id, day=day.isoformat()))
    return render_page_or_fragment(
        "coverage/board.html",
        "coverage/_job.html",
        status=status,
        job=job,
        school=school,
        day=day,
        error=error,
        cover_error=cover_error,
    )

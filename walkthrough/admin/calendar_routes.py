"""A school's calendar for its admins: the days ahead that aren't ordinary, closing a day that has plans
(a snow day) and reopening it, importing the district's .ics or a CSV with a preview, and the .ics out."""

import base64
import binascii
from datetime import time, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..flows.closures import cancel_plans_on_closed_days, close_day, reopen_day
from ..forms import commit_or_flash, commit_or_show_errors
from ..rules import RuleViolation
from ..schools.calendar import calendar_of
from ..schools.calendar_files import apply_calendar, plan_calendar, school_ics
from ..schools.models import SpecialPeriodTime
from ..schools.services import save_special_schedule
from ..schools.times import local_today
from . import bp
from .access import school_or_403
from .forms import CalendarUploadForm, CloseDayForm, ReopenDayForm

WEEKS_SHOWN = 10
REOPEN_WITHIN_DAYS = 7  # reopening is for a closure that turned out not to be needed, not for holidays
BAD_TIME = "Give each period a start and an end (HH:MM), or leave both empty when it doesn't meet."


def _schedules(school) -> dict[str, list]:
    """The school's special bell schedules, by name, each period with its times."""
    rows = db.session.scalars(
        select(SpecialPeriodTime)
        .where(SpecialPeriodTime.school_id == school.id)
        .order_by(SpecialPeriodTime.schedule, SpecialPeriodTime.starts_at)
    )
    schedules: dict[str, list] = {}
    for row in rows:
        schedules.setdefault(row.schedule, []).append(row)
    return schedules


def _page(school, close_form=None, upload_form=None, status=200, schedule_error="", typed=None):
    today = local_today(school)
    year = calendar_of(school)
    ahead = [
        year.on(today + timedelta(days=n))
        for n in range(WEEKS_SHOWN * 7)
        if (today + timedelta(days=n)).weekday() < 5 or year.on(today + timedelta(days=n)).has_school
    ]
    return render_template(
        "admin/calendar.html",
        school=school,
        today=year.on(today),
        reopen_until=today + timedelta(days=REOPEN_WITHIN_DAYS),
        ahead=[day for day in ahead if not day.has_school or day.special or day.name],
        close_form=close_form or CloseDayForm(day=today, name="Snow day"),
        upload_form=upload_form or CalendarUploadForm(),
        reopen_form=ReopenDayForm(),
        can_close_district=current_user.school_id is None,
        schedules=_schedules(school),
        schedule_error=schedule_error,
        typed=typed or {},
    ), status


@bp.route("/schools/<int:school_id>/calendar")
@role_required(Role.ADMIN)
def calendar(school_id: int):
    return _page(school_or_403(current_user, school_id))


@bp.route("/schools/<int:school_id>/calendar/close", methods=["POST"])
@role_required(Role.ADMIN)
def close(school_id: int):
    school = school_or_403(current_user, school_id)
    form = CloseDayForm()
    if form.validate_on_submit():
        everywhere = form.every_school.data and current_user.school_id is None
        told = commit_or_show_errors(
            form,
            lambda: close_day(
                day=form.day.data, name=form.name.data, actor=current_user, school=None if everywhere else school
            ),
        )
        if told is not None:
            flash(f"{form.day.data:%A %-d %B} is closed. {told} people were told what was cancelled.", "success")
            return redirect(url_for("admin.calendar", school_id=school.id))
    return _page(school, close_form=form, status=422)


@bp.route("/schools/<int:school_id>/calendar/reopen", methods=["POST"])
@role_required(Role.ADMIN)
def reopen(school_id: int):
    school = school_or_403(current_user, school_id)
    form = ReopenDayForm()
    if form.validate_on_submit():
        every = form.every_school.data and current_user.school_id is None
        commit_or_flash(
            lambda: reopen_day(day=form.day.data, actor=current_user, school=None if every else school),
            f"{form.day.data:%A %-d %B} has school again. Visits and cover already cancelled stay cancelled.",
        )
    return redirect(url_for("admin.calendar", school_id=school.id))


@bp.route("/schools/<int:school_id>/calendar/preview", methods=["POST"])
@role_required(Role.ADMIN)
def calendar_preview(school_id: int):
    """What the file would change, before anything is saved; confirming sends the same file back."""
    school = school_or_403(current_user, school_id)
    form = CalendarUploadForm()
    if not form.validate_on_submit():
        return _page(school, upload_form=form, status=422)
    data, filename = form.file.data.read(), form.file.data.filename or "calendar.csv"
    plan = plan_calendar(data=data, filename=filename, school=school)
    return render_template(
        "admin/calendar_preview.html",
        school=school,
        plan=plan,
        filename=filename,
        content=base64.b64encode(data).decode(),
    ), 200 if plan.is_valid else 422


@bp.route("/schools/<int:school_id>/calendar/import", methods=["POST"])
@role_required(Role.ADMIN)
def calendar_import(school_id: int):
    school = school_or_403(current_user, school_id)
    try:
        data = base64.b64decode(request.form.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    plan = plan_calendar(data=data, filename=request.form.get("filename", "calendar.csv"), school=school)
    if not plan.is_valid:
        flash("The file no longer imports cleanly; upload it again to see why.", "error")
        return redirect(url_for("admin.calendar", school_id=school.id))
    changed = apply_calendar(plan)
    told = cancel_plans_on_closed_days(plan.new + plan.changed)
    db.session.commit()
    cancelled = f" {told} people were told of visits or cover cancelled on the new closed days." if told else ""
    flash(f"Calendar imported: {changed} date{'s' if changed != 1 else ''} changed.{cancelled}", "success")
    return redirect(url_for("admin.calendar", school_id=school.id))


@bp.route("/schools/<int:school_id>/calendar.ics")
@role_required(Role.ADMIN)
def calendar_ics(school_id: int):
    school = school_or_403(current_user, school_id)
    response = Response(school_ics(school), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="school-calendar-{school.id}.ics"'
    return response


@bp.route("/schools/<int:school_id>/calendar/schedule", methods=["POST"])
@role_required(Role.ADMIN)
def save_schedule(school_id: int):
    """A special bell schedule: each period's times on days with that name; blank periods don't meet."""
    school = school_or_403(current_user, school_id)
    times, typed = {}, dict(request.form)
    try:
        for period in school.periods:
            starts, ends = (request.form.get(f"period-{period.id}-{end}", "").strip() for end in ("starts", "ends"))
            if starts or ends:
                times[period.id] = (time.fromisoformat(starts), time.fromisoformat(ends))
    except ValueError:
        return _page(school, status=422, schedule_error=BAD_TIME, typed=typed)
    name = request.form.get("schedule", "")
    try:
        meeting = save_special_schedule(school=school, name=name, times=times)
    except RuleViolation as violation:
        db.session.rollback()
        return _page(school, status=422, schedule_error=violation.message, typed=typed)
    db.session.commit()
    flash(f"“{name.strip()}” saved: {meeting} period{'s' if meeting != 1 else ''} meet on those days.", "success")
    return redirect(url_for("admin.calendar", school_id=school.id, _anchor="schedules-heading"))

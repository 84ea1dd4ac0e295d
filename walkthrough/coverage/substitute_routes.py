"""A school's substitutes as its admins see them (preferred first, the do-not-send list), and a substitute's
own days off."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role, RoleGrant, User
from ..db_types import utcnow
from ..extensions import db
from ..forms import commit_or_flash
from ..ids import form_id, ids_from
from . import bp, preferences
from .board_view import school_and_day
from .models import SubstitutePool


def _back(school):
    return redirect(url_for("coverage.substitutes", school_id=school.id))


@bp.route("/substitutes")
@role_required(Role.ADMIN)
def substitutes():
    school, _ = school_and_day()
    preferred, blocked = preferences.school_settings(school)
    pool = db.session.scalars(
        select(User)
        .join(SubstitutePool, SubstitutePool.substitute_id == User.id)
        .where(SubstitutePool.school_id == school.id)
        .order_by(User.name)
    ).all()
    teachers = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(User.school_id == school.id, RoleGrant.role == Role.TEACHER.value, User.is_active_account.is_(True))
        .order_by(User.name)
    ).all()
    return render_template(
        "coverage/substitutes.html", school=school, pool=pool, teachers=teachers, preferred=preferred, blocked=blocked
    )


@bp.route("/substitutes/preferred", methods=["POST"])
@role_required(Role.ADMIN)
def prefer_substitute():
    school, _ = school_and_day()
    substitute = db.session.get(User, form_id("substitute_id") or 0)
    teacher = db.session.get(User, form_id("teacher_id") or 0)
    if teacher is not None and teacher.school_id != school.id:
        teacher = None
    commit_or_flash(
        lambda: preferences.prefer(school=school, substitute=substitute, teacher=teacher),
        "They will hear about jobs first.",
    )
    return _back(school)


@bp.route("/substitutes/preferred/<int:preference_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def stop_preferring(preference_id: int):
    school, _ = school_and_day()
    commit_or_flash(lambda: preferences.stop_preferring(school=school, preference_id=preference_id), "Removed.")
    return _back(school)


@bp.route("/substitutes/do-not-send", methods=["POST"])
@role_required(Role.ADMIN)
def block_substitute():
    school, _ = school_and_day()
    substitute = db.session.get(User, form_id("substitute_id") or 0)
    commit_or_flash(
        lambda: preferences.block(
            school=school, substitute=substitute, reason=request.form.get("reason", ""), actor=current_user
        ),
        "They won't be offered this school's jobs. They are not told.",
    )
    return _back(school)


@bp.route("/substitutes/do-not-send/<int:substitute_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def unblock_substitute(substitute_id: int):
    school, _ = school_and_day()
    commit_or_flash(
        lambda: preferences.unblock(school=school, substitute_id=substitute_id, actor=current_user),
        "Taken off the do-not-send list.",
    )
    return _back(school)


def _earliest_today() -> date:
    """A substitute may work anywhere in the district, so "today" is the earliest it is in any US zone."""
    return (utcnow() - timedelta(hours=12)).date()


@bp.route("/days-off", methods=["POST"])
@role_required(Role.SUBSTITUTE)
def add_day_off():
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        flash("Choose a day.", "error")
        return redirect(url_for("coverage.jobs", _anchor="days-off"))
    commit_or_flash(
        lambda: preferences.add_day_off(substitute=current_user, day=day, today=_earliest_today()),
        f"You won't be offered jobs on {day:%A %-d %B}.",
    )
    return redirect(url_for("coverage.jobs", _anchor="days-off"))


@bp.route("/days-off/<int:day_off_id>/remove", methods=["POST"])
@role_required(Role.SUBSTITUTE)
def remove_day_off(day_off_id: int):
    commit_or_flash(
        lambda: preferences.remove_day_off(substitute=current_user, day_off_id=day_off_id), "You're available again."
    )
    return redirect(url_for("coverage.jobs", _anchor="days-off"))


@bp.route("/profile", methods=["POST"])
@role_required(Role.SUBSTITUTE)
def save_profile():
    """A substitute says what they teach, their certifications and languages, for admins choosing cover."""
    commit_or_flash(
        lambda: preferences.save_profile(
            substitute=current_user,
            subjects=request.form.get("subjects", ""),
            grade_band=request.form.get("grade_band", ""),
            certifications=request.form.get("certifications", ""),
            languages=request.form.get("languages", ""),
            preferred_school_ids=set(ids_from(request.form, "preferred_school")),
        ),
        "Your profile is saved.",
    )
    return redirect(url_for("coverage.jobs", _anchor="profile"))

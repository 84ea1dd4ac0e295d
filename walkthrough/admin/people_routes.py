from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from ..access import role_required
from ..auth import people as people_rules
from ..auth import services
from ..auth.email_change import is_setup
from ..auth.models import Role, RoleGrant, User
from ..auth.search import LONGEST_SEARCH, name_or_email_contains, search_text
from ..coverage.budget import release_time
from ..extensions import db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment
from ..schools import queries as school_queries
from . import bp
from .access import person_or_403
from .forms import InviteForm, PersonForm, options

PAGE_SIZE = 50
NO_SCHOOL = 0  # select value for "no home school" (district staff, substitutes)


def _school_choices() -> list[SelectChoice]:
    schools = [(s.id, s.name) for s in school_queries.managed_schools(current_user)]
    if current_user.school_id is None:
        schools.insert(0, (NO_SCHOOL, "No home school (district)"))
    return options(schools)


@bp.route("/people")
@role_required(Role.ADMIN)
def people():
    query_text = request.args.get("q", "").strip()[:LONGEST_SEARCH]
    role = request.args.get("role", "")
    page = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    query = select(User).where(User.departed_at.is_(None))
    if current_user.school_id is not None:
        query = query.where(User.school_id == current_user.school_id)
    if query_text:
        query = query.where(name_or_email_contains(search_text(query_text)))
    if role in {r.value for r in Role}:
        query = query.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == role)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(query.order_by(User.name).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_page_or_fragment(
        "admin/people.html",
        "admin/_people_results.html",
        people=found,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        q=query_text,
        role=role,
        roles=list(Role),
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite_person():
    form = InviteForm()
    form.school_id.choices = _school_choices()
    if form.validate_on_submit() and (
        person := commit_or_show_errors(
            form,
            lambda: services.invite_person(
                email=form.email.data,
                name=form.name.data,
                roles={Role(r) for r in form.roles.data},
                school_id=form.school_id.data or None,
                actor=current_user,
            ),
        )
    ):
        flash(f"Invitation sent to {person.email}.", "success")
        return redirect(url_for("admin.people"))
    return render_template("admin/invite.html", form=form), 422 if form.errors else 200


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def person(person_id: int):
    person = person_or_403(current_user, person_id)
    form = PersonForm(
        obj=person,
        roles=[r.value for r in person.roles],
        school_id=person.school_id or NO_SCHOOL,
        active=person.is_active_account,
        release_hours=person.release_minutes / 60 if person.release_minutes is not None else None,
    )
    form.school_id.choices = _school_choices()
    email_is_theirs = is_setup(person)
    if email_is_theirs:
        form.email.description = f"Only {person.name} can change it, from their Account page."
    if person.departed_at is not None and request.method == "POST":
        abort(409)  # an erased account stays erased; invite them afresh if they come back
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: people_rules.update_person(
            person=person,
            actor=current_user,
            name=form.name.data,
            email=form.email.data,
            roles={Role(r) for r in form.roles.data},
            school_id=form.school_id.data or None,
            subjects=form.subjects.data or "",
            grade_band=form.grade_band.data or "",
            active=form.active.data,
            release_hours=float(form.release_hours.data) if form.release_hours.data is not None else None,
        ),
    ):
        flash(f"{person.name} is saved.", "success")
        return redirect(url_for("admin.person", person_id=person.id))
    schedule = school_queries.weekly_schedule(person)
    return render_template(
        "admin/person.html",
        person=person,
        form=form,
        email_is_theirs=email_is_theirs,
        is_self=person.id == current_user.id,
        schedule=schedule,
        release=release_time(person) if person.has_role(Role.TEACHER) else None,
    ), 422 if form.errors else 200


@bp.route("/people/<int:person_id>/invite", methods=["POST"])
@role_required(Role.ADMIN)
def resend_invitation(person_id: int):
    person = person_or_403(current_user, person_id)
    if person.departed_at is not None:
        abort(409)
    if person.has_password:
        flash(f"{person.name} has already set a password; they can use “Forgot password” if needed.", "info")
    else:
        services.send_invitation(user=person, invited_by=current_user)
        db.session.commit()
        flash(f"Invitation sent to {person.email}.", "success")
    return redirect(url_for("admin.person", person_id=person.id))

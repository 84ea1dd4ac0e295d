"""The coach's caseload, and the record page a coach and the coachee both open."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role, User
from ..extensions import db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment
from ..schools.years import district_year, start_year_asked, today_for
from . import bp, caseload, consent
from .access import can_view_record, my_coach_or_404
from .forms import AddCoacheeForm
from .record_view import blank_forms, record_page

OVERDUE_CHOICES = (14, 21, 30, 45, 60, 90)
# A page of cards at a time: a district coach can carry seventy teachers, and a phone shows a few.
COACHEES_PER_PAGE = 25


def chosen_year() -> int:
    school = current_user.school
    return start_year_asked(request.args.get("year", type=int), school, today_for(school))


@bp.route("/")
@role_required(Role.COACH)
def caseload_page():
    overdue = request.args.get("overdue", type=int)
    overdue = overdue if overdue in OVERDUE_CHOICES else caseload.DEFAULT_OVERDUE_DAYS
    year = district_year(chosen_year())
    found = caseload.caseload_for(current_user, year, today_for(current_user.school), overdue)
    pages = max(1, -(-len(found.rows) // COACHEES_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    first = (page - 1) * COACHEES_PER_PAGE
    return render_page_or_fragment(
        "coaching/caseload.html",
        "coaching/_caseload_list.html",
        caseload=found,
        rows=found.rows[first : first + COACHEES_PER_PAGE],
        first=first + 1,
        page=page,
        pages=pages,
        overdue_choices=OVERDUE_CHOICES,
        form=AddCoacheeForm(),
        query=request.args.get("q", ""),
        waiting=consent.waiting_on(current_user),
        matches=caseload.find_teachers(current_user, request.args.get("q", "")),
    )


@bp.route("/find")
@role_required(Role.COACH)
def find():
    query = request.args.get("q", "")
    return render_page_or_fragment(
        "coaching/find.html",
        "coaching/_matches.html",
        query=query,
        matches=caseload.find_teachers(current_user, query),
        form=AddCoacheeForm(),
    )


@bp.route("/caseload", methods=["POST"])
@role_required(Role.COACH)
def add_coachee():
    form = AddCoacheeForm()
    if form.validate_on_submit():
        coachee = db.session.get(User, form.coachee_id.data)
        member = commit_or_show_errors(form, lambda: consent.ask(coach=current_user, coachee=coachee))
        if member is not None:
            flash(f"We've asked {coachee.name}. They join your caseload once they accept.", "success")
            return redirect(url_for("coaching.caseload_page"))
    for errors in form.errors.values():
        flash(" ".join(errors), "error")
    return redirect(url_for("coaching.caseload_page"))


@bp.route("/caseload/<int:coachee_id>/remove", methods=["POST"])
@role_required(Role.COACH)
def remove_coachee(coachee_id: int):
    if not consent.remove(coach=current_user, coachee_id=coachee_id):
        abort(404)
    db.session.commit()
    flash("Taken off your caseload. Their record stays with them.", "success")
    return redirect(url_for("coaching.caseload_page"))


@bp.route("/coaches/<int:member_id>/accept", methods=["POST"])
def accept_coach(member_id: int):
    member = my_coach_or_404(current_user, member_id)
    if member.accepted_at is None:
        consent.accept(member=member, teacher=current_user)
        db.session.commit()
        flash(f"{member.coach.name} is now your coach and can see your coaching record.", "success")
    return redirect(url_for("coaching.my_record"))


@bp.route("/coaches/<int:member_id>/decline", methods=["POST"])
def decline_coach(member_id: int):
    member = my_coach_or_404(current_user, member_id)
    name, ended = member.coach.name, member.accepted_at is not None
    consent.decline(member=member, teacher=current_user)
    db.session.commit()
    flash(f"{name} no longer sees your record." if ended else f"You declined {name}'s request.", "success")
    return redirect(url_for("coaching.my_record"))


@bp.route("/me")
def my_record():
    return redirect(url_for("coaching.record", coachee_id=current_user.id, year=request.args.get("year", type=int)))


@bp.route("/people/<int:coachee_id>")
def record(coachee_id: int):
    coachee = db.session.get(User, coachee_id)
    if coachee is None or not can_view_record(current_user, coachee_id):
        abort(404)
    return record_page(coachee, chosen_year(), **blank_forms())

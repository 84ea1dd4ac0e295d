from datetime import date
from typing import NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..access import role_required
from ..auth.models import Role, RoleGrant, User
from ..coverage.budget import release_time
from ..coverage.needs import classes_missed, teaching_assignments
from ..extensions import cache, db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment, wants_fragment
from ..ids import arg_id
from ..protocols import queries as protocol_queries
from ..rules import RuleViolation
from ..schools.models import School
from ..schools.times import local_today
from ..text import clock
from ..urls import safe_next
from . import bp, queries, services
from .access import observers_signup_or_403, own_signup_or_404
from .forms import BookForForm, PairForm
from .models import SignUp, VisitSlot


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _my_signups(slots: list[VisitSlot]) -> dict[int, SignUp]:
    """The viewer's sign-up on each card (one at most: slot and observer are unique together), from the
    sign-ups the list loaded with its slots to count seats."""
    return {
        signup.slot_id: signup for slot in slots for signup in slot.signups if signup.observer_id == current_user.id
    }


def _release_preview(slots: list[VisitSlot]) -> dict:
    """What each visit would take from the viewer's release time, and what they have left."""
    if not current_user.has_role(Role.TEACHER):
        return {"release": None, "uses": {}}
    assignments = teaching_assignments(current_user.id)
    uses = {
        slot.id: sum(m.minutes for m in classes_missed(assignments, slot.starts_at, slot.ends_at)) for slot in slots
    }
    return {"release": release_time(current_user), "uses": uses}


SLOTS_PER_PAGE = 30


@bp.route("/")
def browse():
    filters = {
        "school_id": arg_id("school_id"),
        "grade_band": request.args.get("grade_band", "")[:20],
        "subject": request.args.get("subject", "").strip()[:60],
        "start": _date_arg("start"),
        "end": _date_arg("end"),
        "protocol_id": arg_id("protocol_id"),
    }
    page = min(max(request.args.get("page", 1, type=int), 1), 1000)
    # A page of cards at a time: a district has thousands of open times, and a phone shows a few.
    found = queries.open_slots(**filters, limit=SLOTS_PER_PAGE + 1, offset=(page - 1) * SLOTS_PER_PAGE)
    slots = found[:SLOTS_PER_PAGE]
    # The filter form's choices only go with the whole page; htmx swaps just the list.
    choices = {} if wants_fragment() else _filter_choices()
    return render_page_or_fragment(
        "visits/page.html",
        "visits/_slot_list.html",
        slots=slots,
        page=page,
        per_page=SLOTS_PER_PAGE,
        more=len(found) > SLOTS_PER_PAGE,
        page_args={k: v for k, v in filters.items() if v not in (None, "")},
        mine=_my_signups(slots),
        filters=filters,
        **_release_preview(slots),
        **choices,
    )


FILTER_CHOICES_SECONDS = 60


class Choice(NamedTuple):
    id: int
    name: str


def _filter_choices() -> dict:
    """The same for everyone and slow to change, so kept for a minute: a school added or renamed drops it
    (forget_filter_choices), a new protocol shows up within the minute; the list itself is always fresh."""
    found = cache.get(queries.FILTER_CHOICES_KEY)
    if found is None:
        schools = db.session.execute(select(School.id, School.name).order_by(School.name))
        found = {
            "schools": [Choice(*row) for row in schools],
            "protocols": [Choice(*row) for row in protocol_queries.choices()],
            **queries.filter_values(),
        }
        cache.set(queries.FILTER_CHOICES_KEY, found, timeout=FILTER_CHOICES_SECONDS)
    return found


def _card(slot: VisitSlot, status: int = 200, error: str | None = None):
    db.session.refresh(slot)
    return render_page_or_fragment(
        "visits/slot.html",
        "visits/_slot_card.html",
        status=status,
        slot=slot,
        mine=_my_signups([slot]),
        error=error,
        **_release_preview([slot]),
    )


@bp.route("/slots/<int:slot_id>/signup", methods=["POST"])
@role_required(Role.TEACHER)
def sign_up(slot_id: int):
    slot = db.get_or_404(VisitSlot, slot_id)
    try:
        signup = services.sign_up(slot=slot, observer=current_user, actor=current_user)
    except RuleViolation as violation:
        db.session.rollback()
        if wants_fragment():
            return _card(slot, status=422, error=violation.message)
        flash(violation.message, "error")
        return redirect(url_for("visits.slot", slot_id=slot.id))
    db.session.commit()
    if not wants_fragment():
        flash(
            "You're booked." if signup.status == "confirmed" else "The visit is full; you're on the waitlist.",
            "success",
        )
        return redirect(url_for("visits.mine"))
    return _card(slot)


@bp.route("/signups/<int:signup_id>/cancel", methods=["POST"])
def cancel(signup_id: int):
    signup = own_signup_or_404(current_user, signup_id)
    try:
        services.cancel_signup(signup=signup, actor=current_user)
    except RuleViolation as violation:  # the visit has started
        db.session.rollback()
        if wants_fragment():
            return _card(signup.slot, 422, violation.message)
        flash(violation.message, "error")
        return redirect(safe_next(request.form.get("next"), "visits.mine"))
    db.session.commit()
    if wants_fragment():
        return _card(signup.slot)
    flash("Your booking is cancelled and the seat is free for someone else.", "success")
    return redirect(safe_next(request.form.get("next"), "visits.mine"))


@bp.route("/signups/<int:signup_id>/decline", methods=["POST"])
def decline(signup_id: int):
    signup = observers_signup_or_403(current_user, signup_id)
    try:
        services.decline(signup=signup, actor=current_user)
    except RuleViolation as violation:  # the visit has started, or they booked it themselves
        db.session.rollback()
        flash(violation.message, "error")
        return redirect(url_for("visits.mine"))
    db.session.commit()
    flash("Declined. Your coach has been told by the calendar update.", "success")
    return redirect(url_for("visits.mine"))


@bp.route("/mine")
def mine():
    signups = queries.my_signups(current_user)
    hosted = queries.my_slots(current_user)
    today = {s.school_id: local_today(s.school) for s in [x.slot for x in signups] + hosted}
    return render_template("visits/mine.html", signups=signups, hosted=hosted, today=today)


def _teacher_choices() -> list[SelectChoice]:
    teachers = db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == Role.TEACHER.value, User.is_active_account.is_(True), User.id != current_user.id)
        .order_by(User.name)
    )
    return [SelectChoice(t.id, t.name, optgroup=t.school.name if t.school else "District") for t in teachers]


@bp.route("/slots/<int:slot_id>/book", methods=["POST"])
def book_for(slot_id: int):
    if not current_user.has_role(Role.COACH):
        abort(403)
    slot = db.get_or_404(VisitSlot, slot_id)
    form = BookForForm()
    form.observer_id.choices = _teacher_choices()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.sign_up(slot=slot, observer=db.session.get(User, form.observer_id.data), actor=current_user),
    ):
        flash("Booked; your colleague has an email and can decline.", "success")
    for message in form.observer_id.errors + form.form_errors:
        flash(message, "error")
    return redirect(url_for("visits.slot", slot_id=slot.id))


@bp.route("/pair", methods=["GET", "POST"])
def pair():
    if not current_user.has_role(Role.COACH):
        abort(403)
    form = PairForm()
    slots = queries.open_slots(limit=300)
    choices = [
        SelectChoice(
            s.id,
            f"{s.host.name} · {s.day.strftime('%a %-d %b')} {clock(s.local_start)}",
            optgroup=s.school.name,
        )
        for s in slots
    ]
    form.first_slot_id.choices = form.second_slot_id.choices = choices
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.pair(
            coach=current_user,
            first_slot=db.session.get(VisitSlot, form.first_slot_id.data),
            second_slot=db.session.get(VisitSlot, form.second_slot_id.data),
        ),
    ):
        flash("Paired: each colleague is booked into the other's classroom and has an email.", "success")
        return redirect(url_for("visits.browse"))
    return render_template("visits/pair.html", form=form), 422 if form.errors else 200

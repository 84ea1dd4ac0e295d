from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.models import Role
from ..extensions import db
from ..forms import commit_or_show_errors
from ..protocols import queries as protocol_queries
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..schools.queries import weekly_schedule
from . import bp, hosting
from .access import hosted_slot_or_403
from .booking_routes import _my_signups, _release_preview, _teacher_choices
from .forms import BookForForm, ChangeSlotForm, OpenClassroomForm
from .models import VisitSlot

OTHER_TIME = 0


@bp.route("/host/new", methods=["GET", "POST"])
def open_classroom():
    if not current_user.has_role(Role.TEACHER):
        abort(403)
    form = OpenClassroomForm()
    school = current_user.school
    periods = school.periods if school else []
    mine = {a.period_id: a for a in weekly_schedule(current_user)}
    form.period_id.choices = [
        SelectChoice(
            p.id,
            f"{p.name} ({p.starts_at.strftime('%-I:%M')}–"
            f"{p.ends_at.strftime('%-I:%M')})"
            + (f" · {mine[p.id].course}" if p.id in mine and mine[p.id].course else ""),
        )
        for p in periods
    ] + [SelectChoice(OTHER_TIME, "Other time")]
    form.protocol_id.choices = [SelectChoice(p.id, p.name) for p in protocol_queries.choices()]
    if not form.is_submitted() and mine:
        teaching = next((a for a in mine.values() if a.kind == "teaching"), None)
        if teaching:
            form.period_id.data, form.room.data = teaching.period_id, teaching.room
    if form.validate_on_submit() and (
        slots := commit_or_show_errors(
            form,
            lambda: hosting.open_classroom(
                host=current_user,
                day=form.day.data,
                period_id=form.period_id.data or None,
                local_start=form.local_start.data,
                local_end=form.local_end.data,
                room=form.room.data or "",
                capacity=form.capacity.data,
                focus_question=form.focus_question.data or "",
                protocol=db.session.get(Protocol, form.protocol_id.data),
                note_for_visitors=form.note_for_visitors.data or "",
                cutoff_hours=form.cutoff_hours.data or 0,
                per_person_limit=form.per_person_limit.data,
                repeat=form.repeat.data,
                weeks=form.weeks.data or 1,
            ),
        )
    ):
        flash(f"Your classroom is open: {len(slots)} visit time{'s' if len(slots) != 1 else ''} posted.", "success")
        return redirect(url_for("visits.mine"))
    return render_template("visits/host_new.html", form=form), 422 if form.errors else 200


@bp.route("/slots/<int:slot_id>")
def slot(slot_id: int):
    slot = db.get_or_404(VisitSlot, slot_id)
    change_form = ChangeSlotForm(obj=slot) if slot.host_id == current_user.id else None
    book_form = None
    if current_user.has_role(Role.COACH):
        book_form = BookForForm()
        book_form.observer_id.choices = _teacher_choices()
    return render_template(
        "visits/slot.html",
        slot=slot,
        mine=_my_signups([slot]),
        change_form=change_form,
        book_form=book_form,
        error=None,
        **_release_preview([slot]),
    )


@bp.route("/slots/<int:slot_id>/change", methods=["POST"])
def change(slot_id: int):
    slot = hosted_slot_or_403(current_user, slot_id)
    form = ChangeSlotForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: hosting.change_slot(
            slot=slot,
            actor=current_user,
            local_start=form.local_start.data,
            local_end=form.local_end.data,
            room=form.room.data or "",
        ),
    ):
        flash("Changed. Everyone coming has an updated calendar invitation.", "success")
        return redirect(url_for("visits.slot", slot_id=slot.id))
    return render_template(
        "visits/slot.html", slot=slot, mine={}, change_form=form, book_form=None, error=None, release=None, uses={}
    ), 422


@bp.route("/slots/<int:slot_id>/cancel", methods=["POST"])
def cancel_slot(slot_id: int):
    slot = hosted_slot_or_403(current_user, slot_id)
    try:
        hosting.cancel_slot(slot=slot, actor=current_user)
    except RuleViolation as violation:  # the visit has started
        db.session.rollback()
        flash(violation.message, "error")
        return redirect(url_for("visits.slot", slot_id=slot.id))
    db.session.commit()
    flash("Cancelled. Everyone who signed up has been told.", "success")
    return redirect(url_for("visits.mine"))

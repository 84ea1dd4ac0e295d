"""A booked visit's notes: opened on the day, with or without signal (the note is then made on the phone
and reaches Walkthrough once, when the phone is back online)."""

from flask import flash, redirect, url_for
from flask_login import current_user

from ..extensions import db
from ..observations.draft_routes import created_or_refused, render_draft, started_at_from
from ..rules import RuleViolation
from . import bp, day_of
from .access import observers_signup_or_403


@bp.route("/signups/<int:signup_id>/start", methods=["POST"])
def start_notes(signup_id: int):
    signup = observers_signup_or_403(current_user, signup_id)
    try:
        observation = day_of.start_notes(signup=signup, actor=current_user)
    except RuleViolation as violation:
        flash(violation.message, "error")
        return redirect(url_for("visits.mine"))
    db.session.commit()
    return redirect(url_for("observations.view", observation_id=observation.id))


@bp.route("/signups/<int:signup_id>/draft")
def draft_notes(signup_id: int):
    signup = observers_signup_or_403(current_user, signup_id)
    if signup.observation_id:
        return redirect(url_for("observations.view", observation_id=signup.observation_id))
    slot = signup.slot
    return render_draft(
        protocol=slot.protocol,
        start_url=url_for("visits.start_notes_offline", signup_id=signup.id),
        host_name=slot.host.name,
        focus_question=slot.focus_question,
    )


@bp.route("/signups/<int:signup_id>/offline-start", methods=["POST"])
def start_notes_offline(signup_id: int):
    signup = observers_signup_or_403(current_user, signup_id)
    return created_or_refused(
        lambda payload, key: day_of.start_notes(
            signup=signup, actor=current_user, client_key=key, started_at=started_at_from(payload)
        )
    )

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..access import role_required
from ..auth.models import Role, User
from ..extensions import db
from ..forms import commit_or_show_errors
from ..ids import arg_id
from ..protocols import queries as protocol_queries
from ..protocols.models import Protocol
from ..rules import RuleViolation
from . import bp, changes, language, queries, services
from .access import can_edit_note, can_reply, editable_observation_or_404, readable_observation_or_404
from .forms import ReplyForm, ShareForm, StartForm

NO_COACH = 0


@bp.route("/")
def mine():
    return render_template(
        "observations/page.html", made=queries.made_by(current_user), shared=queries.shared_with(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TEACHER, Role.COACH)  # admins never observe: visits here are never evaluations
def start():
    form = StartForm(host_id=arg_id("host"))
    form.host_id.choices = [SelectChoice("", "Choose a colleague")] + [
        SelectChoice(
            t.id,
            f"{t.name}{' · ' + t.subjects if t.subjects else ''}",
            optgroup=t.school.name if t.school else "District",
        )
        for t in queries.teachers_to_visit(current_user)
    ]
    form.protocol_id.choices = [SelectChoice(p.id, p.name) for p in protocol_queries.choices()]
    if form.validate_on_submit() and (
        observation := commit_or_show_errors(
            form,
            lambda: services.start_observation(
                observer=current_user,
                host=db.session.get(User, form.host_id.data),
                protocol=db.session.get(Protocol, form.protocol_id.data),
                focus_question=form.focus_question.data or "",
            ),
        )
    ):
        return redirect(url_for("observations.view", observation_id=observation.id))
    return render_template("observations/start.html", form=form), 422 if form.errors else 200


@bp.route("/<int:observation_id>")
def view(observation_id: int):
    observation = readable_observation_or_404(observation_id, current_user, with_page=True)
    if can_edit_note(current_user, observation):
        return render_template(
            "observations/editor.html",
            observation=observation,
            slots=observation.slot_values(),
            photo_form=None,  # only a failed upload's form is shown (its errors, the caption typed)
            word_list=language.word_list()["phrases"],
        )
    return render_template(
        "observations/shared.html",
        observation=observation,
        slots=observation.slot_values(),
        # The box holds the reply already sent, so the host sees it and can change it.
        reply_form=ReplyForm(reply=observation.host_reply) if can_reply(current_user, observation) else None,
    )


@bp.route("/<int:observation_id>/changes", methods=["POST"])
def save_changes(observation_id: int):
    observation = editable_observation_or_404(observation_id, current_user, with_notes=False)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error=changes.BAD_CHANGE), 400
    try:
        results = changes.save(observation=observation, changes=payload.get("changes"))
    except RuleViolation as violation:
        db.session.rollback()
        return jsonify(error=violation.message), 400
    return jsonify(results=results)


@bp.route("/<int:observation_id>/finish", methods=["GET", "POST"])
def finish(observation_id: int):
    observation = editable_observation_or_404(observation_id, current_user)
    reflection = observation.slot_values().get("reflection")
    coaches, own = queries.coaches_for(current_user), queries.own_coach_ids(current_user)
    # Never shared yet: the observer's own coach is the one offered (they can choose "No coach").
    suggested = observation.shared_with_coach_id or (
        next((c.id for c in coaches if c.id in own), NO_COACH) if observation.finished_at is None else NO_COACH
    )
    form = ShareForm(
        share_with_host=observation.shared_with_host_at is not None,
        coach_id=suggested,
        reflection=reflection.value if reflection else "",
    )
    form.coach_id.choices = [SelectChoice(NO_COACH, "No coach")] + [
        SelectChoice(c.id, c.name, optgroup="Your coach" if c.id in own else "Other coaches") for c in coaches
    ]
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: services.share(
            observation=observation,
            actor=current_user,
            with_host=form.share_with_host.data,
            coach=db.session.get(User, form.coach_id.data) if form.coach_id.data else None,
            reflection=form.reflection.data or "",
        ),
    ):
        flash(_share_message(observation), "success")
        return redirect(url_for("observations.mine"))
    return render_template(
        "observations/finish.html",
        observation=observation,
        form=form,
        slots=observation.slot_values(),
        word_list=language.word_list()["phrases"],
    ), 422 if form.errors else 200


def _share_message(observation) -> str:
    shared = [
        who
        for who, yes in (
            ("the teacher you visited", observation.shared_with_host_at),
            ("your coach", observation.shared_with_coach_id),
        )
        if yes
    ]
    return f"Saved. Shared with {' and '.join(shared)}." if shared else "Saved. Your notes are private to you."


@bp.route("/<int:observation_id>/reply", methods=["POST"])
def reply(observation_id: int):
    observation = readable_observation_or_404(observation_id, current_user)
    if not can_reply(current_user, observation):
        abort(403)
    form = ReplyForm()
    if form.validate_on_submit() and commit_or_show_errors(
        form, lambda: services.reply(observation=observation, actor=current_user, text=form.reply.data)
    ):
        flash("Your reply is sent.", "success")
        return redirect(url_for("observations.view", observation_id=observation.id))
    return render_template(
        "observations/shared.html", observation=observation, slots=observation.slot_values(), reply_form=form
    ), 422

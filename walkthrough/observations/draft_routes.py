"""Notes started on a phone that may have no signal: the page that holds them until Walkthrough has them,
and the request that creates them, exactly once, when the phone is back online."""

from datetime import datetime

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role, User
from ..extensions import db
from ..ids import as_id, client_key
from ..protocols.models import Protocol
from ..rules import RuleViolation
from . import bp, language, services
from .models import Observation

NO_KEY = "This note has no key from the phone; reload the page and try again."


def note_addresses(observation: Observation) -> dict:
    """What a phone needs to go on with a note it started offline, once Walkthrough has it."""
    return {
        "id": observation.id,
        "editor_url": url_for("observations.view", observation_id=observation.id),
        "changes_url": url_for("observations.save_changes", observation_id=observation.id),
        "photos_url": url_for("observations.add_photo", observation_id=observation.id),
    }


def render_draft(*, protocol: Protocol, start_url: str, host_name: str = "", focus_question: str = "", **extra):
    return render_template(
        "observations/draft.html",
        protocol=protocol,
        start_url=start_url,
        host_name=host_name,
        focus_question=focus_question,
        word_list=language.word_list()["phrases"],
        **extra,
    )


def started_at_from(payload: dict) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(payload.get("started_at", "")))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def created_or_refused(create):
    """Run a creation the phone asked for: the note's addresses, or why not (the phone shows it)."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not (key := client_key(payload.get("client_key"))):
        return jsonify(error=NO_KEY), 400
    try:
        observation = create(payload, key)
    except RuleViolation as violation:
        db.session.rollback()
        return jsonify(error=violation.message), 422
    db.session.commit()
    return jsonify(note_addresses(observation))


@bp.route("/draft/<int:protocol_id>")
@role_required(Role.TEACHER, Role.COACH)
def draft(protocol_id: int):
    """An open-door visit started offline. The phone holds whose class it is; once the note exists, the
    same address (with the phone's key) leads to it."""
    key = client_key(request.args.get("key"))
    if key and (existing := services.note_with_key(current_user, key)):
        return redirect(url_for("observations.view", observation_id=existing.id))
    protocol = db.get_or_404(Protocol, protocol_id)
    if protocol.archived:
        abort(404)
    return render_draft(protocol=protocol, start_url=url_for("observations.start_offline"))


@bp.route("/offline-start", methods=["POST"])
@role_required(Role.TEACHER, Role.COACH)
def start_offline():
    def create(payload, key):
        return services.start_observation(
            observer=current_user,
            host=db.session.get(User, as_id(payload.get("host_id")) or 0),
            protocol=db.session.get(Protocol, as_id(payload.get("protocol_id")) or 0),
            focus_question=str(payload.get("focus_question") or ""),
            client_key=key,
            started_at=started_at_from(payload),
        )

    return created_or_refused(create)

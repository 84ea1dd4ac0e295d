"""Recording a classroom on a phone. The page works offline: walk.js keeps each capture on the phone
until the server has it, and the server takes each capture once, by the key the phone gave it."""

import secrets
from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..rules import RuleViolation
from ..schools.times import local_today
from . import bp, queries
from .access import can_capture, can_read_evidence
from .capture import capture_classroom
from .models import GRADE_BANDS, SUBJECT_AREAS, WalkClassroom


def _capturable(walk_id: int):
    walk = queries.walk_or_none(walk_id)
    if walk is None or not can_capture(current_user, walk):
        abort(404)
    return walk


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.route("/<int:walk_id>/capture")
def capture(walk_id: int):
    walk = _capturable(walk_id)
    return _capture_page(walk)


def _capture_page(walk, *, error: str = "", values: dict | None = None, status: int = 200):
    mine = queries.my_classrooms(walk, current_user)
    return (
        render_template(
            "walks/capture.html",
            walk=walk,
            today=local_today(walk.school),
            grade_bands=GRADE_BANDS,
            subject_areas=SUBJECT_AREAS,
            recorded=len(mine),
            error=error,
            client_key=secrets.token_hex(16),
            values=values or {},
        ),
        status,
    )


@bp.route("/<int:walk_id>/capture", methods=["POST"])
def record_classroom(walk_id: int):
    walk = _capturable(walk_id)
    form = request.form
    marks = {item["key"]: form.get(f"mark-{item['key']}", "") for item in walk.look_fors}
    tallies = {item["key"]: form.get(f"tally-{item['key']}", "") for item in walk.look_fors}
    try:
        classroom, new = capture_classroom(
            walk=walk,
            walker=current_user,
            client_key=form.get("client_key", ""),
            visited_on=_day(form.get("visited_on")),
            grade_band=form.get("grade_band", ""),
            subject_area=form.get("subject_area", ""),
            marks=marks,
            tallies=tallies,
            evidence=form.get("evidence", ""),
        )
    except RuleViolation as refused:
        db.session.rollback()
        if _wants_json():
            return jsonify(error=refused.message, field=refused.field), 422
        return _capture_page(walk, error=refused.message, values=form.to_dict(), status=422)
    db.session.commit()
    recorded = len(queries.my_classrooms(walk, current_user))
    if _wants_json():
        return jsonify(id=classroom.id, new=new, recorded=recorded), 201 if new else 200
    flash(f"Classroom {recorded} saved. On to the next one.", "success")
    return redirect(url_for("walks.capture", walk_id=walk.id))


@bp.route("/classrooms/<int:classroom_id>/delete", methods=["POST"])
def delete_classroom(classroom_id: int):
    """A walker may take back a classroom they recorded by mistake (a double tap, the wrong walk)."""
    classroom = db.get_or_404(WalkClassroom, classroom_id)
    if not can_read_evidence(current_user, classroom):
        abort(404)
    walk_id = classroom.walk_id
    db.session.delete(classroom)
    db.session.commit()
    flash("That classroom is removed from the walk.", "success")
    return redirect(url_for("walks.walk", walk_id=walk_id) + "#mine")

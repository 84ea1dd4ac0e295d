"""The coverage board's approve and refuse buttons for visits that take a teacher away from class. The
action lives with visits (it changes a booking) and answers on the board, so it joins coverage's blueprint
at its old address (coverage.decide, /coverage/approval)."""

from flask import abort, request
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role
from ..coverage import bp as coverage_bp
from ..coverage.board_view import job_response, school_and_day
from ..extensions import db
from ..ids import form_id
from ..rules import RuleViolation
from . import approvals
from .models import SignUp


@coverage_bp.route("/approval", methods=["POST"])
@role_required(Role.ADMIN)
def decide():
    """Approve or refuse a visit that takes a teacher away from class."""
    school, day = school_and_day()
    signup = db.get_or_404(SignUp, form_id("signup_id") or 0)
    if signup.observer.school_id != school.id:
        abort(404)
    try:
        decision = approvals.approve if request.form.get("decision") == "approve" else approvals.refuse
        decision(signup=signup, admin=current_user)
    except RuleViolation as violation:
        db.session.rollback()
        return job_response(school, day, signup.observer_id, 422, violation.message)
    db.session.commit()
    return job_response(school, day, signup.observer_id)

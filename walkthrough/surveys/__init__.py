"""Feedback and needs-assessment surveys: anonymous, shown at five answers or more, shared back with those asked."""

from flask import Blueprint, abort
from flask_login import current_user

from ..auth.people import STAFF_ROLES

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


@bp.before_request
def _staff_only():
    """Surveys ask schools' staff; substitutes, who work across schools day by day, are never asked."""
    if not current_user.has_role(*STAFF_ROLES):
        abort(403)


from . import answer_routes, survey_routes  # noqa: E402,F401

"""The audit log, for admins to read. There is no route that changes or deletes an entry."""

from flask import render_template, request
from flask_login import current_user

from ..access import role_required
from ..audit.services import ACTIONS
from ..auth.models import Role
from . import bp
from .audit_log import events


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit_log():
    action = request.args.get("action", "")
    action = action if action in ACTIONS else ""
    page = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    found, more = events(current_user, action or None, page)
    return render_template("admin/audit.html", events=found, more=more, page=page, action=action, actions=ACTIONS)

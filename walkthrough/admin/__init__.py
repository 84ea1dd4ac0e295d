from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_routes, calendar_routes, departure_routes, email_routes, people_routes, roster_routes, school_routes  # noqa: E402,F401

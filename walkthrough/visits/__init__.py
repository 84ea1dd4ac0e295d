from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/visits")

from . import approval_routes, booking_routes, calendar_routes, hosting_routes  # noqa: E402,F401

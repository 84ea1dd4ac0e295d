from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/visits")

from ..observations.services import STARTED_HOOKS  # noqa: E402
from . import approval_routes, booking_routes, calendar_routes, day_of, hosting_routes, notes_routes  # noqa: E402,F401

STARTED_HOOKS.append(day_of.attach_to_booking)

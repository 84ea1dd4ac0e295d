from flask import Blueprint

bp = Blueprint("observations", __name__, url_prefix="/observations")

from . import draft_routes, note_routes, photo_routes  # noqa: E402,F401

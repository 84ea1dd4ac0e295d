from flask import Blueprint

bp = Blueprint("observations", __name__, url_prefix="/observations")

from . import note_routes, photo_routes  # noqa: E402,F401

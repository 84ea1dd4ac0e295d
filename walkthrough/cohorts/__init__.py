from flask import Blueprint

bp = Blueprint("cohorts", __name__)

from . import learning_routes, routes  # noqa: E402,F401

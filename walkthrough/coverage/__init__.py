from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from . import board_routes, job_routes, request_routes  # noqa: E402,F401

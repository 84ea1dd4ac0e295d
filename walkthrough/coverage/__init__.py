from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from . import board_routes, job_routes, request_routes, substitute_routes  # noqa: E402,F401
from .notify import class_line  # noqa: E402

# "Period 2 9:00–9:50 am: Math, room 12", for the call-out emails' list of classes.
bp.add_app_template_filter(class_line, "cover_line")

from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from . import (  # noqa: E402,F401
    board_routes,
    job_routes,
    payroll_routes,
    reason_routes,
    request_routes,
    substitute_routes,
)
from .choices import cover_choices  # noqa: E402
from .notify import class_line  # noqa: E402
from .reasons import label_of  # noqa: E402

# "Period 2 9:00–9:50 am: Math, room 12", for the call-out emails' list of classes.
bp.add_app_template_filter(class_line, "cover_line")
bp.add_app_template_filter(label_of, "reason_label")
bp.add_app_template_global(cover_choices, "cover_choices")

from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/coaching")

from ..observations.queries import OWN_COACHES  # noqa: E402
from . import caseload_routes, export_routes, record_routes  # noqa: E402,F401
from .consent import accepted_coach_ids  # noqa: E402

OWN_COACHES.append(accepted_coach_ids)

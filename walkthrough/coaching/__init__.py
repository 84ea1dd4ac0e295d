from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/coaching")

from . import caseload_routes, export_routes, record_routes  # noqa: E402,F401

from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/coaching")

from . import export_routes, record_routes, routes  # noqa: E402,F401

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from . import dashboard_routes, portfolio_routes  # noqa: E402,F401

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from . import portfolio_routes, routes  # noqa: E402,F401

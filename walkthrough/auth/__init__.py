from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import routes, sso_routes  # noqa: E402,F401

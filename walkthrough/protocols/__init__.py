from flask import Blueprint

bp = Blueprint("protocols", __name__, url_prefix="/protocols")

from . import routes  # noqa: E402,F401

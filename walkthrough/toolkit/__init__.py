"""The toolkit: the district's library of how-to-observe guides, norms, protocol guides, videos and files."""

from flask import Blueprint

bp = Blueprint("toolkit", __name__, url_prefix="/toolkit")

from . import routes  # noqa: E402,F401

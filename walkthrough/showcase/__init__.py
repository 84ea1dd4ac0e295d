"""The district's showcase of practice: excerpts and photos from visits, published with both teachers' consent."""

from flask import Blueprint, abort
from flask_login import current_user

from ..auth.people import STAFF_ROLES

bp = Blueprint("showcase", __name__, url_prefix="/showcase")


@bp.before_request
def _staff_only():
    if not current_user.has_role(*STAFF_ROLES):
        abort(403)


from . import routes  # noqa: E402,F401

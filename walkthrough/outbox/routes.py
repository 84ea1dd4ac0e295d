"""One-click unsubscribe from a kind of nudge (RFC 8058): the signed link is the proof of who, so it works
without signing in and without a CSRF token, which a mail provider's POST can't carry. A GET only asks."""

from flask import Blueprint, abort, render_template, request

from ..access import public
from ..extensions import csrf, db
from .preferences import NUDGES, mute, read_unsubscribe_token

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token: str):
    found = read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user_id, kind = found
    if request.method == "POST":
        mute(user_id=user_id, kind=kind)
        db.session.commit()
    return render_template(
        "notifications/unsubscribe.html", kind=kind, what=NUDGES[kind], done=request.method == "POST", token=token
    )

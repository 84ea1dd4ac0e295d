"""Admin › Email: what the outbox holds and whether the worker is alive, without any message's body (a body
can hold someone's sign-in link). A district admin sees every message; a school's admin, their staff's."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..access import role_required
from ..audit.services import record as audit
from ..auth.models import Role, User
from ..extensions import db
from ..outbox.delivery import try_again
from ..outbox.models import OutboxMessage, OutboxStatus
from ..worker.cli import live_workers
from . import bp

PAGE = 50
# What each tab shows: "failing" is waiting for another try after at least one failed.
SHOWN = {
    "": ("Everything", None),
    "waiting": ("Waiting", OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING])),
    "failing": ("Failing", (OutboxMessage.status == OutboxStatus.QUEUED) & (OutboxMessage.attempts > 0)),
    "failed": ("Failed", OutboxMessage.status == OutboxStatus.FAILED),
    "sent": ("Sent", OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.LOGGED])),
}


def _visible(query):
    if current_user.school_id is None:
        return query
    staff = select(func.lower(User.email)).where(User.school_id == current_user.school_id)
    return query.where(OutboxMessage.recipient.in_(staff))


@bp.route("/email")
@role_required(Role.ADMIN)
def email():
    shown = request.args.get("show", "")
    shown = shown if shown in SHOWN else ""
    page = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    query = _visible(select(OutboxMessage))
    if SHOWN[shown][1] is not None:
        query = query.where(SHOWN[shown][1])
    found = list(db.session.scalars(query.order_by(OutboxMessage.id.desc()).offset((page - 1) * PAGE).limit(PAGE + 1)))
    counts = dict(
        db.session.execute(_visible(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all()
    )
    return render_template(
        "admin/email.html",
        messages=found[:PAGE],
        more=len(found) > PAGE,
        page=page,
        shown=shown,
        tabs={key: label for key, (label, _) in SHOWN.items()},
        counts=counts,
        workers=live_workers(),
    )


@bp.route("/email/<int:message_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry_email(message_id: int):
    message = db.session.scalar(_visible(select(OutboxMessage).where(OutboxMessage.id == message_id)))
    if message is None:
        abort(404)
    if try_again(message):
        audit(current_user, "email_retried", message=message.id, to=message.recipient)
        db.session.commit()
        flash(f"The message to {message.recipient} will be sent again now.", "success")
    return redirect(url_for("admin.email", show=request.args.get("show") or None))

"""Writing email: each message is rendered from its template and stored in the outbox in the caller's
transaction. Nothing is sent here; the worker delivers it once the transaction has committed (delivery.py)."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, has_app_context
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..db_types import utcnow
from ..extensions import db
from ..text import one_line
from .models import OutboxMessage, OutboxStatus
from .render import render_email

_PENDING = "outbox_pending"


def _message_domain() -> str:
    """Message-IDs name the sending domain, so mail clients can tell our messages apart from others'."""
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "walkthrough.localhost"


def compose(*, to: str, subject: str, text: str, html: str, calendar: str = "", unsubscribe: str = "") -> EmailMessage:
    """A message every client reads: Date, Message-ID, a text part and an HTML part, and a calendar
    invitation both inline (so the client shows its card) and as a file."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=_message_domain())
    # RFC 3834: automatic mail, so out-of-office replies are not sent back to it.
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if calendar:
        method = "CANCEL" if "METHOD:CANCEL" in calendar else "REQUEST"
        message.add_alternative(calendar, subtype="calendar", params={"method": method})
        message.add_attachment(calendar.encode(), maintype="application", subtype="ics", filename="invite.ics")
    return message


def send_email(*, to: str, kind: str, calendar: str = "", unsubscribe: str = "", **context) -> OutboxMessage:
    """Write one email, made from templates/email/<kind>.html with `context`, to the outbox. It goes out after
    the caller's transaction commits, and never if it rolls back."""
    # Names were typed by people; a line break stored before the single-line rule would break a header.
    to = one_line(to)
    rendered = render_email(kind, context | {"base_url": current_app.config["BASE_URL"], "unsubscribe": unsubscribe})
    subject = one_line(rendered.subject)[:200]
    message = compose(
        to=to, subject=subject, text=rendered.text, html=rendered.html, calendar=calendar, unsubscribe=unsubscribe
    )
    record = OutboxMessage(
        recipient=to,
        subject=subject,
        kind=kind,
        body=rendered.text,
        mime=message.as_string(),
        message_id=message["Message-ID"],
        calendar=calendar,
    )
    db.session.add(record)
    db.session.flush()
    deliver_after_commit(record.id)
    return record


def deliver_after_commit(message_id: int) -> None:
    db.session.info.setdefault(_PENDING, []).append(message_id)


def keep_unsent() -> int:
    """Mark every waiting message as written to the log without sending it: the demo's seeded history."""
    db.session.info.pop(_PENDING, None)
    return db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.LOGGED, sent_at=utcnow())
    ).rowcount


@event.listens_for(Session, "after_commit")
def _wake_the_worker(session: Session) -> None:
    """Committed messages are handed to the task queue at once; one lost here (a crash right after the
    commit) is still in the table, and the worker's sweep sends it within a minute."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    wake = has_app_context() and current_app.extensions.get("outbox_wake")
    if wake:
        wake(pending)


@event.listens_for(Session, "after_rollback")
def _forget_unsent(session: Session) -> None:
    session.info.pop(_PENDING, None)

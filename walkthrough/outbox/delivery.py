"""Delivering the outbox: the worker claims a message, hands it to the SMTP server and records what
happened. A message is claimed by one worker at a time (a conditional UPDATE both databases serialise);
a worker that dies holding one lets it go when its lease runs out, and another sends it."""

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..db_types import utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus
from .services import deliver_after_commit

log = logging.getLogger(__name__)

# Minutes to wait after each failed try; after the last the message is marked failed for an admin to retry.
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60, 120, 240)


def _smtp_client():
    config = current_app.config
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    if config["SMTP_SSL"]:
        return smtplib.SMTP_SSL(host, port, timeout=15, context=ssl.create_default_context())
    return smtplib.SMTP(host, port, timeout=15)


def _hand_to_smtp(message: OutboxMessage) -> None:
    config = current_app.config
    with _smtp_client() as client:
        if config["SMTP_STARTTLS"]:
            client.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        # A str is sent with its line ends made CRLF, as SMTP wants; the stored text is ASCII (MIME-encoded).
        client.sendmail(parseaddr(config["MAIL_FROM"])[1], [message.recipient], message.mime)


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer means the server will never take this message; anything else may pass on a later try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", 0)
    return isinstance(code, int) and 500 <= code < 600 and not isinstance(error, smtplib.SMTPAuthenticationError)


def _claimable(now: datetime):
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def _claim(message_id: int, now: datetime) -> bool:
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status=OutboxStatus.SENDING, lease_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def deliver(message_id: int, *, now: datetime | None = None) -> str | None:
    """Try to send one message; returns its status afterwards, or None if it was not this worker's to send
    (already sent, claimed by another worker, or waiting for its next try)."""
    now = now or utcnow()
    if not _claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    if not current_app.config["SMTP_HOST"]:
        log.info("Email (no SMTP configured) to %s: %s\n%s", message.recipient, message.subject, message.body)
        _finish(message, OutboxStatus.LOGGED)
    else:
        try:
            _hand_to_smtp(message)
        except (OSError, smtplib.SMTPException) as error:
            _failed_try(message, error, now)
        else:
            _finish(message, OutboxStatus.SENT)
    db.session.commit()
    return message.status


def _finish(message: OutboxMessage, status: str) -> None:
    message.status = status
    message.sent_at = utcnow()
    message.lease_until = None
    message.error = ""


def _failed_try(message: OutboxMessage, error: Exception, now: datetime) -> None:
    message.error = f"{type(error).__name__}: {error}"[:500]
    message.lease_until = None
    if _is_permanent(error) or message.attempts > len(BACKOFF_MINUTES):
        message.status = OutboxStatus.FAILED
        log.error("Email %s to %s failed for good: %s", message.id, message.recipient, message.error)
        return
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
    log.warning(
        "Email %s to %s failed (try %s), trying again at %s: %s",
        message.id,
        message.recipient,
        message.attempts,
        message.next_attempt_at,
        message.error,
    )


def due_messages(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    now = now or utcnow()
    return list(
        db.session.scalars(select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit))
    )


def deliver_due(*, now: datetime | None = None) -> int:
    """Send everything that is due: new messages the queue missed, retries whose time has come, and messages
    a dead worker was holding. Returns how many were sent or logged."""
    done = 0
    for message_id in due_messages(now=now):
        if deliver(message_id, now=now) in (OutboxStatus.SENT, OutboxStatus.LOGGED):
            done += 1
    return done


def try_again(message: OutboxMessage) -> bool:
    """An admin's retry of a failed or waiting message: it is due now, with a fresh set of tries."""
    if message.status not in (OutboxStatus.FAILED, OutboxStatus.QUEUED):
        return False
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
    deliver_after_commit(message.id)
    return True

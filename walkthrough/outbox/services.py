"""Sending email: through SMTP when it is configured, otherwise to the outbox table and the log."""

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

from ..extensions import db
from ..text import one_line
from .models import OutboxMessage

log = logging.getLogger(__name__)


def _deliver_by_smtp(message: EmailMessage) -> None:
    config = current_app.config
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    if config["SMTP_SSL"]:
        client = smtplib.SMTP_SSL(host, port, timeout=15, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=15)
    with client:
        if config["SMTP_STARTTLS"]:
            client.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        client.send_message(message)


def send_email(*, to: str, subject: str, body: str, calendar: str = "") -> OutboxMessage:
    """Send one plain-text email, with a calendar invitation attached if given, and record it.
    A failed delivery is logged, never raised: the action that triggered the email has still happened."""
    # Names in subjects were typed by people; a line break stored before the single-line rule would make
    # the header invalid, so headers are always one line.
    to, subject = one_line(to), one_line(subject)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if calendar:
        method = "CANCEL" if "METHOD:CANCEL" in calendar else "REQUEST"
        message.add_attachment(
            calendar.encode(), maintype="text", subtype="calendar", filename="visit.ics", params={"method": method}
        )

    record = OutboxMessage(recipient=to, subject=subject, body=body, calendar=calendar)
    if current_app.config["SMTP_HOST"]:
        try:
            _deliver_by_smtp(message)
            record.delivery = "smtp"
        except (OSError, smtplib.SMTPException) as error:
            log.error("Email to %s failed: %s", to, error)
            record.delivery = "failed"
            record.error = str(error)[:500]
    else:
        record.delivery = "log"
        log.info("Email (no SMTP configured) to %s: %s\n%s", to, subject, body)
    db.session.add(record)
    db.session.flush()
    return record

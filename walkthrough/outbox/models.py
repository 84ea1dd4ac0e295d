from datetime import datetime, time

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class OutboxStatus:
    QUEUED = "queued"  # waiting for the worker (again, after a failed try: `attempts` and `error` say so)
    SENDING = "sending"  # a worker holds it until `lease_until`; a worker that died lets it go then
    SENT = "sent"  # the SMTP server accepted it
    LOGGED = "logged"  # no SMTP server is configured: written to the log instead
    FAILED = "failed"  # refused for good, or every retry failed; an admin can try again


class OutboxMessage(db.Model):
    """Every email, written in the same transaction as the action that causes it and delivered by the worker
    only after that transaction commits (the transactional outbox)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    # Which template made it (visits/booked, auth/reset ...): what admins see instead of the body.
    kind: Mapped[str] = mapped_column(String(40), default="")
    # The text part; kept for the site without SMTP and the tests, never shown to admins (reset links).
    body: Mapped[str] = mapped_column(Text)
    # The whole message as it goes over SMTP, Date and Message-ID included, so every retry sends the same bytes.
    mime: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(String(500), default="")
    # A calendar invitation (.ics) sent with the message, if any.
    calendar: Mapped[str] = mapped_column(Text, default="")


class NotificationSetting(db.Model):
    """What reminders a person wants and when they'd rather not hear from us. Messages about something that
    happened (a booking, a reset link) always go; nudges respect these."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Comma-separated nudge kinds the person turned off.
    muted: Mapped[str] = mapped_column(String(200), default="")
    quiet_hours: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_from: Mapped[time] = mapped_column(Time, default=time(19, 0))
    quiet_until: Mapped[time] = mapped_column(Time, default=time(7, 0))


class WorkerBeat(db.Model):
    """The last time each worker process said it was alive (Admin › Email and `flask worker status`)."""

    __tablename__ = "worker_beats"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SentNudge(db.Model):
    """One row per nudge sent ("reflect on visit 12", "caseload week 2026-W49"), so a nudge job that runs
    every hour, or in two workers at once, sends each nudge once: the unique key decides."""

    __tablename__ = "sent_nudges"
    __table_args__ = (db.UniqueConstraint("kind", "key", name="uq_sent_nudges_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class OutboxMessage(db.Model):
    """Every email the app sends, so a site without SMTP still has a record of it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "smtp" once the SMTP server accepted it, "log" when no SMTP server is configured, "failed" otherwise.
    delivery: Mapped[str] = mapped_column(String(10))
    error: Mapped[str] = mapped_column(String(500), default="")
    # A calendar invitation (.ics) sent with the message, if any.
    calendar: Mapped[str] = mapped_column(Text, default="")

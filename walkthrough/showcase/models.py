"""The district's gallery of practice. An item is a copy of an excerpt (and perhaps a photo) an observer chose
from their own visit notes; it is shown only while both the observer and the host consent, and leaves the
gallery the moment either withdraws."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class ShowcaseItem(db.Model):
    __tablename__ = "showcase_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observations.id", ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    excerpt: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))
    observer_consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    host_consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    host_declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    observation = relationship("Observation")
    observer = relationship("User", foreign_keys=[observer_id])
    host = relationship("User", foreign_keys=[host_id])
    photo = relationship("Photo")

    @property
    def published(self) -> bool:
        return self.host_consented_at is not None and self.withdrawn_at is None

    @property
    def status(self) -> str:
        if self.withdrawn_at is not None:
            return "Withdrawn"
        if self.host_declined_at is not None:
            return "Declined by the host"
        return "In the gallery" if self.host_consented_at else "Waiting for the host"

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from .fields import check_template


class Protocol(db.Model):
    __tablename__ = "protocols"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Built-in protocols have a slug; copies don't.
    slug: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text, default="")
    during: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("protocols.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["ProtocolVersion"]] = relationship(
        back_populates="protocol", order_by="ProtocolVersion.number", cascade="all, delete-orphan"
    )
    owner = relationship("User")
    copied_from = relationship("Protocol", remote_side=[id])

    @property
    def is_built_in(self) -> bool:
        return self.slug is not None

    @property
    def current(self) -> "ProtocolVersion":
        return self.versions[-1]


class ProtocolVersion(db.Model):
    """One frozen note template. Observations point at a version, so later edits never touch them."""

    __tablename__ = "protocol_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    protocol: Mapped[Protocol] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("protocol_id", "number", name="uq_protocol_versions_protocol_number"),)

    @validates("fields")
    def _only_descriptive_field_kinds(self, key, fields):
        return check_template(fields)

    def field(self, key: str) -> dict | None:
        return next((f for f in self.fields if f["key"] == key), None)

"""The district's toolkit: how-to-observe guides, norms for a safe and trusting culture, protocol guides and
links to videos and files, tagged by goal and protocol. Every member of staff reads it; admins and coaches
keep it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class ResourceKind(StrEnum):
    GUIDE = "guide"
    NORMS = "norms"
    PROTOCOL_GUIDE = "protocol_guide"
    VIDEO = "video"
    FILE = "file"
    LINK = "link"

    @property
    def label(self) -> str:
        return {
            "guide": "How-to guide",
            "norms": "Norms",
            "protocol_guide": "Protocol guide",
            "video": "Video",
            "file": "File",
            "link": "Link",
        }[self.value]


class ToolkitResource(db.Model):
    __tablename__ = "toolkit_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # http(s) only, checked when saved
    protocol_id: Mapped[int | None] = mapped_column(ForeignKey("protocols.id", ondelete="SET NULL"), index=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    protocol = relationship("Protocol")
    updated_by = relationship("User")
    tags: Mapped[list["ToolkitTag"]] = relationship(
        cascade="all, delete-orphan", order_by="ToolkitTag.tag", lazy="selectin"
    )

    @property
    def kind_label(self) -> str:
        return ResourceKind(self.kind).label

    @property
    def web_link(self) -> str:
        """The link, only if it is a web address: checked when saved, and again here for anything stored
        another way, so a page never holds a javascript: link."""
        return self.link if self.link.lower().startswith(("https://", "http://")) else ""

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]


class ToolkitTag(db.Model):
    """A goal a resource serves ("student discourse", "trust"), lower-case."""

    __tablename__ = "toolkit_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("toolkit_resources.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(40), index=True)

    __table_args__ = (UniqueConstraint("resource_id", "tag", name="uq_toolkit_tags_resource_tag"),)

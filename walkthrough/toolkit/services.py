"""Saving and finding toolkit resources."""

from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..audit.services import record as audit
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..text import LIKE_ESCAPE, like_literal
from .access import can_edit
from .models import ResourceKind, ToolkitResource, ToolkitTag

MAX_TAGS = 8
CANNOT_EDIT = "Admins and coaches keep the toolkit."
BAD_LINK = "Give a full web address starting with https:// (or http://)."
LINK_NEEDED = "Videos, files and links need their web address."
TOO_MANY_TAGS = f"Use at most {MAX_TAGS} tags, separated by commas."
BAD_PROTOCOL = "Choose a protocol from the list, or none."


def clean_tags(text: str) -> list[str]:
    tags = [" ".join(t.split()).lower()[:40] for t in text.split(",") if t.strip()]
    tags = list(dict.fromkeys(tags))
    if len(tags) > MAX_TAGS:
        raise RuleViolation(TOO_MANY_TAGS, field="tags")
    return tags


def clean_link(link: str, kind: str) -> str:
    link = link.strip()
    if not link:
        if kind in (ResourceKind.VIDEO, ResourceKind.FILE, ResourceKind.LINK):
            raise RuleViolation(LINK_NEEDED, field="link")
        return ""
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in link):
        raise RuleViolation(BAD_LINK, field="link")
    return link


def save_resource(
    *,
    actor: User,
    resource: ToolkitResource | None,
    title: str,
    kind: str,
    summary: str,
    body: str,
    link: str,
    protocol_id: int | None,
    tags: str,
) -> ToolkitResource:
    if not can_edit(actor):
        raise RuleViolation(CANNOT_EDIT)
    if protocol_id and db.session.get(Protocol, protocol_id) is None:
        raise RuleViolation(BAD_PROTOCOL, field="protocol_id")
    kind = ResourceKind(kind).value
    cleaned_link, cleaned_tags = clean_link(link, kind), clean_tags(tags)
    resource = resource or ToolkitResource()
    resource.title, resource.kind, resource.summary = title.strip(), kind, summary.strip()
    resource.body, resource.link, resource.protocol_id = body.strip(), cleaned_link, protocol_id or None
    resource.updated_by_id, resource.updated_at = actor.id, utcnow()
    # Kept tags stay the same rows: a flush inserts before it deletes, so re-adding one would clash.
    kept = {t.tag: t for t in resource.tags}
    resource.tags = [kept.get(tag) or ToolkitTag(tag=tag) for tag in cleaned_tags]
    db.session.add(resource)
    db.session.flush()
    audit(actor, "saved", what="toolkit resource", id=resource.id)
    return resource


def delete_resource(*, actor: User, resource: ToolkitResource) -> None:
    if not can_edit(actor):
        raise RuleViolation(CANNOT_EDIT)
    audit(actor, "deleted", what="toolkit resource", id=resource.id, title=resource.title)
    db.session.delete(resource)
    db.session.flush()


def _like(text: str) -> str:
    return "%" + like_literal(text) + "%"


def search(*, words: str = "", tag: str = "", kind: str = "", protocol_id: int | None = None) -> list[ToolkitResource]:
    """Every word must appear in the title, summary, text or tags (any case)."""
    query = select(ToolkitResource)
    for word in words.split()[:8]:
        pattern = _like(word.lower())
        query = query.where(
            or_(
                ToolkitResource.title.ilike(pattern, escape=LIKE_ESCAPE),
                ToolkitResource.summary.ilike(pattern, escape=LIKE_ESCAPE),
                ToolkitResource.body.ilike(pattern, escape=LIKE_ESCAPE),
                ToolkitResource.id.in_(
                    select(ToolkitTag.resource_id).where(ToolkitTag.tag.like(pattern, escape=LIKE_ESCAPE))
                ),
            )
        )
    if tag:
        query = query.where(ToolkitResource.id.in_(select(ToolkitTag.resource_id).where(ToolkitTag.tag == tag)))
    if kind:
        query = query.where(ToolkitResource.kind == kind)
    if protocol_id:
        query = query.where(ToolkitResource.protocol_id == protocol_id)
    return list(
        db.session.scalars(query.options(selectinload(ToolkitResource.protocol)).order_by(ToolkitResource.title))
    )


def all_tags() -> list[str]:
    return list(db.session.scalars(select(ToolkitTag.tag).distinct().order_by(ToolkitTag.tag)))

"""Reading the audit log: district admins see every entry, a school's admin the entries of its staff."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEvent
from ..auth.models import User
from ..extensions import db

PAGE_SIZE = 50


def events(viewer: User, action: str | None, page: int) -> tuple[list[AuditEvent], bool]:
    """One page of entries, newest first, and whether there are older ones."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if viewer.school_id is not None:
        staff = select(User.id).where(User.school_id == viewer.school_id)
        query = query.where(AuditEvent.actor_id.in_(staff))
    if action:
        query = query.where(AuditEvent.action == action)
    found = db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return list(found[:PAGE_SIZE]), len(found) > PAGE_SIZE

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Protocol


def library() -> list[Protocol]:
    """Every protocol on offer: built-ins first, then the district's own copies."""
    return list(
        db.session.scalars(
            select(Protocol)
            .where(Protocol.archived.is_(False))
            .options(selectinload(Protocol.versions))
            .order_by(Protocol.slug.is_(None), Protocol.name)
        )
    )

from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Protocol


def choices() -> list[Row]:
    """Every protocol on offer as id and name, in the library's order: for filters and pickers."""
    return db.session.execute(
        select(Protocol.id, Protocol.name)
        .where(Protocol.archived.is_(False))
        .order_by(Protocol.slug.is_(None), Protocol.name)
    ).all()


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

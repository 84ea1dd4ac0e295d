"""Proposing, consenting to and withdrawing showcase items. Each change tells the other teacher, in the same
transaction."""

from sqlalchemy import update

from ..audit.services import record as audit
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import Observation, Photo
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..urls import external_url
from .access import can_answer, can_propose, can_withdraw
from .models import ShowcaseItem

MAX_EXCERPT = 1000
NOT_YOURS = "Only the visit's observer proposes an excerpt from its notes."
NEEDS_EXCERPT = "Write or paste the excerpt to show."
EXCERPT_TOO_LONG = f"Keep the excerpt under {MAX_EXCERPT:,} characters; a gallery item is a glimpse."
NOT_THIS_VISIT = "Choose one of this visit's photos."
ALREADY_ANSWERED = "This has been answered already."
CANNOT_WITHDRAW = "Only its observer or host can withdraw it, and only once."


def propose(*, observation: Observation, actor: User, title: str, excerpt: str, photo_id: int | None) -> ShowcaseItem:
    if not can_propose(actor, observation):
        raise RuleViolation(NOT_YOURS)
    excerpt = excerpt.strip()
    if not excerpt:
        raise RuleViolation(NEEDS_EXCERPT, field="excerpt")
    if len(excerpt) > MAX_EXCERPT:
        raise RuleViolation(EXCERPT_TOO_LONG, field="excerpt")
    photo = db.session.get(Photo, photo_id) if photo_id else None
    if photo_id and (photo is None or photo.observation_id != observation.id):
        raise RuleViolation(NOT_THIS_VISIT, field="photo_id")
    item = ShowcaseItem(
        observation_id=observation.id,
        observer_id=observation.observer_id,
        host_id=observation.host_id,
        title=title.strip(),
        excerpt=excerpt,
        photo_id=photo.id if photo else None,
    )
    db.session.add(item)
    db.session.flush()
    host = db.session.get(User, observation.host_id)
    send_email(
        to=host.email,
        kind="showcase/asked",
        person=host,
        item=item,
        observer=actor,
        link=external_url("showcase.item", item_id=item.id),
    )
    audit(actor, "proposed", what="showcase item", id=item.id)
    return item


def _claim(item: ShowcaseItem, **values) -> None:
    """Set the host's answer only if nobody answered or withdrew in the meantime (two taps, two tabs)."""
    done = db.session.execute(
        update(ShowcaseItem)
        .where(
            ShowcaseItem.id == item.id,
            ShowcaseItem.host_consented_at.is_(None),
            ShowcaseItem.host_declined_at.is_(None),
            ShowcaseItem.withdrawn_at.is_(None),
        )
        .values(**values)
    )
    if done.rowcount != 1:
        raise RuleViolation(ALREADY_ANSWERED)
    db.session.refresh(item)


def consent(*, item: ShowcaseItem, actor: User) -> None:
    if not can_answer(actor, item):
        raise RuleViolation(ALREADY_ANSWERED)
    _claim(item, host_consented_at=utcnow())
    _tell(item.observer, "showcase/published", item)
    audit(actor, "consented", what="showcase item", id=item.id)


def decline(*, item: ShowcaseItem, actor: User) -> None:
    if not can_answer(actor, item):
        raise RuleViolation(ALREADY_ANSWERED)
    _claim(item, host_declined_at=utcnow())
    _tell(item.observer, "showcase/declined", item)
    audit(actor, "declined", what="showcase item", id=item.id)


def withdraw(*, item: ShowcaseItem, actor: User) -> None:
    if not can_withdraw(actor, item):
        raise RuleViolation(CANNOT_WITHDRAW)
    done = db.session.execute(
        update(ShowcaseItem)
        .where(ShowcaseItem.id == item.id, ShowcaseItem.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow(), withdrawn_by_id=actor.id)
    )
    if done.rowcount != 1:
        raise RuleViolation(CANNOT_WITHDRAW)
    db.session.refresh(item)
    other = item.host if actor.id == item.observer_id else item.observer
    _tell(other, "showcase/withdrawn", item, by=actor)
    audit(actor, "withdrew", what="showcase item", id=item.id)


def _tell(person: User, kind: str, item: ShowcaseItem, **context) -> None:
    send_email(
        to=person.email,
        kind=kind,
        person=person,
        item=item,
        link=external_url("showcase.item", item_id=item.id),
        **context,
    )

"""Who may propose, consent to, withdraw and see a showcase item.

- Only the observer proposes, from their own visit (notes are theirs); proposing is their consent.
- Only the host consents or declines. Either of them withdraws at any time, and it is gone from the gallery.
- Everyone on staff sees an item while both consent; before that (or after a withdrawal) only the two of
  them do. No admin power publishes, keeps or brings back an item."""

from flask import abort

from ..auth.models import User
from ..extensions import db
from ..observations.models import Observation
from .models import ShowcaseItem


def can_propose(person: User, observation: Observation) -> bool:
    return person.id == observation.observer_id


def is_party(person: User, item: ShowcaseItem) -> bool:
    return person.id in (item.observer_id, item.host_id)


def can_see(person: User, item: ShowcaseItem) -> bool:
    return item.published or is_party(person, item)


def can_answer(person: User, item: ShowcaseItem) -> bool:
    """The host's yes or no, once, while the item is still proposed."""
    waiting = item.host_consented_at is None and item.host_declined_at is None and item.withdrawn_at is None
    return person.id == item.host_id and waiting


def can_withdraw(person: User, item: ShowcaseItem) -> bool:
    return is_party(person, item) and item.withdrawn_at is None and item.host_declined_at is None


def item_or_404(person: User, item_id: int) -> ShowcaseItem:
    item = db.session.get(ShowcaseItem, item_id)
    if item is None or not can_see(person, item):
        abort(404)
    return item

"""The one place that decides who may read an observation's notes and photos.

- The observer always.
- The host only once the observer has shared with them.
- A coach only when the observer shared with that coach.
- Admins never read note content because they are admins; anyone else never."""

from functools import cache

from flask import abort
from sqlalchemy import ColumnElement, bindparam, false, or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..auth.models import Role, User
from ..extensions import db
from ..protocols.models import ProtocolVersion
from .models import Observation, Photo


def can_read_note(viewer: User, observation: Observation) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.id == observation.observer_id:
        return True
    if viewer.id == observation.host_id and observation.shared_with_host_at is not None:
        return True
    return viewer.id == observation.shared_with_coach_id and viewer.has_role(Role.COACH)


def readable_by(viewer: User) -> ColumnElement[bool]:
    """can_read_note as SQL, for lists: the same rule, so a list never shows a visit its page would refuse
    (tests/test_note_access.py checks the two agree on generated worlds)."""
    if not viewer.is_authenticated:
        return false()
    rules = [
        Observation.observer_id == viewer.id,
        (Observation.host_id == viewer.id) & Observation.shared_with_host_at.is_not(None),
    ]
    if viewer.has_role(Role.COACH):
        rules.append(Observation.shared_with_coach_id == viewer.id)
    return or_(*rules)


def can_edit_note(viewer: User, observation: Observation) -> bool:
    return viewer.is_authenticated and viewer.id == observation.observer_id


def can_reply(viewer: User, observation: Observation) -> bool:
    return viewer.id == observation.host_id and observation.shared_with_host_at is not None


def readable_observation_or_404(
    observation_id: int, viewer: User, *, with_notes: bool = True, with_page: bool = False
) -> Observation:
    """404, not 403, so nobody learns which observations exist that they may not read. Without notes,
    the note's slots and evidence load only if asked for: an autosave touches two rows, not hundreds.
    With the page, what the note's page shows comes in the same query (host, protocol)."""
    observation = db.session.scalars(_observation(with_notes, with_page), {"observation_id": observation_id}).first()
    if observation is None or not can_read_note(viewer, observation):
        abort(404)
    return observation


@cache  # four statements, each built once: the note editor and every autosave ask
def _observation(with_notes: bool, with_page: bool):
    options = () if with_notes else (lazyload(Observation.slots), lazyload(Observation.evidence))
    if with_page:
        options += (
            joinedload(Observation.host).lazyload(User.role_grants),
            joinedload(Observation.protocol_version).joinedload(ProtocolVersion.protocol),
            selectinload(Observation.photos),
        )
    return select(Observation).where(Observation.id == bindparam("observation_id")).options(*options)


def editable_observation_or_404(observation_id: int, viewer: User, *, with_notes: bool = True) -> Observation:
    observation = readable_observation_or_404(observation_id, viewer, with_notes=with_notes)
    if not can_edit_note(viewer, observation):
        abort(403)
    return observation


def readable_photo_or_404(viewer: User, photo_id: int) -> Photo:
    """A photo is read under the same rule as its note."""
    photo = db.get_or_404(Photo, photo_id)
    readable_observation_or_404(photo.observation_id, viewer)
    return photo

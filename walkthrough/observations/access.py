"""The one place that decides who may read an observation's notes and photos.

- The observer always.
- The host only once the observer has shared with them.
- A coach only when the observer shared with that coach.
- Admins never read note content because they are admins; anyone else never."""

from functools import cache

from flask import abort
from sqlalchemy import ColumnElement, bindparam, false, or_, select
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.models import Role, User
from ..extensions import db
from ..protocols.models import ProtocolVersion
from .models import EvidenceEntry, NoteSlot, Observation, Photo


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
    With the page, what the note's page shows comes in the same query (host, protocol), and its photos.
    The note's rows are read only once the viewer may read them."""
    found = db.session.execute(_observation(with_page), {"observation_id": observation_id}).first()
    if found is None or not can_read_note(viewer, found[0]):
        abort(404)
    observation, has_rows = found[0], dict(zip(_NOTE_ROWS, found[1:], strict=False))  # none without the page
    if with_notes:
        _load(observation, has_rows, "slots", "evidence")
    if with_page:
        _load(observation, has_rows, "photos")
    return observation


# A note's rows, read after the note itself once the viewer may read them.
_NOTE_ROWS = {"slots": NoteSlot, "evidence": EvidenceEntry, "photos": Photo}


@cache  # two statements, each built once: the note editor and every autosave ask
def _observation(with_page: bool):
    # The note's template comes along: every change an autosave applies is checked against its fields.
    options = (lazyload(Observation.slots), lazyload(Observation.evidence), joinedload(Observation.protocol_version))
    query = select(Observation)
    if with_page:
        options += (
            joinedload(Observation.host).lazyload(User.role_grants),
            joinedload(Observation.protocol_version).joinedload(ProtocolVersion.protocol),
        )
        # Whether the note has any slots, lines and photos yet: a note just started has none, and its page
        # then needn't ask for them.
        query = query.add_columns(
            *(select(model.id).where(model.observation_id == Observation.id).exists() for model in _NOTE_ROWS.values())
        )
    return query.where(Observation.id == bindparam("observation_id")).options(*options)


@cache
def _rows_of_a_note() -> dict:
    """A note's slots, evidence and photos, each by a statement built once. The relationships' own eager
    loads (selectin) build their statement afresh on every load, which cost the editor about 0.3 ms."""
    note = bindparam("observation_id")
    return {
        "slots": select(NoteSlot).where(NoteSlot.observation_id == note),
        "evidence": select(EvidenceEntry)
        .where(EvidenceEntry.observation_id == note)
        .order_by(EvidenceEntry.recorded_at, EvidenceEntry.id),
        "photos": select(Photo).where(Photo.observation_id == note).order_by(Photo.created_at, Photo.id),
    }


def _load(observation: Observation, has_rows: dict[str, bool], *collections: str) -> None:
    for name in collections:
        if name in observation.__dict__:  # already loaded in this session
            continue
        if has_rows.get(name, True):
            rows = db.session.scalars(_rows_of_a_note()[name], {"observation_id": observation.id}).all()
        else:
            rows = []
        set_committed_value(observation, name, list(rows))


def editable_observation_or_404(observation_id: int, viewer: User, *, with_notes: bool = True) -> Observation:
    observation = readable_observation_or_404(observation_id, viewer, with_notes=with_notes)
    if not can_edit_note(viewer, observation):
        abort(403)
    return observation


def readable_photo_or_404(viewer: User, photo_id: int) -> Photo:
    """A photo is read under the same rule as its note."""
    photo = db.get_or_404(Photo, photo_id)
    readable_observation_or_404(photo.observation_id, viewer, with_notes=False)  # the rule, not the text
    return photo

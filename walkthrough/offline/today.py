"""What a phone keeps for its person, so today's visits work without signal: the pages to open, each
with a title for the offline page's list."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select

from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import Observation
from ..protocols import queries as protocol_queries
from ..schools.times import local_today
from ..visits import queries as visit_queries
from ..visits.models import SignUpStatus
from ..walks.queries import walks_to_capture

# A note started this long ago and not finished is still "in progress" on the phone.
IN_PROGRESS_FOR = timedelta(days=14)


@dataclass(frozen=True)
class KeptPage:
    url: str
    title: str
    kind: str  # "page", "note", "visit", "walk" or "draft": the offline page groups them


def person_key(user: User) -> str:
    """Names this person's cache on a phone without saying who they are: a keyed hash of their id."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"offline:{user.id}".encode(), hashlib.sha256).hexdigest()[:24]


def pages_to_keep(user: User) -> list[KeptPage]:
    pages = [
        KeptPage(url_for("home.index"), "Home", "page"),
        KeptPage(url_for("visits.mine"), "My visits", "page"),
        KeptPage(url_for("observations.mine"), "My notes", "page"),
        KeptPage(url_for("offline.offline_page"), "Offline", "page"),
    ]
    for walk in walks_to_capture(user):
        pages.append(KeptPage(url_for("walks.capture", walk_id=walk.id), f"Walk: {walk.focus}", "walk"))
    if not user.has_role(Role.TEACHER, Role.COACH):
        return pages
    pages.append(KeptPage(url_for("observations.start"), "Start an open-door visit", "page"))
    pages += [
        KeptPage(url_for("observations.view", observation_id=note.id), f"Notes: {note.host.name}", "note")
        for note in _notes_in_progress(user)
    ]
    pages += _booked_visits(user)
    pages += [
        KeptPage(url_for("observations.draft", protocol_id=protocol.id), protocol.name, "draft")
        for protocol in protocol_queries.choices()
    ]
    return pages


def _notes_in_progress(user: User) -> list[Observation]:
    return list(
        db.session.scalars(
            select(Observation)
            .where(
                Observation.observer_id == user.id,
                Observation.finished_at.is_(None),
                Observation.started_at >= utcnow() - IN_PROGRESS_FOR,
            )
            .order_by(Observation.started_at.desc())
            .limit(20)
        )
    )


def _booked_visits(user: User) -> list[KeptPage]:
    """Visits booked for today and tomorrow: their note if it is started, else a note the phone can start."""
    kept = []
    for signup in visit_queries.my_signups(user):
        slot = signup.slot
        today = local_today(slot.school)
        if (
            signup.status != SignUpStatus.CONFIRMED
            or slot.cancelled_at
            or not today <= slot.day <= today + timedelta(1)
        ):
            continue
        when = "today" if slot.day == today else "tomorrow"
        if signup.observation_id:
            url = url_for("observations.view", observation_id=signup.observation_id)
        else:
            url = url_for("visits.draft_notes", signup_id=signup.id)
        kept.append(KeptPage(url, f"Visit to {slot.host.name}, {when}", "visit"))
    return kept

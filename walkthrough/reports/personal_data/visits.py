"""The visits in a person's own copy: those they made (their notes, evidence and photos), those to their
class (the replies they wrote as a host, never the visitor's notes) and the bookings either way."""

import zipfile

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...auth.models import User
from ...extensions import db
from ...observations.models import Observation
from ...observations.photos import photo_path
from ...visits.models import SignUp, VisitSlot
from .rows import clean, when


def visits_made(person: User, archive: zipfile.ZipFile) -> list[dict]:
    made = db.session.scalars(
        select(Observation)
        .where(Observation.observer_id == person.id)
        .options(selectinload(Observation.photos), selectinload(Observation.host), selectinload(Observation.evidence))
        .order_by(Observation.started_at)
    )
    visits = []
    for observation in made:
        texts = {slot.name: slot.value for slot in observation.slots}
        notes = {name: value for name, value in texts.items() if not name.startswith("evidence:")}
        evidence = [
            {"recorded_at": when(e.recorded_at), "minute": e.minute, "text": texts.get(e.slot, "")}
            for e in observation.evidence
            if not e.deleted
        ]
        photos = []
        for photo in observation.photos:
            path = photo_path(photo)
            if path.exists():
                name = f"photos/visit-{observation.id}-photo-{photo.id}.jpg"
                archive.write(path, name)
                photos.append({"file": name, "caption": photo.caption, "taken": when(photo.created_at)})
        visits.append(
            clean(
                {
                    "day": observation.day,
                    "host": observation.host.name,
                    "protocol": observation.protocol_version.protocol.name,
                    "focus_question": observation.focus_question,
                    "started_at": observation.started_at,
                    "finished_at": observation.finished_at,
                    "notes": notes,
                    "evidence": evidence,
                    "photos": photos,
                    "shared_with_host_at": observation.shared_with_host_at,
                    "shared_with_coach": observation.shared_with_coach.name if observation.shared_with_coach else None,
                    "host_reply": observation.host_reply,
                }
            )
        )
    return visits


def visits_hosted(person: User) -> list[dict]:
    hosted = db.session.scalars(
        select(Observation)
        .where(Observation.host_id == person.id)
        .options(selectinload(Observation.observer))
        .order_by(Observation.started_at)
    )
    return [
        clean(
            {
                "day": o.day,
                "observer": o.observer.name,
                "focus_question": o.focus_question,
                "notes_shared_with_you": o.shared_with_host_at is not None,
                "your_reply": o.host_reply,
                "replied_at": o.host_replied_at,
            }
        )
        for o in hosted
    ]


def signups(person: User) -> list[dict]:
    rows = db.session.execute(
        select(SignUp, VisitSlot)
        .join(VisitSlot)
        .where(or_(SignUp.observer_id == person.id, VisitSlot.host_id == person.id))
        .order_by(VisitSlot.starts_at)
    )
    return [
        clean(
            {
                "role": "observer" if signup.observer_id == person.id else "host",
                "day": slot.day,
                "starts_at": slot.starts_at,
                "ends_at": slot.ends_at,
                "room": slot.room,
                "status": signup.status,
            }
        )
        for signup, slot in rows
    ]

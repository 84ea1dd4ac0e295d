"""Builds a district- or state-sized data set in an empty database, in bulk."""

import random
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..protocols.models import Protocol
from ..rollups import upkeep as rollups
from .bulk import BulkWriter
from .scale import Scale, build_district
from .scale_coaching import build_coaching, build_open_classrooms
from .scale_history import build_history


def _protocols() -> list[tuple[int, int, tuple[str | None, str | None]]]:
    found = []
    for protocol in db.session.scalars(select(Protocol).where(Protocol.slug.is_not(None)).order_by(Protocol.id)):
        fields = protocol.current.fields
        prompt = next((f["key"] for f in fields if f["kind"] in ("prompt", "focus_question")), None)
        log = next((f["key"] for f in fields if f["kind"] == "evidence_log"), None)
        found.append((protocol.id, protocol.current.id, (prompt, log)))
    return found


def seed_at_scale(scale: Scale, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """Rows written per table. The same seed and day give the same data."""
    today = today or date.today()
    rng = random.Random(seed)
    protocols = _protocols()
    writer = BulkWriter()
    district = build_district(scale, rng, writer, today)
    writer.flush()
    build_history(scale, rng, writer, district, protocols, today)
    build_coaching(scale, rng, writer, district, today)
    build_open_classrooms(rng, writer, district, today, protocols)
    written = writer.finish()
    db.session.commit()
    # Rows written in bulk go past the roll-ups' upkeep: count them now, not in the first dashboard request
    # (a district's year takes seconds, long enough for a load test's first requests to time out).
    rollups.refresh()
    return written

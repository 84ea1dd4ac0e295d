"""Three school years of visits at scale: booked and open-door visits with notes, evidence, shares and
replies, sign-ups in every state, and the cover each visit in teaching time needed."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..coverage.models import CoverageRequest
from ..observations.models import EvidenceEntry, NoteSlot, Observation
from ..visits.models import SignUp, VisitSlot
from .bulk import BulkWriter
from .history import NOTICINGS, REFLECTIONS, REPLIES
from .scale import Place, Scale

WONDERINGS = [
    "I wonder how the groups were chosen.",
    "I wonder what students would say the goal of the lesson was.",
    "I wonder how this routine started at the beginning of the year.",
]
# Shares of visit kinds: booked with notes, open-door, booked on paper only, booked then cancelled.
KINDS = (("notes", 0.70), ("open_door", 0.12), ("paper", 0.10), ("cancelled", 0.08))


def school_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_history(
    scale: Scale,
    rng: random.Random,
    writer: BulkWriter,
    district: dict,
    protocols: list[tuple[int, int, dict]],
    today: date,
) -> None:
    """protocols: (protocol id, current version id, the version's first prompt key and evidence log key)."""
    first_day: date = district["first_day"]
    for years_back in range(scale.years - 1, -1, -1):
        start = first_day.replace(year=first_day.year - years_back)
        end = min(date(start.year + 1, 5, 28), today - timedelta(days=1))
        days = school_days(start, end)
        if not days:
            continue
        share_of_year = len(days) / len(school_days(start, date(start.year + 1, 5, 28)))
        for place in district["places"]:
            zone = ZoneInfo(place.zone)
            visits = int(len(place.teachers) * scale.visits_per_teacher_year * share_of_year)
            for _ in range(visits):
                _one_visit(rng, writer, place, zone, rng.choice(days), protocols, district["substitutes"])


def _pick(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for kind, share in KINDS:
        total += share
        if roll < total:
            return kind
    return KINDS[-1][0]


def _one_visit(rng, writer: BulkWriter, place: Place, zone, day: date, protocols, substitutes) -> None:
    observer = rng.choice(place.teachers)
    # Most visits happen in the visitor's planning period; the rest need cover.
    if rng.random() < 0.7:
        period_id = place.planning[observer]
    else:
        period_id = rng.choice([p for p, teachers in place.teaching.items() if observer in teachers] or [None])
        period_id = period_id or place.planning[observer]
    hosts = [t for t in place.teaching[period_id] if t != observer]
    if not hosts:
        return
    host = rng.choice(hosts)
    _, start_time, end_time = next(p for p in place.periods if p[0] == period_id)
    starts = datetime.combine(day, start_time, tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(day, end_time, tzinfo=zone).astimezone(UTC)
    protocol_id, version_id, keys = rng.choice(protocols)
    kind = _pick(rng)
    if kind == "open_door":
        _observation(rng, writer, place, observer, host, version_id, keys, day, starts, starts + timedelta(minutes=35))
        return
    slot_id = writer.add(
        VisitSlot,
        host_id=host,
        school_id=place.id,
        period_id=period_id,
        protocol_id=protocol_id,
        series_key=f"s{rng.getrandbits(60):015x}"[:16],
        day=day,
        local_start=start_time,
        local_end=end_time,
        starts_at=starts,
        ends_at=ends,
        room="",
        capacity=2,
        focus_question="Who does the talking, and about what?",
        note_for_visitors="",
        cutoff_hours=0,
        sequence=0,
        lock_version=0,
        created_at=starts - timedelta(days=7),
    )
    observation_id = None
    if kind == "notes":
        observation_id = _observation(rng, writer, place, observer, host, version_id, keys, day, starts, ends)
    status = "cancelled" if kind == "cancelled" else "confirmed"
    signup_id = writer.add(
        SignUp,
        slot_id=slot_id,
        observer_id=observer,
        status=status,
        observation_id=observation_id,
        sequence=0,
        created_at=starts - timedelta(days=5),
        updated_at=starts - timedelta(days=5),
    )
    if rng.random() < 0.15:  # a second colleague who waited for the seat, or gave theirs back
        other = rng.choice(place.teachers)
        if other not in (observer, host):
            writer.add(
                SignUp,
                slot_id=slot_id,
                observer_id=other,
                status=rng.choice(("waitlisted", "cancelled")),
                sequence=0,
                created_at=starts - timedelta(days=4),
                updated_at=starts - timedelta(days=4),
            )
    if status == "confirmed" and period_id != place.planning[observer]:
        filled = rng.random()
        writer.add(
            CoverageRequest,
            teacher_id=observer,
            school_id=place.id,
            period_id=period_id,
            signup_id=signup_id,
            day=day,
            starts_at=starts,
            ends_at=ends,
            room="",
            course="",
            reason="peer_visit",
            notes="",
            plan_name="",
            status="confirmed" if filled < 0.85 else "open",
            cover_id=rng.choice(substitutes) if filled < 0.85 and substitutes else None,
            created_at=starts - timedelta(days=5),
        )


def _observation(rng, writer, place, observer, host, version_id, keys, day, starts, ends) -> int:
    shared = rng.random() < 0.6
    replied = shared and rng.random() < 0.35
    observation_id = writer.add(
        Observation,
        observer_id=observer,
        host_id=host,
        protocol_version_id=version_id,
        focus_question="Who does the talking, and about what?",
        started_at=starts,
        finished_at=ends,
        shared_with_host_at=ends if shared else None,
        host_reply=rng.choice(REPLIES) if replied else "",
        host_replied_at=ends + timedelta(hours=4) if replied else None,
        created_at=starts,
        school_id=place.id,
        day=day,
    )
    prompt, log = keys
    if prompt:
        text = f"{rng.choice(NOTICINGS)} {rng.choice(NOTICINGS)}\n{rng.choice(WONDERINGS)}"
        writer.add(NoteSlot, observation_id=observation_id, name=prompt, value=text, revision=1, updated_at=ends)
    if log:
        for n in range(rng.randint(1, 2)):
            client_id = f"e{observation_id}-{n}"
            writer.add(
                EvidenceEntry,
                observation_id=observation_id,
                field_key=log,
                client_id=client_id,
                recorded_at=starts + timedelta(minutes=5 + 10 * n),
                minute=5 + 10 * n,
                deleted=False,
            )
            writer.add(
                NoteSlot,
                observation_id=observation_id,
                name=f"evidence:{client_id}",
                value=rng.choice(NOTICINGS),
                revision=1,
                updated_at=ends,
            )
    if rng.random() < 0.7:
        writer.add(
            NoteSlot,
            observation_id=observation_id,
            name="reflection",
            value=rng.choice(REFLECTIONS),
            revision=1,
            updated_at=ends,
        )
    return observation_id

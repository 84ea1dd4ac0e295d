"""A booking's cover: when a visit takes its observer out of a class, the coverage it needs follows the
booking. Visits own this, on top of coverage, so coverage knows nothing of visits."""

from sqlalchemy import select

from ..coverage import notify
from ..coverage.models import LIVE, CoverageRequest, CoverageStatus
from ..coverage.needs import missed_by
from ..coverage.reasons import PEER_VISIT
from ..extensions import db
from .models import SignUp, SignUpStatus


def sync_visit_coverage(signup: SignUp) -> None:
    """Make the coverage a booking needs match the booking: one request per class the visit takes the
    observer out of; none when the visit is off, cancelled or in their planning period."""
    slot = signup.slot
    wanted = []
    pending = signup.status == SignUpStatus.PENDING
    if signup.status in (SignUpStatus.CONFIRMED, SignUpStatus.PENDING) and slot.cancelled_at is None:
        wanted = missed_by(signup.observer, slot.starts_at, slot.ends_at)
    existing = db.session.scalars(
        select(CoverageRequest).where(CoverageRequest.signup_id == signup.id, CoverageRequest.status.in_(LIVE))
    ).all()
    keep = {(m.assignment.period_id, m.day) for m in wanted}
    for request in existing:
        if (request.period_id, request.day) not in keep:
            was_covered = request.cover_id is not None
            request.status = CoverageStatus.CANCELLED.value
            if was_covered:
                notify.cover_released(request, why="The visit it was for changed or was cancelled.")
    have = {(r.period_id, r.day) for r in existing if r.status in LIVE}
    for request in existing:
        if request.status == CoverageStatus.PENDING and not pending:
            request.status = CoverageStatus.OPEN.value  # approved: now it needs a cover
    for missed in wanted:
        if (missed.assignment.period_id, missed.day) in have:
            continue
        db.session.add(
            CoverageRequest(
                teacher_id=signup.observer_id,
                school_id=missed.assignment.period.school_id,
                period_id=missed.assignment.period_id,
                signup_id=signup.id,
                day=missed.day,
                starts_at=missed.starts_at,
                ends_at=missed.ends_at,
                room=missed.assignment.room,
                course=missed.assignment.course,
                reason=PEER_VISIT,
                status=(CoverageStatus.PENDING if pending else CoverageStatus.OPEN).value,
                notes=f"Visiting {slot.host.name}'s class",
            )
        )
    db.session.flush()

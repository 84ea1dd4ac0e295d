"""A teacher decides who coaches them. A coach's "add to caseload" is a request; the coach sees nothing of the
teacher's record until the teacher accepts, and the teacher can decline, or end it later, at any time."""

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..urls import external_url
from .models import CaseloadMember

NOT_A_TEACHER = "Choose a teacher who is active in Walkthrough."
NOT_YOURSELF = "You can't be on your own caseload."
ALREADY_THERE = "{name} is already on your caseload."
ALREADY_ASKED = "You have already asked {name}; they'll appear on your caseload once they accept."
ONLY_COACHES = "Only coaches can have a caseload."


def _member(coach_id: int, coachee_id: int) -> CaseloadMember | None:
    return db.session.scalar(
        select(CaseloadMember).where(CaseloadMember.coach_id == coach_id, CaseloadMember.coachee_id == coachee_id)
    )


def ask(*, coach: User, coachee: User | None) -> CaseloadMember:
    """Ask a teacher to join this coach's caseload; they are emailed and answer on their coaching page."""
    if not coach.has_role(Role.COACH):
        raise RuleViolation(ONLY_COACHES, field="coachee_id")
    if coachee is None or not coachee.is_active_account or not coachee.has_role(Role.TEACHER):
        raise RuleViolation(NOT_A_TEACHER, field="coachee_id")
    if coachee.id == coach.id:
        raise RuleViolation(NOT_YOURSELF, field="coachee_id")
    existing = _member(coach.id, coachee.id)
    if existing is not None:
        message = ALREADY_THERE if existing.accepted_at else ALREADY_ASKED
        raise RuleViolation(message.format(name=coachee.name), field="coachee_id")
    member = CaseloadMember(coach_id=coach.id, coachee_id=coachee.id)
    db.session.add(member)
    db.session.flush()
    audit(coach, "coaching_requested", person=coachee.email)
    send_email(
        to=coachee.email,
        kind="coaching/request",
        person=coachee,
        coach=coach,
        link=external_url("coaching.my_record"),
    )
    return member


@cache  # four statements, each built once: the caseload and the teacher's record ask on every view
def _members_statement(side: str, accepted: bool):
    """Requests (not yet accepted) or coaching (accepted) of one coach or one teacher, with both people's names
    in the same query (the lists show them)."""
    person = CaseloadMember.coachee_id if side == "coachee" else CaseloadMember.coach_id
    if accepted:
        answered, order = CaseloadMember.accepted_at.is_not(None), CaseloadMember.accepted_at
    else:
        answered, order = CaseloadMember.accepted_at.is_(None), CaseloadMember.added_at
    people = (joinedload(CaseloadMember.coach), joinedload(CaseloadMember.coachee))
    return select(CaseloadMember).where(person == bindparam("person_id"), answered).options(*people).order_by(order)


def _members(side: str, accepted: bool, person: User) -> list[CaseloadMember]:
    return list(db.session.scalars(_members_statement(side, accepted), {"person_id": person.id}))


def requests_for(teacher: User) -> list[CaseloadMember]:
    """Coaches waiting for this teacher's answer."""
    return _members("coachee", False, teacher)


def coaches_of(teacher: User) -> list[CaseloadMember]:
    return _members("coachee", True, teacher)


def waiting_on(coach: User) -> list[CaseloadMember]:
    """This coach's requests that haven't been answered."""
    return _members("coach", False, coach)


def _tell_coach(member: CaseloadMember, what: str) -> None:
    send_email(
        to=member.coach.email,
        kind="coaching/answer",
        person=member.coach,
        teacher=member.coachee,
        what=what,
        link=external_url("coaching.caseload_page"),
    )


def accept(*, member: CaseloadMember, teacher: User) -> None:
    if member.coachee_id != teacher.id or member.accepted_at is not None:
        raise LookupError("not this teacher's open request")
    member.accepted_at = utcnow()
    audit(teacher, "coaching_accepted", coach=member.coach.email)
    _tell_coach(member, "accepted you as their coach")
    db.session.flush()


def decline(*, member: CaseloadMember, teacher: User) -> None:
    """Decline a request or end coaching that was accepted; the teacher's record stays with them."""
    if member.coachee_id != teacher.id:
        raise LookupError("not this teacher's coach")
    ending = member.accepted_at is not None
    audit(teacher, "coaching_ended" if ending else "coaching_declined", coach=member.coach.email)
    _tell_coach(member, "ended coaching with you" if ending else "declined your coaching request")
    db.session.delete(member)
    db.session.flush()


def remove(*, coach: User, coachee_id: int) -> bool:
    """A coach takes someone off their caseload, or withdraws a request. The record stays with the coachee."""
    member = _member(coach.id, coachee_id)
    if member is None:
        return False
    db.session.delete(member)
    audit(coach, "deleted", what="caseload member", id=coachee_id)
    db.session.flush()
    return True


def accepted_coach_ids(teacher: User) -> set[int]:
    """The coaches a teacher has accepted: whom their notes are offered to first."""
    return {member.coach_id for member in coaches_of(teacher)}

"""Admins approving time away from class for a visit, when the school asks for it or the budget runs out."""

from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from ..schools.queries import can_manage_school
from . import cover, notify
from .models import SignUp, SignUpStatus
from .services import STARTED, promote_waitlist

NOT_PENDING = "This visit isn't waiting for approval."
NOT_YOUR_SCHOOL = "Only an admin of the teacher's school can approve this."


def _check_approver(signup: SignUp, admin: User) -> None:
    if signup.status != SignUpStatus.PENDING:
        raise RuleViolation(NOT_PENDING)
    school = signup.observer.school
    if school is None or not can_manage_school(admin, school):
        raise RuleViolation(NOT_YOUR_SCHOOL)
    if signup.slot.has_started:  # a yes or a no now would only send emails about a past visit
        raise RuleViolation(STARTED)


def approve(*, signup: SignUp, admin: User) -> SignUp:
    """The admin agrees to the time away from class: the visit is booked and its cover is needed."""
    _check_approver(signup, admin)
    signup.status = SignUpStatus.CONFIRMED.value
    signup.sequence += 1
    db.session.flush()
    cover.sync_visit_coverage(signup)
    notify.signed_up(signup)
    return signup


def refuse(*, signup: SignUp, admin: User) -> SignUp:
    """The admin can't release the teacher then: the seat goes to the next on the waitlist."""
    _check_approver(signup, admin)
    signup.status = SignUpStatus.DECLINED.value
    signup.sequence += 1
    db.session.flush()
    cover.sync_visit_coverage(signup)
    notify.cancelled(signup, reason=f"{admin.name} couldn't approve the time away from your class for this visit.")
    promote_waitlist(signup.slot)
    return signup

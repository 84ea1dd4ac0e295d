"""Putting a teacher on a coach's caseload the way the product does: the coach asks, the teacher accepts."""

from walkthrough.coaching import consent
from walkthrough.coaching.models import CaseloadMember


def coach_with_consent(*, coach, coachee) -> CaseloadMember:
    member = consent.ask(coach=coach, coachee=coachee)
    consent.accept(member=member, teacher=coachee)
    return member

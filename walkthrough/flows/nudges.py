"""Nudges: the reminders people asked for, sent by the worker every hour. Each is sent once (its key in
sent_nudges decides, even with two workers), only to someone who hasn't turned that kind off, and never in
their quiet hours in their own school's time zone; a nudge held back by quiet hours goes at the next run
after them. Each carries a one-click List-Unsubscribe for its kind."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import Role, RoleGrant, User
from ..coaching.caseload import caseload_for
from ..coaching.models import CaseloadMember
from ..cohorts.models import Cohort, CohortMeeting, CohortMember, MeetingAttendance
from ..db_types import utcnow
from ..extensions import db
from ..observations.models import NoteSlot, Observation
from ..observations.services import REFLECTION_SLOT
from ..outbox.models import SentNudge
from ..outbox.preferences import may_nudge, unsubscribe_link
from ..outbox.services import send_email
from ..schools.years import year_containing
from ..urls import external_url
from ..walks import services as walk_services
from ..walks.models import Walk, WalkSummary

# How far back a nudge still makes sense: nobody wants a reminder about last month's visit.
LOOK_BACK = timedelta(days=7)
REPLY_AFTER = timedelta(days=2)


def _zone(person: User) -> ZoneInfo:
    return ZoneInfo(person.school.timezone) if person.school is not None else ZoneInfo("UTC")


def _nudge(kind: str, key: str, person: User, now: datetime, *, template: str = "", **context) -> bool:
    """Send one nudge unless it was sent before, is turned off, or falls in the person's quiet hours.
    `kind` is what the person turns off; `template` names the message when one kind has several."""
    if not person.is_active_account or not may_nudge(person.id, kind, now.astimezone(_zone(person)).time()):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SentNudge(kind=kind, key=key, user_id=person.id, sent_at=now))
    except IntegrityError:
        return False  # sent already, perhaps by another worker a moment ago
    send_email(
        to=person.email,
        kind=f"nudges/{template or kind}",
        unsubscribe=unsubscribe_link(person.id, kind),
        person=person,
        settings_link=external_url("home.account") + "#reminders",
        **context,
    )
    return True


def _reflect(now: datetime) -> int:
    """Observers, the day after a visit whose notes have no reflection yet."""
    reflected = exists().where(
        NoteSlot.observation_id == Observation.id, NoteSlot.name == REFLECTION_SLOT, NoteSlot.value != ""
    )
    notes = db.session.scalars(
        select(Observation).where(Observation.started_at >= now - LOOK_BACK, ~reflected).order_by(Observation.id)
    ).all()
    sent = 0
    for note in notes:
        observer = note.observer
        if note.day is None or now.astimezone(_zone(observer)).date() <= note.day:
            continue
        link = external_url("observations.finish", observation_id=note.id)
        sent += _nudge("reflect", f"observation-{note.id}", observer, now, host=note.host, day=note.day, link=link)
    return sent


def _reply(now: datetime) -> int:
    """Hosts whose colleague shared notes two days ago and who haven't written back."""
    notes = db.session.scalars(
        select(Observation)
        .where(
            Observation.shared_with_host_at.between(now - REPLY_AFTER - LOOK_BACK, now - REPLY_AFTER),
            Observation.host_replied_at.is_(None),
        )
        .order_by(Observation.id)
    ).all()
    sent = 0
    for note in notes:
        link = external_url("observations.view", observation_id=note.id)
        sent += _nudge("reply", f"observation-{note.id}", note.host, now, observer=note.observer, link=link)
    return sent


def _caseload(now: datetime) -> int:
    """Coaches, on Monday morning in their time zone: who on the caseload is overdue."""
    coaches = db.session.scalars(
        select(User)
        .join(RoleGrant, and_(RoleGrant.user_id == User.id, RoleGrant.role == Role.COACH.value))
        .where(User.is_active_account, exists().where(CaseloadMember.coach_id == User.id))
        .order_by(User.id)
    ).all()
    sent = 0
    for coach in coaches:
        local = now.astimezone(_zone(coach))
        if local.weekday() != 0:
            continue
        overdue = caseload_for(coach, year_containing(local.date()), local.date()).overdue
        if not overdue:
            continue
        week = local.date().isocalendar()
        sent += _nudge(
            "caseload",
            f"coach-{coach.id}-{week.year}-W{week.week:02d}",
            coach,
            now,
            overdue=overdue,
            link=external_url("coaching.caseload_page"),
        )
    return sent


def _cohort(now: datetime) -> int:
    """Cohort members, the day after a meeting they attended, while its reflection is unwritten."""
    waiting = db.session.scalars(
        select(MeetingAttendance)
        .join(CohortMeeting)
        .where(
            MeetingAttendance.attended,
            MeetingAttendance.reflection == "",
            CohortMeeting.day >= (now - LOOK_BACK).date(),
        )
        .order_by(MeetingAttendance.id)
    ).all()
    sent = 0
    for attendance in waiting:
        member, meeting = db.session.get(User, attendance.user_id), attendance.meeting
        if now.astimezone(_zone(member)).date() <= meeting.day:
            continue
        link = external_url("cohorts.cohort", cohort_id=meeting.cohort_id)
        sent += _nudge("cohort", f"meeting-{attendance.id}", member, now, meeting=meeting, link=link)
    return sent


def _growth_plans(now: datetime) -> int:
    """Members without a growth plan, a week before it is due and the day before; the team leader, in the
    week after, who is still missing. A reminder held back by quiet hours still goes inside its window."""
    cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.plan_due.is_not(None), Cohort.plan_due >= (now - LOOK_BACK - timedelta(days=1)).date())
        .options(selectinload(Cohort.members).selectinload(CohortMember.user))
        .order_by(Cohort.id)
    ).all()
    sent = 0
    for cohort in cohorts:
        missing = [m for m in cohort.members if m.plan_uploaded_at is None and m.user.is_active_account]
        link = external_url("cohorts.cohort", cohort_id=cohort.id)
        for member in missing:
            days_left = (cohort.plan_due - now.astimezone(_zone(member.user)).date()).days
            window = "last" if 0 <= days_left <= 1 else "week" if 2 <= days_left <= 7 else None
            if window:
                sent += _nudge(
                    "cohort",
                    f"plan-{member.id}-{cohort.plan_due}-{window}",
                    member.user,
                    now,
                    template="growth_plan",
                    cohort=cohort,
                    days_left=days_left,
                    link=link,
                )
        leader = cohort.team_leader
        if leader is None or not missing:
            continue
        days_late = (now.astimezone(_zone(leader)).date() - cohort.plan_due).days
        if 1 <= days_late <= LOOK_BACK.days:
            sent += _nudge(
                "cohort",
                f"plans-missing-{cohort.id}-{cohort.plan_due}",
                leader,
                now,
                template="plans_missing",
                cohort=cohort,
                missing=sorted(m.user.name for m in missing),
                link=link,
            )
    return sent


def _walk_summaries(now: datetime) -> int:
    """Each walk's team, the day after the walk ends, while its "We noticed" summary is unsent (it is due
    within a week, so staff hear back while the walk is fresh)."""
    recent = now.date() - timedelta(days=walk_services.SUMMARY_WITHIN_DAYS)
    sent_already = exists().where(WalkSummary.walk_id == Walk.id, WalkSummary.sent_at.is_not(None))
    walks = db.session.scalars(
        select(Walk)
        .where(Walk.cancelled_at.is_(None), Walk.ends_on >= recent, Walk.ends_on <= now.date(), ~sent_already)
        .options(selectinload(Walk.team), selectinload(Walk.school))
        .order_by(Walk.id)
    ).all()
    sent = 0
    for walk in walks:
        if now.astimezone(ZoneInfo(walk.school.timezone)).date() <= walk.ends_on:
            continue
        link = external_url("walks.walk", walk_id=walk.id) + "#summary"
        due = walk_services.summary_due(walk)
        for member in walk.team:
            sent += _nudge(
                "walk",
                f"walk-{walk.id}-{member.user_id}",
                member.user,
                now,
                template="walk_summary",
                walk=walk,
                due=due,
                link=link,
            )
    return sent


def send_nudges(*, now: datetime | None = None) -> int:
    now = (now or utcnow()).astimezone(UTC)
    return _reflect(now) + _reply(now) + _caseload(now) + _cohort(now) + _growth_plans(now) + _walk_summaries(now)

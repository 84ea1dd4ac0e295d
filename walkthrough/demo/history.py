"""This school year so far, for the demo: past visits with notes, shares and replies, the cover they
needed, coaching logs, goals, a cohort with its meetings, and logged learning. Deterministic."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..auth.models import Role, RoleGrant, User
from ..coaching import records
from ..coaching.models import CaseloadMember
from ..cohorts import services as cohorts
from ..coverage.models import CoverageRequest, SubstitutePool
from ..db_types import utcnow
from ..extensions import db
from ..learning.models import LearningEntry
from ..observations.models import NoteSlot, Observation
from ..protocols.models import Protocol
from ..schools.calendar import has_school
from ..schools.models import PeriodAssignment, School
from ..schools.queries import period_runs_on, today_at
from ..schools.times import instant
from ..schools.years import current_start_year
from ..visits.models import SignUp, VisitSlot
from .district import email_for

NOTICINGS = [
    "Students turned to a partner before anyone raised a hand.",
    "The anchor chart on the board was used three times by students, unprompted.",
    "Two groups compared their strategies out loud and one changed its answer.",
    "The teacher asked 'How do you know?' after most answers.",
    "A student explained the task to a classmate who arrived late.",
]
REFLECTIONS = [
    "I want to try the partner talk before hands go up; it gave everyone thinking time.",
    "Seeing students use the anchor chart makes me want to build one with my class.",
    "The 'How do you know?' question is small and I can start tomorrow.",
]
REPLIES = ["Thanks for noticing the partner talk; it took us weeks to build.", "Come back for the follow-up lesson!"]
COACHING = [
    ("planning", "Planned a number talk for third period; chose two strategies to highlight."),
    ("lesson_design", "Reworked the launch of the unit so students predict before reading."),
    ("resources", "Found three short videos on erosion at two reading levels."),
    ("modeling", "Modelled a think-aloud with the class while the teacher took notes."),
    ("team_teaching", "Co-taught the lab; the teacher led the debrief."),
    ("encouragement", "Talked through a hard week; agreed on one small next step."),
]
LEARNING = [
    ("conference", "State library association fall conference", 360),
    ("webinar", "Questioning strategies webinar", 60),
    ("online_community", "Math teachers' online book study", 90),
    ("site_visit", "Visit to the district's maker space", 120),
]


def _person(name: str) -> User:
    return db.session.scalar(select(User).where(User.email == email_for(name)))


def _teachers(school: School) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(RoleGrant.role == Role.TEACHER.value, User.school_id == school.id)
            .order_by(User.id)
        )
    )


def _school_days(school: School, today: date) -> list[date]:
    day, days = school.year_first_day, []
    while day < today:
        if has_school(school, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def seed_demo_history(seed: int = 2026) -> None:
    rng = random.Random(seed)
    protocols = db.session.scalars(select(Protocol).where(Protocol.slug.is_not(None)).order_by(Protocol.id)).all()
    for school in db.session.scalars(select(School).order_by(School.id)):
        _past_visits(school, rng, protocols)
    _coaching(rng)
    _cohort(rng)
    db.session.flush()


def _past_visits(school: School, rng: random.Random, protocols: list[Protocol]) -> None:
    teachers = _teachers(school)
    days = _school_days(school, today_at(school))
    periods = [p for p in school.periods if "lunch" not in p.name.lower() and "recess" not in p.name.lower()]
    teaching = {(a.user_id, a.period_id) for a in db.session.scalars(select(PeriodAssignment))}
    substitutes = db.session.scalars(
        select(User)
        .join(SubstitutePool, SubstitutePool.substitute_id == User.id)
        .where(SubstitutePool.school_id == school.id)
    ).all()
    if len(teachers) < 3 or not days or not periods:
        return
    for _n in range(len(days) // 2 + 6):
        day = rng.choice(days)
        period = rng.choice(periods)
        if not period_runs_on(period, school, day):
            continue
        host, observer = rng.sample(teachers, 2)
        protocol = rng.choice(protocols)
        slot = VisitSlot(
            host_id=host.id,
            school_id=school.id,
            period_id=period.id,
            protocol_id=protocol.id,
            day=day,
            local_start=period.starts_at,
            local_end=period.ends_at,
            starts_at=instant(school, day, period.starts_at),
            ends_at=instant(school, day, period.ends_at),
            capacity=2,
            focus_question="Who does the talking, and about what?",
        )
        db.session.add(slot)
        db.session.flush()
        signup = SignUp(slot_id=slot.id, observer_id=observer.id, status="confirmed")
        db.session.add(signup)
        db.session.flush()
        if rng.random() < 0.8:
            signup.observation_id = _observation(slot, observer, protocol, rng).id
        if (observer.id, period.id) in teaching:
            filled = substitutes and rng.random() < 0.85
            db.session.add(
                CoverageRequest(
                    teacher_id=observer.id,
                    school_id=school.id,
                    period_id=period.id,
                    signup_id=signup.id,
                    day=day,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    reason="peer_visit",
                    status="confirmed" if filled else "open",
                    cover_id=rng.choice(substitutes).id if filled else None,
                )
            )


def _observation(slot: VisitSlot, observer: User, protocol: Protocol, rng: random.Random) -> Observation:
    shared = rng.random() < 0.6
    observation = Observation(
        observer_id=observer.id,
        host_id=slot.host_id,
        protocol_version_id=protocol.current.id,
        focus_question=slot.focus_question,
        started_at=slot.starts_at,
        finished_at=slot.ends_at,
        shared_with_host_at=slot.ends_at if shared else None,
        host_reply=rng.choice(REPLIES) if shared and rng.random() < 0.5 else "",
    )
    observation.host_replied_at = slot.ends_at + timedelta(hours=5) if observation.host_reply else None
    prompt = next((f["key"] for f in protocol.current.fields if f["kind"] in ("prompt", "focus_question")), None)
    if prompt:
        observation.slots.append(NoteSlot(name=prompt, value=rng.choice(NOTICINGS)))
    if rng.random() < 0.7:
        observation.slots.append(NoteSlot(name="reflection", value=rng.choice(REFLECTIONS)))
    db.session.add(observation)
    db.session.flush()
    return observation


def _coaching(rng: random.Random) -> None:
    riverside = db.session.scalar(select(School).where(School.name == "Riverside Middle School"))
    cedar = db.session.scalar(select(School).where(School.name == "Cedar Creek Elementary"))
    lincoln = db.session.scalar(select(School).where(School.name == "Lincoln High School"))
    jordan = _person("Jordan Lee")
    sam, hannah = _person("Sam Rivera"), _person("Hannah Brooks")
    caseloads = {
        sam: [_person("Maya Ortiz")] + _teachers(riverside)[2:8] + _teachers(lincoln)[:4],
        hannah: _teachers(cedar)[:6],
        jordan: [t for t in _teachers(riverside)[8:11] if t.id != jordan.id],
    }
    # Requests still waiting for the teacher's answer, so the demo shows both sides of asking.
    not_asked = [t for t in _teachers(lincoln) + _teachers(cedar) if t not in caseloads[sam] and t.id != sam.id]
    for coach, teacher in ((hannah, _person("Maya Ortiz")), (sam, not_asked[0])):
        db.session.add(CaseloadMember(coach_id=coach.id, coachee_id=teacher.id))
    for coach, coachees in caseloads.items():
        today = today_at(coach.school) if coach.school else date.today()
        for coachee in dict.fromkeys(coachees):
            if coachee.id == coach.id:
                continue
            # Demo teachers have already said yes to their coach (consent.ask would email each of them).
            db.session.add(CaseloadMember(coach_id=coach.id, coachee_id=coachee.id, accepted_at=utcnow()))
            record = records.record_for(coachee, current_start_year(coachee.school, today))
            days = _school_days(coachee.school, today)
            for _ in range(rng.randint(0, 5) if days else 0):
                kind, notes = rng.choice(COACHING)
                records.log_activity(
                    record=record,
                    coach=coach,
                    day=rng.choice(days),
                    kind=kind,
                    minutes=rng.choice((20, 30, 45, 60)),
                    notes=notes,
                    next_step="Visit a colleague who uses the same routine.",
                    shared_with_coachee=rng.random() < 0.5,
                    today=today,
                )
    maya = _person("Maya Ortiz")
    record = records.record_for(maya, current_start_year(maya.school, today_at(maya.school)))
    records.add_goal(
        record=record,
        text="Students explain their reasoning to a partner before we share as a class.",
        status="in_progress",
    )
    records.add_goal(record=record, text="Use one exit ticket a week to decide the next day's groups.")
    records.start_cycle(
        record=record,
        coach=_person("Sam Rivera"),
        focus="Partner talk in math",
        started_on=maya.school.year_first_day + timedelta(days=30),
    )


def _cohort(rng: random.Random) -> None:
    jordan = _person("Jordan Lee")
    today = today_at(jordan.school)
    cohort = cohorts.save_cohort(
        cohort=None,
        name="North Middle School Librarians",
        level="middle",
        region="North",
        start_year=current_start_year(jordan.school, today),
        leader=None,
        meetings_required=4,
        hours_required=8,
        # The peer-coaching program's date: "December 15: Growth Plan is uploaded".
        plan_due=date(current_start_year(jordan.school, today), 12, 15),
    )
    members = [t for t in _teachers(jordan.school) if t.id != jordan.id][:4]
    for member in [jordan, *members]:
        cohorts.add_member(cohort=cohort, person=member)
    cohort.team_leader_id = jordan.id  # a leader is chosen from the members
    first = jordan.school.year_first_day
    for offset, topic in (
        (40, "Kickoff: choosing growth goals"),
        (95, "Sharing what we saw on visits"),
        (150, "Evidence of growth"),
        (230, "Celebration and year-end letters"),
    ):
        meeting = cohorts.schedule_meeting(
            cohort=cohort,
            day=first + timedelta(days=offset),
            mode="virtual" if offset % 2 else "in_person",
            place="Riverside library" if offset % 2 == 0 else "Video call (link in the calendar invite)",
            topic=topic,
        )
        if meeting.day < today:
            present = {m.user_id for m in cohort.members if rng.random() < 0.85}
            cohorts.record_attendance(meeting=meeting, present=present)
            for member in cohort.members:
                if member.user_id in present and rng.random() < 0.7:
                    cohorts.write_reflection(
                        meeting=meeting, member=member.user, text=rng.choice(REFLECTIONS), today=today
                    )
    days = _school_days(jordan.school, today)
    for member in cohort.members:
        for kind, title, minutes in rng.sample(LEARNING, 2) if days else []:
            db.session.add(
                LearningEntry(user_id=member.user_id, day=rng.choice(days), kind=kind, title=title, minutes=minutes)
            )

"""A few demo visits, so the demo shows notes that were shared and answered."""

from datetime import timedelta

from sqlalchemy import select

from ..auth.models import Role, RoleGrant, User
from ..coverage.models import CoverageRequest
from ..db_types import utcnow
from ..extensions import db
from ..observations import changes, services
from ..protocols.models import Protocol
from ..rules import RuleViolation
from ..schools.models import PeriodAssignment
from ..schools.queries import period_runs_on
from ..schools.times import local_today
from ..visits.hosting import open_classroom
from ..visits.models import VisitSlot
from ..visits.services import sign_up
from .district import email_for


def _person(name: str) -> User:
    return db.session.scalar(select(User).where(User.email == email_for(name)))


def _protocol(slug: str) -> Protocol:
    return db.session.scalar(select(Protocol).where(Protocol.slug == slug))


def _text(slot: str, value: str, n: int) -> dict:
    key = f"demo-{slot.replace(':', '-')}-{n:04d}"  # change keys are letters, digits, - and _ only
    return {"key": key, "op": "text", "slot": slot, "value": value, "base": "", "base_revision": 0}


def seed_demo_visits() -> None:
    maya, jordan = _person("Maya Ortiz"), _person("Jordan Lee")
    walk = services.start_observation(observer=maya, host=jordan, protocol=_protocol("learning-walk"))
    walk.started_at = utcnow() - timedelta(days=3, hours=2)
    db.session.flush()
    started = walk.started_at.timestamp() * 1000
    results = changes.apply_changes(
        observation=walk,
        changes=[
            {"key": "demo-lf-0001", "op": "set", "slot": "lookfor:lookfors:0", "value": "seen"},
            {"key": "demo-lf-0002", "op": "set", "slot": "lookfor:lookfors:1", "value": "seen"},
            {"key": "demo-lf-0003", "op": "set", "slot": "lookfor:lookfors:3", "value": "not_seen"},
            {"key": "demo-ta-0001", "op": "increment", "slot": "tally:lookfors:1", "by": 1},
            {"key": "demo-ta-0002", "op": "increment", "slot": "tally:lookfors:1", "by": 1},
            _text(
                "student_talk",
                "“We're finding books that answer our own questions.”\n"
                "“I'm checking if the website says who wrote it.”",
                1,
            ),
            {
                "key": "demo-ev-0001",
                "op": "add_evidence",
                "field": "log",
                "entry": "demo-entry-0001",
                "recorded_at": started + 4 * 60_000,
            },
            _text("evidence:demo-entry-0001", "Two students compared two sources about volcanoes, out loud.", 2),
            {
                "key": "demo-ev-0002",
                "op": "add_evidence",
                "field": "log",
                "entry": "demo-entry-0002",
                "recorded_at": started + 9 * 60_000,
            },
            _text("evidence:demo-entry-0002", "A student asked the librarian how to cite a video.", 3),
        ],
    )
    refused = [r for r in results if "error" in r]
    if refused:
        raise RuntimeError(f"demo note changes were refused: {refused}")
    services.share(
        observation=walk,
        actor=maya,
        with_host=True,
        coach=_person("Sam Rivera"),
        reflection="Students talking about sources is something I want in my math class: "
        "comparing two solution methods out loud.",
    )
    services.reply(
        observation=walk,
        actor=jordan,
        text="Thank you! The source-comparison routine took us three weeks to build. Happy to share it.",
    )
    services.start_observation(observer=jordan, host=maya, protocol=_protocol("noticings-wonderings"))


def seed_demo_open_classrooms() -> int:
    """A few weeks of open classrooms across the district, so "Open classrooms" has something to show."""

    protocols = ["focus-question", "noticings-wonderings", "learning-walk", "lesson-study"]
    focus = [
        "How do students explain their thinking to each other?",
        "Who talks, and who doesn't?",
        "What do students do when they're stuck?",
        "How do students use feedback on their drafts?",
    ]
    hosts = db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.role == Role.TEACHER.value).order_by(User.id)
    ).all()[::6]
    created = 0
    for n, host in enumerate(hosts):
        teaching = db.session.scalars(
            select(PeriodAssignment).where(PeriodAssignment.user_id == host.id, PeriodAssignment.kind == "teaching")
        ).all()
        if not teaching or host.school is None:
            continue
        assignment = teaching[n % len(teaching)]
        start = local_today(host.school) + timedelta(days=1)
        day = next(
            start + timedelta(days=k)
            for k in range(14)
            if period_runs_on(assignment.period, host.school, start + timedelta(days=k))
        )
        created += len(
            open_classroom(
                host=host,
                day=day,
                period_id=assignment.period_id,
                local_start=None,
                local_end=None,
                room=assignment.room,
                capacity=1 + n % 3,
                focus_question=focus[n % len(focus)],
                protocol=_protocol(protocols[n % len(protocols)]),
                note_for_visitors="Sit wherever you can see students' work.",
                cutoff_hours=12 if n % 2 else 0,
                per_person_limit=None,
                repeat="weekly",
                weeks=3,
            )
        )
    return created


def seed_demo_coverage() -> None:
    """Bookings that take teachers out of class, so the coverage board and job board have work on them."""

    slots = db.session.scalars(select(VisitSlot).order_by(VisitSlot.starts_at)).all()
    teachers = db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.role == Role.TEACHER.value).order_by(User.id)
    ).all()
    booked = 0
    for slot in slots:
        for teacher in teachers[booked * 5 % len(teachers) :]:
            if teacher.school_id != slot.school_id or teacher.id == slot.host_id:
                continue
            try:
                signup = sign_up(slot=slot, observer=teacher, actor=teacher)
            except RuleViolation:
                continue
            if db.session.scalar(select(CoverageRequest.id).where(CoverageRequest.signup_id == signup.id)):
                booked += 1
                break
        if booked >= 8:
            return

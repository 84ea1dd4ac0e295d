"""Demo professional learning: two required trainings with hours logged toward them, a needs assessment of
Riverside's staff with its results shared back, an exit slip from the norms session that Maya Ortiz hasn't
answered yet, the toolkit's first resources, and a showcase item from Maya's visit to Jordan Lee's library."""

import random
from datetime import timedelta

from sqlalchemy import select

from ..auth.people import staff
from ..extensions import db
from ..learning.models import LearningEntry
from ..observations.models import Observation
from ..protocols.models import Protocol
from ..schools.models import School
from ..schools.queries import today_at
from ..showcase import services as showcase
from ..surveys import answering
from ..surveys import services as surveys
from ..toolkit import services as toolkit
from ..trainings import services as trainings
from .history import _person, _school_days

SCHOOL = "Riverside Middle School"
NEEDS_TEXT = [
    "Time to visit colleagues who teach the same unit.",
    "Coverage so I can observe without losing my planning time.",
    "Seeing how others use student discourse routines.",
    "More examples of descriptive notes.",
    "A short walkthrough of the new math curriculum.",
    "Chances to plan with the other grade-level teams.",
]
EXIT_TEXT = [
    "Describe, don't judge: I will write what students said.",
    "Try the noticings and wonderings protocol on my next visit.",
    "Ask my host for their focus question before the visit.",
    "Use the look-for tally instead of a checklist of my own.",
]
TOOLKIT = [
    dict(
        title="Norms for a safe and trusting visit",
        kind="norms",
        tags="trust, norms",
        summary="What host and visitor agree to before a peer visit.",
        body="We visit to learn, not to judge.\nThe host chooses the focus question; the visitor looks for evidence "
        "of it.\nNotes describe what students said and did, word for word where we can.\nWhat we see stays between "
        "us unless the host chooses to share it.\nWe thank the host and write a reflection within two days.",
    ),
    dict(
        title="How to take descriptive notes",
        kind="guide",
        tags="feedback, descriptive language",
        summary="Write what you see and hear, not what you think of it.",
        body="Write down what students say, in quotes.\nCount what can be counted: how many students spoke, how "
        'many questions were asked.\nSwap judging words (great, poor, should have) for what happened: "Six '
        'students explained their method to a partner."',
    ),
    dict(
        title="Noticings and wonderings: a protocol guide",
        kind="protocol_guide",
        tags="reflection",
        protocol="noticings-wonderings",
        summary="Before, during and after a visit with the simplest protocol.",
        body="Before: agree on a time and the host's focus.\nDuring: write what you notice, then what you wonder.\n"
        "After: share one noticing and one wondering with the host, and listen to theirs.",
    ),
    dict(
        title="Lesson study, explained",
        kind="link",
        tags="lesson study, collaboration",
        summary="The Japanese practice of planning, observing and revising a lesson together.",
        link="https://en.wikipedia.org/wiki/Lesson_study",
    ),
]


def seed_demo_learning_hub() -> None:
    rng = random.Random(23)
    admin = _person("Dana Whitfield")
    school = db.session.scalar(select(School).where(School.name == SCHOOL))
    today = today_at(school)
    people = staff(school_id=school.id)
    maya = _person("Maya Ortiz")
    days = _school_days(school, today)[-30:] or [today]

    reporter = trainings.save_training(
        actor=admin,
        training=None,
        title="Mandated reporter training",
        hours=2,
        due_on=today + timedelta(days=21),
        description="The state's online module. Log it here when you finish.",
        school_id=None,
        audience="teachers",
    )
    norms = trainings.save_training(
        actor=admin,
        training=None,
        title="Peer observation norms",
        hours=1,
        due_on=today - timedelta(days=7),
        description="The October PD session in each building's library.",
        school_id=None,
        audience="all_staff",
    )
    took_norms = [p for p in people if p.id == maya.id or rng.random() < 0.8]
    for person in took_norms:
        db.session.add(
            LearningEntry(
                user_id=person.id,
                day=rng.choice(days),
                kind="pd_session",
                minutes=60,
                title="Peer observation norms",
                setting="contract_time",
                place=f"{SCHOOL} library",
                training_id=norms.id,
            )
        )
        if rng.random() < 0.5:
            db.session.add(
                LearningEntry(
                    user_id=person.id,
                    day=rng.choice(days),
                    kind="course",
                    minutes=120,
                    title="Mandated reporter module",
                    setting=rng.choice(["after_hours", "summer"]),
                    place="Online",
                    training_id=reporter.id,
                )
            )
    db.session.flush()

    needs = surveys.create_survey(
        actor=admin,
        title="What do you need from professional learning?",
        kind="needs_assessment",
        intro="Your answers shape next semester's PD days.",
        audience=f"school:{school.id}",
        closes_on=today + timedelta(days=10),
        suggested=True,
    )
    surveys.send(survey=needs, actor=admin)
    for person in people:
        if person.id != maya.id and rng.random() < 0.7:
            _answer(needs, person, rng, NEEDS_TEXT, today)
    surveys.share(survey=needs, actor=admin)

    exit_slip = surveys.create_survey(
        actor=admin,
        title="Exit slip: peer observation norms",
        kind="exit_slip",
        intro="Two minutes, three questions.",
        audience=f"training:{norms.id}",
        closes_on=today + timedelta(days=14),
        suggested=True,
    )
    surveys.send(survey=exit_slip, actor=admin)
    for person in took_norms:
        if person.id != maya.id and rng.random() < 0.6:
            _answer(exit_slip, person, rng, EXIT_TEXT, today)

    coach = _person("Sam Rivera")
    protocols = {p.slug: p.id for p in db.session.scalars(select(Protocol).where(Protocol.slug.is_not(None)))}
    for item in TOOLKIT:
        values = dict(summary="", body="", link="") | item
        toolkit.save_resource(
            actor=coach, resource=None, protocol_id=protocols.get(values.pop("protocol", "")), **values
        )

    visit = db.session.scalar(select(Observation).where(Observation.observer_id == maya.id).order_by(Observation.id))
    if visit is not None:
        item = showcase.propose(
            observation=visit,
            actor=maya,
            title="Students checking who wrote a source",
            excerpt="“I'm checking if the website says who wrote it.”\nTwo students compared two sources about "
            "volcanoes, out loud.",
            photo_id=None,
        )
        showcase.consent(item=item, actor=visit.host)
    db.session.flush()


def _answer(survey, person, rng, texts, today) -> None:
    form = {}
    for question in survey.questions:
        if question.kind == "scale":
            form[f"q{question.id}"] = str(rng.choice([3, 4, 4, 5, 5, 2]))
        elif question.kind == "choice":
            form[f"q{question.id}"] = rng.choice(question.choices)
        elif rng.random() < 0.8:
            form[f"q{question.id}"] = rng.choice(texts)
    values, errors = answering.read_answers(survey, form)
    if errors:
        raise RuntimeError(f"demo survey answers were refused: {errors}")
    answering.answer(survey=survey, person=person, values=values, today=today)

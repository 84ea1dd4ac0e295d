"""Demo walks at Riverside Middle School: two Blast Walkthroughs earlier in the year with results to look at
(the second with its "We noticed" summary sent), and one running this week that the demo teacher is on."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..db_types import utcnow
from ..extensions import db
from ..schools.models import School
from ..schools.queries import today_at
from ..walks.models import (
    GRADE_BANDS,
    SUBJECT_AREAS,
    Walk,
    WalkClassroom,
    WalkMark,
    WalkSummary,
    WalkTeamMember,
    WalkTool,
)
from .district import NAMED_PEOPLE
from .history import _person, _school_days

SCHOOL = "Riverside Middle School"
TEAM = [NAMED_PEOPLE["teacher"][1], NAMED_PEOPLE["teacher_coach"][1], NAMED_PEOPLE["coach"][1]]
NOTICED = (
    "In most classrooms students could say what they were learning, and more often than on our first walk they chose "
    "how to show it. Students talked with each other about the content in about half the rooms we visited."
)
WONDERED = "How might we give students more chances to ask their own questions, in every subject?"


def _classrooms(walk: Walk, walkers, days: list[date], count: int, chance: dict[str, float], rng) -> None:
    for n in range(count):
        classroom = WalkClassroom(
            walk_id=walk.id,
            walker_id=walkers[n % len(walkers)].id,
            client_key=f"demo-{walk.id}-{n}",
            visited_on=days[n % len(days)],
            grade_band="6-8" if rng.random() < 0.9 else rng.choice(GRADE_BANDS),
            subject_area=rng.choice(SUBJECT_AREAS[:6]) if rng.random() < 0.85 else None,
            evidence="",
        )
        for item in walk.look_fors:
            if rng.random() < 0.08:
                state = "not_applicable"
            else:
                state = "seen" if rng.random() < chance.get(item["key"], 0.5) else "not_seen"
            classroom.marks.append(WalkMark(look_for_key=item["key"], state=state))
        db.session.add(classroom)


def seed_demo_walks(seed: int = 2026) -> None:
    rng = random.Random(seed)
    school = db.session.scalar(select(School).where(School.name == SCHOOL))
    tool = db.session.scalar(select(WalkTool).where(WalkTool.slug == "strategic-plan-focus"))
    team = [_person(name) for name in TEAM]
    if school is None or tool is None or None in team:
        return
    today = today_at(school)
    days = _school_days(school, today)
    if len(days) < 30:
        return
    keys = [item["key"] for item in tool.look_fors]
    earlier = {key: 0.25 + 0.5 * rng.random() for key in keys}
    later = {key: min(0.95, chance + 0.15) for key, chance in earlier.items()}
    for focus, walk_days, chance, count in (
        ("Empowered learning: student choice", days[30:32], earlier, 18),
        ("Empowered learning: student choice", days[-8:-6], later, 16),
    ):
        walk = Walk(
            school_id=school.id,
            tool_id=tool.id,
            kind="blast",
            focus=focus,
            starts_on=walk_days[0],
            ends_on=walk_days[-1],
            look_fors=[dict(item) for item in tool.look_fors],
            created_by_id=team[2].id,
            announced_at=utcnow() - timedelta(days=(today - walk_days[0]).days + 7),
        )
        walk.team = [WalkTeamMember(user_id=person.id) for person in team]
        db.session.add(walk)
        db.session.flush()
        _classrooms(walk, team, walk_days, count, chance, rng)
    db.session.add(
        WalkSummary(
            walk_id=walk.id,
            noticed=NOTICED,
            wondered=WONDERED,
            written_by_id=team[1].id,
            sent_at=utcnow() - timedelta(days=2),
        )
    )
    this_week = Walk(
        school_id=school.id,
        tool_id=tool.id,
        kind="learning_walk",
        focus="Students asking their own questions",
        starts_on=today,
        ends_on=today + timedelta(days=2),
        look_fors=[dict(item) for item in tool.look_fors],
        created_by_id=team[2].id,
        announced_at=utcnow() - timedelta(days=5),
    )
    this_week.team = [WalkTeamMember(user_id=team[0].id), WalkTeamMember(user_id=team[1].id)]
    db.session.add(this_week)
    db.session.flush()

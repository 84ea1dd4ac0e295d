"""A school with a planned walk, a team of two walkers, and staff whose names, rooms and periods must never
appear in anything a walk produces."""

from datetime import time

import pytest

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.schools.models import PeriodAssignment
from walkthrough.schools.services import save_period
from walkthrough.schools.times import local_today
from walkthrough.walks import capture as walk_capture
from walkthrough.walks import services as walks
from walkthrough.walks.builtin import BUILT_IN_TOOLS
from walkthrough.walks.models import WalkTool

# Strings that name a teacher's class: none may appear in a walk's pages, exports or emails.
HOSTS = ["Zelda Quartzfield", "Ignatius Plumtree", "Odalys Brightwater"]
ROOMS = ["Room Q-217", "Room Q-318", "Room Q-419"]
COURSES = ["Algebra Zeta", "Chemistry Zeta", "Poetry Zeta"]
PERIOD = "Zeta Block"


def strategic_tool() -> WalkTool:
    return db.session.scalar(db.select(WalkTool).where(WalkTool.slug == BUILT_IN_TOOLS[0]["slug"]))


@pytest.fixture
def walk_world(app, make_school, make_user):
    school = make_school("Cedar Creek Middle")
    period = save_period(
        school=school,
        period=None,
        name=PERIOD,
        starts_at=time(9),
        ends_at=time(9, 50),
        days=["mon", "tue", "wed", "thu", "fri"],
    )
    hosts = [make_user(Role.TEACHER, school=school, name=name) for name in HOSTS]
    db.session.add_all(
        PeriodAssignment(user_id=host.id, period_id=period.id, kind="teaching", course=course, room=room)
        for host, course, room in zip(hosts, COURSES, ROOMS, strict=True)
    )
    coach = make_user(Role.COACH, school=school, name="Casey Coach")
    walker = make_user(Role.TEACHER, school=school, name="Wren Walker")
    admin = make_user(Role.ADMIN, school=school, name="Pat Principal")
    district = make_user(Role.ADMIN, name="Dana District")
    elsewhere_school = make_school("Maple Elementary")
    elsewhere = make_user(Role.TEACHER, school=elsewhere_school, name="Eli Elsewhere")
    db.session.commit()
    today = local_today(school)
    walk = walks.plan_walk(
        actor=coach,
        school=school,
        tool=strategic_tool(),
        kind="blast",
        focus="Empowered learning",
        starts_on=today,
        ends_on=today,
        team_ids=[coach.id, walker.id],
    )
    db.session.commit()
    return {
        "school": school,
        "other_school": elsewhere_school,
        "hosts": hosts,
        "coach": coach,
        "walker": walker,
        "admin": admin,
        "district": district,
        "elsewhere": elsewhere,
        "walk": walk,
        "today": today,
        "keys": [item["key"] for item in walk.look_fors],
    }


def record(world, walker, n: int, *, grade_band="", subject_area="", evidence="", seen_first=True, **kwargs):
    """Record n classrooms: the first look-for seen (or not), the second not seen, the third not applicable."""
    keys = world["keys"]
    made = []
    for i in range(n):
        classroom, _ = walk_capture.capture_classroom(
            walk=kwargs.get("walk", world["walk"]),
            walker=walker,
            client_key="",
            visited_on=world["today"],
            grade_band=grade_band,
            subject_area=subject_area,
            marks={keys[0]: "seen" if seen_first else "not_seen", keys[1]: "not_seen", keys[2]: "not_applicable"},
            tallies={keys[0]: str(20 + i)},
            evidence=evidence.format(i=i),
        )
        made.append(classroom)
    db.session.commit()
    return made

"""Demo data at the size of a real district (or a state): schools, staff with schedules, and three
school years of visits, notes, cover, coaching and cohorts. Deterministic for a given seed, and written
in bulk so a district builds on SQLite in a few minutes.

    flask demo seed --scale district     50 schools, 3,000 teachers, ~200,000 observations
    flask demo seed --scale state        ten times that; meant for PostgreSQL"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from werkzeug.security import generate_password_hash

from ..auth.models import RoleGrant, User
from ..coverage.models import SubstitutePool
from ..schools.models import BellPeriod, PeriodAssignment, School
from ..schools.years import district_year, year_containing
from .bulk import BulkWriter
from .district import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES


@dataclass(frozen=True)
class Scale:
    schools: int
    teachers_per_school: int
    coaches: int
    substitutes: int
    years: int
    visits_per_teacher_year: int


SCALES = {
    "district": Scale(
        schools=50, teachers_per_school=60, coaches=40, substitutes=100, years=3, visits_per_teacher_year=35
    ),
    "state": Scale(
        schools=500, teachers_per_school=60, coaches=400, substitutes=1000, years=3, visits_per_teacher_year=35
    ),
}

LEVELS = ("elementary", "middle", "high")
REGIONS = ("North", "South", "East", "West", "Central")
ZONES = ("America/Chicago", "America/Denver", "America/New_York")
# (name, start, end): the same bell schedule shape for every school of a level.
BELLS = {
    "elementary": [
        ("Literacy", (8, 10), (9, 40)),
        ("Specials", (9, 45), (10, 30)),
        ("Math", (10, 35), (11, 35)),
        ("Science", (12, 30), (13, 15)),
        ("Writing", (14, 5), (14, 50)),
    ],
    "middle": [
        ("Period 1", (8, 0), (8, 50)),
        ("Period 2", (8, 55), (9, 45)),
        ("Period 3", (9, 50), (10, 40)),
        ("Period 4", (11, 15), (12, 5)),
        ("Period 5", (12, 45), (13, 35)),
        ("Period 6", (13, 40), (14, 30)),
        ("Period 7", (14, 35), (15, 25)),
    ],
    "high": [
        ("Block 1", (7, 45), (9, 15)),
        ("Block 2", (9, 25), (10, 55)),
        ("Block 3", (11, 35), (13, 5)),
        ("Block 4", (13, 15), (14, 45)),
    ],
}
SUBJECTS = ("English", "Math", "Science", "Social Studies", "Spanish", "Art", "Music", "PE", "Library")


@dataclass
class Place:
    """What the history generator needs to know about a school, kept in memory while it writes."""

    id: int
    level: str
    region: str
    zone: str
    periods: list[tuple[int, time, time]]
    teachers: list[int]
    planning: dict[int, int]  # teacher -> their planning period
    teaching: dict[int, list[int]]  # period -> teachers teaching then


def email(kind: str, n: int) -> str:
    return f"{kind}{n:05d}@district.example"


def build_district(scale: Scale, rng: random.Random, writer: BulkWriter, today: date) -> dict:
    """Schools, bell schedules, staff and schedules. Returns what the history needs."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    hashed = generate_password_hash(DEMO_PASSWORD)
    year = district_year(year_containing(today).start_year)
    first_day, last_day = date(year.start.year, 8, 17), date(year.end.year, 5, 28)
    created = datetime(year.start.year - scale.years + 1, 8, 1, tzinfo=UTC)
    person_count = 0

    def person(kind: str, school_id: int | None, roles: tuple[str, ...], subjects: str = "") -> int:
        nonlocal person_count
        person_count += 1
        user_id = writer.add(
            User,
            email=email(kind, person_count),
            name=f"{rng.choice(names)}",
            school_id=school_id,
            password_hash=hashed,
            link_nonce="",
            calendar_token=f"scale-calendar-{person_count}",
            subjects=subjects,
            grade_band="",
            is_active_account=True,
            created_at=created,
            cover_lock=0,
        )
        for role in roles:
            writer.add(RoleGrant, user_id=user_id, role=role)
        return user_id

    places = []
    writer.add(
        User,
        email="dana.whitfield@district.example",
        name="Dana Whitfield",
        school_id=None,
        password_hash=hashed,
        link_nonce="",
        calendar_token="scale-calendar-admin",
        subjects="",
        grade_band="",
        is_active_account=True,
        created_at=created,
        cover_lock=0,
    )
    writer.add(RoleGrant, user_id=writer.next_ids[User.__table__] - 1, role="admin")
    for s in range(scale.schools):
        level, region, zone = LEVELS[s % 3], REGIONS[(s // 3) % 5], ZONES[s % 3]
        school_id = writer.add(
            School,
            name=f"{region} {level.capitalize()} School {s + 1:03d}",
            level=level,
            region=region,
            timezone=zone,
            rotation="weekly",
            year_first_day=first_day,
            year_last_day=last_day,
            address=f"{100 + s} School Road",
            release_minutes_default=480,
            weekly_cover_cap=3,
            requires_visit_approval=False,
        )
        periods = []
        for name, start, end in BELLS[level]:
            period_id = writer.add(
                BellPeriod,
                school_id=school_id,
                name=name,
                starts_at=time(*start),
                ends_at=time(*end),
                days="mon tue wed thu fri",
            )
            periods.append((period_id, time(*start), time(*end)))
        person("principal", school_id, ("admin",))
        place = Place(school_id, level, region, zone, periods, [], {}, {p[0]: [] for p in periods})
        for n in range(scale.teachers_per_school):
            subject = rng.choice(SUBJECTS)
            teacher = person("teacher", school_id, ("teacher",), subject)
            planning = periods[n % len(periods)][0]
            place.teachers.append(teacher)
            place.planning[teacher] = planning
            for period_id, _, _ in periods:
                kind = "planning" if period_id == planning else "teaching"
                writer.add(
                    PeriodAssignment,
                    user_id=teacher,
                    period_id=period_id,
                    kind=kind,
                    course=f"{subject} {n % 4 + 1}" if kind == "teaching" else "",
                    room=f"{100 + n}" if kind == "teaching" else "",
                )
                if kind == "teaching":
                    place.teaching[period_id].append(teacher)
        places.append(place)
    coaches = [person("coach", places[c % len(places)].id if c % 2 else None, ("coach",)) for c in range(scale.coaches)]
    substitutes = [person("substitute", None, ("substitute",)) for _ in range(scale.substitutes)]
    for n, substitute in enumerate(substitutes):
        for place in places[n % len(places) :: max(len(places) // 5, 1)][:5]:
            writer.add(SubstitutePool, substitute_id=substitute, school_id=place.id)
    return {"places": places, "coaches": coaches, "substitutes": substitutes, "first_day": first_day}

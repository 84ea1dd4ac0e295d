"""The demo district: three schools, their bell schedules, and a roster of about 70 people.

Everything is deterministic: the same seed gives the same people, so demo logins stay put."""

import csv
import io
import random
from datetime import date, time

from ..schools.models import Rotation, SchoolLevel

DEMO_PASSWORD = "walkthrough-demo"
DOMAIN = "district.example"

FIRST_NAMES = """Aaliyah Ben Camila Darius Elena Farah Gabriel Hana Isaac Jamal Keiko Liam Mariana Noah Olivia Priya
Quinn Rosa Samuel Tariq Uma Victor Wen Ximena Yusuf Zoe Amara Brooke Carlos Deepa Ethan Fatima Grace Hector Imani
Jonah Kavya Luis Mei Nadia Omar Paige Rafael Sofia Theo Valentina Will Yara Andre Bianca Cole Dalia Emmett Frida
Gwen Hugo Iris Joel Lena Marcus""".split()
LAST_NAMES = """Abbott Baker Castillo Delgado Edwards Fischer Garcia Hughes Ibrahim Jensen Kowalski Lopez Mendoza
Nguyen Okafor Patel Quintero Ramirez Schmidt Tanaka Underwood Vasquez Washington Xu Yamamoto Zimmerman Brennan
Chowdhury Duarte Ellis Foster Gallagher Hernandez Iverson Jordan Khan Larsen Moreau Novak Osei""".split()


def school_year(today: date) -> tuple[date, date]:
    start_year = today.year if today.month >= 8 else today.year - 1
    return date(start_year, 8, 17), date(start_year + 1, 5, 28)


WEEK = ["mon", "tue", "wed", "thu", "fri"]

SCHOOLS = [
    {
        "name": "Cedar Creek Elementary",
        "level": SchoolLevel.ELEMENTARY,
        "region": "North",
        "address": "1200 Cedar Creek Road, Springfield",
        "timezone": "America/Chicago",
        "rotation": Rotation.WEEKLY,
        "periods": [
            ("Morning Meeting", time(7, 50), time(8, 10), WEEK),
            ("Literacy Block", time(8, 10), time(9, 40), WEEK),
            ("Specials", time(9, 45), time(10, 30), WEEK),
            ("Math Block", time(10, 35), time(11, 35), WEEK),
            ("Lunch & Recess", time(11, 40), time(12, 25), WEEK),
            ("Science & Social Studies", time(12, 30), time(13, 15), WEEK),
            ("Intervention", time(13, 20), time(14, 0), ["mon", "tue", "wed", "thu"]),
            ("Writing Workshop", time(14, 5), time(14, 50), WEEK),
        ],
    },
    {
        "name": "Riverside Middle School",
        "level": SchoolLevel.MIDDLE,
        "region": "North",
        "address": "45 River Street, Springfield",
        "timezone": "America/Chicago",
        "rotation": Rotation.WEEKLY,
        "periods": [
            ("Period 1", time(8, 0), time(8, 50), WEEK),
            ("Period 2", time(8, 55), time(9, 45), WEEK),
            ("Period 3", time(9, 50), time(10, 40), WEEK),
            ("Advisory", time(10, 45), time(11, 10), ["mon", "wed", "fri"]),
            ("Period 4", time(11, 15), time(12, 5), WEEK),
            ("Lunch", time(12, 10), time(12, 40), WEEK),
            ("Period 5", time(12, 45), time(13, 35), WEEK),
            ("Period 6", time(13, 40), time(14, 30), WEEK),
            ("Period 7", time(14, 35), time(15, 25), WEEK),
        ],
    },
    {
        "name": "Lincoln High School",
        "level": SchoolLevel.HIGH,
        "region": "West",
        "address": "900 Lincoln Avenue, Mesa Verde",
        "timezone": "America/Denver",
        "rotation": Rotation.AB,
        "periods": [
            ("Block 1", time(7, 45), time(9, 15), ["A"]),
            ("Block 2", time(9, 25), time(10, 55), ["A"]),
            ("Block 3", time(11, 35), time(13, 5), ["A"]),
            ("Block 4", time(13, 15), time(14, 45), ["A"]),
            ("Block 5", time(7, 45), time(9, 15), ["B"]),
            ("Block 6", time(9, 25), time(10, 55), ["B"]),
            ("Block 7", time(11, 35), time(13, 5), ["B"]),
            ("Block 8", time(13, 15), time(14, 45), ["B"]),
            ("Lunch", time(11, 0), time(11, 30), ["A", "B"]),
        ],
    },
]

# (school, name, subjects, grade band, extra roles) for people the README names as demo logins.
NAMED_PEOPLE = {
    "teacher": ("Riverside Middle School", "Maya Ortiz", "Math", "6-8", ["teacher"]),
    "teacher_coach": ("Riverside Middle School", "Jordan Lee", "Library", "6-8", ["teacher", "coach"]),
    "coach": ("", "Sam Rivera", "Math", "K-12", ["coach"]),
    "elementary_coach": ("Cedar Creek Elementary", "Hannah Brooks", "Literacy", "K-5", ["coach"]),
    "admin": ("", "Dana Whitfield", "", "", ["admin"]),
    "principal": ("Lincoln High School", "Marcus Bell", "", "", ["admin"]),
    "substitute": ("", "Alex Kim", "", "", ["substitute"]),
}


def email_for(name: str) -> str:
    return f"{name.lower().replace(' ', '.').replace(chr(39), '')}@{DOMAIN}"


class RosterWriter:
    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.writer.writerow(
            ["email", "name", "roles", "school", "subjects", "grade_band", "period", "assignment", "course", "room"]
        )

    def person(self, name, roles, school, subjects="", grade_band="", periods=()):
        base = [email_for(name), name, ";".join(roles), school, subjects, grade_band]
        if not periods:
            self.writer.writerow(base + ["", "", "", ""])
        for period, kind, course, room in periods:
            self.writer.writerow(base + [period, kind, course, room])

    def text(self) -> str:
        return self.buffer.getvalue()


def _elementary(roster: RosterWriter, names, rng):
    school = "Cedar Creek Elementary"
    grades = ["K", "1", "2", "3", "4", "5"]
    for index in range(15):
        grade = grades[index % 6]
        room = f"{100 + index}"
        label = "Kindergarten" if grade == "K" else f"Grade {grade}"
        periods = [
            ("Literacy Block", "teaching", f"{label} Literacy", room),
            ("Specials", "planning", "", ""),
            ("Math Block", "teaching", f"{label} Math", room),
            ("Science & Social Studies", "teaching", f"{label} Science & Social Studies", room),
            ("Writing Workshop", "teaching", f"{label} Writing", room),
        ]
        if rng.random() < 0.3:
            periods.append(("Lunch & Recess", "duty", "Recess duty", "Playground"))
        roster.person(next(names), ["teacher"], school, "Elementary", grade, periods)
    for subject, room in [("Art", "Art Room"), ("Music", "Music Room"), ("Physical Education", "Gym")]:
        roster.person(
            next(names),
            ["teacher"],
            school,
            subject,
            "K-5",
            [
                ("Specials", "teaching", f"{subject}", room),
                ("Literacy Block", "planning", "", ""),
                ("Intervention", "teaching", "Reading intervention", room),
            ],
        )


def _secondary(roster: RosterWriter, names, rng, school, periods, subjects, grade_band, count, teaching_load, first=()):
    people = list(first) + [(next(names), rng.choice(subjects)) for _ in range(count - len(first))]
    for position, (name, subject) in enumerate(people):
        room = f"{200 + position}"
        planning = periods[position % len(periods)]
        rows = [
            (p, "teaching", f"{subject} {rng.choice(['I', 'II', 'Honors', 'Foundations'])}", room)
            for p in periods
            if p != planning
        ][:teaching_load]
        rows.append((planning, "planning", "", ""))
        roles = ["teacher", "coach"] if name == "Jordan Lee" else ["teacher"]
        roster.person(name, roles, school, subject, grade_band, rows)


def build_roster(seed: int = 2026) -> str:
    rng = random.Random(seed)
    taken = {p[1] for p in NAMED_PEOPLE.values()}
    pool = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pool)
    names = iter(n for n in pool if n not in taken)
    roster = RosterWriter()
    _elementary(roster, names, rng)
    _secondary(
        roster,
        names,
        rng,
        "Riverside Middle School",
        ["Period 1", "Period 2", "Period 3", "Period 4", "Period 5", "Period 6", "Period 7"],
        ["English Language Arts", "Math", "Science", "Social Studies", "Spanish", "Band", "Art"],
        "6-8",
        count=20,
        teaching_load=5,
        first=[("Maya Ortiz", "Math"), ("Jordan Lee", "Library")],
    )
    _secondary(
        roster,
        names,
        rng,
        "Lincoln High School",
        [f"Block {n}" for n in range(1, 9)],
        ["English", "Algebra", "Geometry", "Biology", "Chemistry", "US History", "French", "Computer Science"],
        "9-12",
        count=22,
        teaching_load=6,
    )
    for key in ("coach", "elementary_coach", "admin", "principal", "substitute"):
        school, name, subjects, band, roles = NAMED_PEOPLE[key]
        roster.person(name, roles, school, subjects, band)
    for _ in range(4):
        roster.person(next(names), ["substitute"], "")
    return roster.text()

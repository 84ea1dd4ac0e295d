"""Reading a roster CSV into checked rows, with every problem located by row and column.

One row per person per period: a teacher with six periods has six rows that repeat the
person's columns; people without periods (coaches, admins, substitutes) have one row with
the period columns empty. The header is row 1, as a spreadsheet numbers it."""

import csv
import io
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from ..auth.models import Role, User
from ..auth.people import clean_grade_band, clean_subjects, role_problem
from ..rules import RuleViolation
from ..schools.models import AssignmentKind, BellPeriod, School
from ..text import LINE_BREAK_IN_NAME, has_control_characters

REQUIRED_COLUMNS = ("email", "name", "roles", "school")
OPTIONAL_COLUMNS = ("subjects", "grade_band", "period", "assignment", "course", "room")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
PERSON_COLUMNS = ("name", "roles", "school", "subjects", "grade_band")
MAX_ROWS = 50_000

NOT_TEXT = (
    "This file isn't a CSV; it looks like a binary file (a spreadsheet?). Save it as “CSV UTF-8” and upload that."
)
EMPTY_FILE = "The file is empty."
NO_DATA_ROWS = "The file has a header row but no people."
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS:,} rows; split it into smaller files."
MISSING_COLUMNS = "The first row must name the columns. Missing: {missing}."
UNKNOWN_COLUMNS = "Unknown column(s): {unknown}. Columns can be: {allowed}."
DUPLICATE_COLUMNS = "Column(s) named twice: {duplicated}."
NOT_CSV_STRUCTURE = "Row {row} could not be read as CSV: {error}."


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "") if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class PersonEntry:
    row: int
    email: str
    name: str
    roles: frozenset[Role]
    school: School | None
    subjects: str
    grade_band: str
    raw: dict[str, str] = field(repr=False, default_factory=dict)


@dataclass
class PeriodEntry:
    row: int
    email: str
    period: BellPeriod
    kind: AssignmentKind
    course: str
    room: str


@dataclass
class RosterRows:
    people: dict[str, PersonEntry] = field(default_factory=dict)
    periods: dict[str, dict[int, PeriodEntry]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def decode_upload(raw: bytes) -> str:
    if not raw.strip():
        raise RuleViolation(EMPTY_FILE)
    if b"\x00" in raw[:4096]:
        raise RuleViolation(NOT_TEXT)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # what Excel writes for plain “CSV”


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in ALL_COLUMNS]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem(1, None, MISSING_COLUMNS.format(missing=", ".join(missing))))
    if unknown:
        problems.append(
            Problem(
                1,
                None,
                UNKNOWN_COLUMNS.format(unknown=", ".join(f"“{c}”" for c in unknown), allowed=", ".join(ALL_COLUMNS)),
            )
        )
    if duplicated:
        problems.append(Problem(1, None, DUPLICATE_COLUMNS.format(duplicated=", ".join(duplicated))))
    return problems


def _delimiter(text: str) -> str:
    """Commas, or the semicolons and tabs that some spreadsheet locales write instead."""
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
        if header is None:
            return [], [Problem(None, None, EMPTY_FILE)]
        header = [h.strip().lower().replace(" ", "_") for h in header]
        problems = _header_problems(header)
        if problems:
            return [], problems
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                return [], [Problem(None, None, TOO_MANY_ROWS)]
            padded = values + [""] * (len(header) - len(values))
            rows.append((reader.line_num, {col: padded[i].strip() for i, col in enumerate(header)}))
    except csv.Error as error:
        return [], [Problem(reader.line_num, None, NOT_CSV_STRUCTURE.format(row=reader.line_num, error=error))]
    if not rows:
        return [], [Problem(None, None, NO_DATA_ROWS)]
    return rows, []


def _parse_roles(value: str) -> tuple[frozenset[Role], list[str]]:
    names = [part.lower() for part in re.split(r"[;|,\s]+", value) if part]
    bad = [n for n in names if n not in {r.value for r in Role}]
    return frozenset(Role(n) for n in names if n not in bad), bad


class RowChecker:
    """Checks rows one at a time against the schools in the database and the rows before."""

    def __init__(self, *, schools: list[School], actor: User | None, existing: dict[str, User]):
        self.schools = {s.name.lower(): s for s in schools}
        self.periods = {(p.school_id, p.name.lower()): p for s in schools for p in s.periods}
        self.actor = actor
        self.existing = existing
        self.result = RosterRows()

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.result.problems.append(Problem(row, column, message))

    def check(self, row: int, values: dict[str, str]) -> None:
        person, valid = self._person(row, values)
        if not valid:
            # Still check the period columns, so one upload reports every problem in the row.
            if person.school is not None:
                self._period(row, values, person, record=False)
            return
        earlier = self.result.people.get(person.email)
        if earlier is None:
            self.result.people[person.email] = person
        else:
            for column in PERSON_COLUMNS:
                if values.get(column, "") != earlier.raw.get(column, ""):
                    self.problem(
                        row,
                        column,
                        f"Differs from row {earlier.row} for {person.email}; "
                        "a person's details must be the same on each of their rows.",
                    )
        self._period(row, values, self.result.people[person.email])

    def _person(self, row: int, values: dict[str, str]) -> tuple[PersonEntry, bool]:
        before = len(self.result.problems)
        email = values["email"].lower()
        if not email:
            self.problem(row, "email", "Enter the person's email.")
        else:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                self.problem(row, "email", f"“{values['email']}” is not a valid email address.")
        name = values["name"]
        if not name:
            self.problem(row, "name", "Enter the person's name.")
        elif has_control_characters(name):
            self.problem(row, "name", LINE_BREAK_IN_NAME)
        elif len(name) > 120:
            self.problem(row, "name", "Names can be at most 120 characters.")
        roles, bad_roles = _parse_roles(values["roles"])
        if bad_roles:
            self.problem(
                row, "roles", f"Unknown role(s) {', '.join(bad_roles)}; use teacher, coach, admin, substitute."
            )
        elif not roles:
            self.problem(row, "roles", "Give at least one role: teacher, coach, admin or substitute.")
        elif problem := role_problem(person=self.existing.get(email), actor=self.actor, roles=set(roles)):
            self.problem(row, "roles", problem)
        school = self._school(row, values["school"], roles)
        subjects = clean_subjects(values.get("subjects", ""))
        if len(subjects) > 255:
            self.problem(row, "subjects", "Subjects can be at most 255 characters in all.")
        try:
            grade_band = clean_grade_band(values.get("grade_band", ""))
        except RuleViolation as violation:
            self.problem(row, "grade_band", violation.message)
            grade_band = ""
        existing = self.existing.get(email)
        if existing and self.actor and self.actor.school_id is not None and existing.school_id != self.actor.school_id:
            self.problem(row, "email", "This person belongs to another school; a district admin can move them.")
        entry = PersonEntry(row, email, name, roles, school, subjects, grade_band, raw=values)
        return entry, len(self.result.problems) == before

    def _school(self, row: int, name: str, roles: frozenset[Role]) -> School | None:
        if not name:
            if Role.TEACHER in roles:
                self.problem(row, "school", "Teachers need a school.")
            elif self.actor and self.actor.school_id is not None:
                self.problem(row, "school", "Give the school; you can import people for your own school only.")
            return None
        school = self.schools.get(name.lower())
        if school is None:
            known = ", ".join(s.name for s in self.schools.values()) or "none yet"
            self.problem(row, "school", f"No school named “{name}”. Schools: {known}.")
        elif self.actor and self.actor.school_id not in (None, school.id):
            self.problem(row, "school", "You can import people for your own school only.")
            return None
        return school

    def _period(self, row: int, values: dict[str, str], person: PersonEntry, record: bool = True) -> None:
        period_name = values.get("period", "")
        kind_name = values.get("assignment", "").lower()
        if not any(values.get(c) for c in ("period", "assignment", "course", "room")):
            return
        if Role.TEACHER not in person.roles:
            self.problem(row, "period", "Only teachers have periods; add the teacher role or leave the period empty.")
            return
        if not period_name:
            self.problem(row, "period", "Name the period from the school's bell schedule.")
            return
        period = self.periods.get((person.school.id, period_name.lower())) if person.school else None
        if period is None:
            self.problem(
                row,
                "period",
                f"{person.school.name if person.school else 'The school'} has no period "
                f"named “{period_name}” in its bell schedule.",
            )
        if kind_name not in {k.value for k in AssignmentKind}:
            self.problem(row, "assignment", "Say teaching, planning or duty.")
            return
        if len(values.get("course", "")) > 120:
            self.problem(row, "course", "Course names can be at most 120 characters.")
        if len(values.get("room", "")) > 40:
            self.problem(row, "room", "Rooms can be at most 40 characters.")
        if period is None or not record:
            return
        taken = self.result.periods.setdefault(person.email, {})
        if period.id in taken:
            self.problem(
                row, "period", f"{period.name} is already given to {person.email} on row {taken[period.id].row}."
            )
            return
        taken[period.id] = PeriodEntry(
            row,
            person.email,
            period,
            AssignmentKind(kind_name),
            values.get("course", "")[:120],
            values.get("room", "")[:40],
        )

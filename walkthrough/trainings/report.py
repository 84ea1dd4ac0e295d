"""Learning hours for a year: by school, kind, when it happened (contract time, after hours, summer) and month,
and each required training's completion by school. Hours and counts only; no titles of anyone's own learning."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from .. import sheets
from ..auth.models import User
from ..charts import BarChart, bar_chart, month_label, months_between
from ..extensions import db
from ..learning.models import LearningEntry, LearningKind, LearningSetting, RequiredTraining
from ..schools.models import School
from ..schools.years import SchoolYear
from ..sqltime import month_number
from .services import minutes_toward, required_filter


@dataclass
class TrainingRow:
    training: RequiredTraining
    school: str
    required: int
    complete: int

    @property
    def percent(self) -> float:
        return round(100 * self.complete / self.required, 1) if self.required else 0.0


@dataclass
class LearningReport:
    year: SchoolYear
    schools: list[School]
    by_school: dict[str, float] = field(default_factory=dict)
    by_kind: dict[str, float] = field(default_factory=dict)
    by_setting: dict[str, float] = field(default_factory=dict)
    by_month: dict[str, float] = field(default_factory=dict)
    people: int = 0
    trainings: list[TrainingRow] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return round(sum(self.by_school.values()), 1)

    def charts(self) -> list[BarChart]:
        def chart(title, values, label):
            return bar_chart(title, [(k, v) for k, v in values.items()], value_heading="Hours", label_heading=label)

        return [
            # The year is in the page's heading; "Aug 2026" under every column would not fit a phone.
            chart("Hours by month", {k.split()[0]: v for k, v in self.by_month.items()}, "Month"),
            chart("Hours by when it happened", self.by_setting, "When"),
            chart("Hours by kind", self.by_kind, "Kind"),
            chart("Hours by school", self.by_school, "School"),
        ]


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def learning_report(year: SchoolYear, schools: list[School]) -> LearningReport:
    report = LearningReport(year, schools)
    school_ids = [s.id for s in schools]
    names = {s.id: s.name for s in schools}
    base = (
        select()
        .select_from(LearningEntry)
        .join(User, User.id == LearningEntry.user_id)
        .where(LearningEntry.day.between(year.start, year.end), User.school_id.in_(school_ids))
    )
    minutes = func.sum(LearningEntry.minutes)

    def grouped(column):
        return db.session.execute(base.add_columns(column, minutes).group_by(column)).all()

    report.by_school = {name: 0.0 for name in names.values()} | {
        names[k]: _hours(m) for k, m in grouped(User.school_id)
    }
    kinds = dict(grouped(LearningEntry.kind))
    report.by_kind = {k.label: _hours(kinds.get(k.value)) for k in LearningKind}
    settings = dict(grouped(LearningEntry.setting))
    report.by_setting = {s.label: _hours(settings.get(s.value)) for s in LearningSetting}
    months = dict(grouped(month_number(LearningEntry.day)))
    report.by_month = {
        month_label(key, with_year=True): _hours(months.get(key)) for key in months_between(year.start, year.end)
    }
    report.people = db.session.scalar(base.add_columns(func.count(func.distinct(LearningEntry.user_id)))) or 0
    report.trainings = _training_rows(schools)
    return report


def _training_rows(schools: list[School]) -> list[TrainingRow]:
    school_ids = {s.id for s in schools}
    names = {s.id: s.name for s in schools}
    trainings = db.session.scalars(
        select(RequiredTraining).where(RequiredTraining.archived.is_(False)).order_by(RequiredTraining.due_on)
    ).all()
    rows: list[TrainingRow] = []
    for training in trainings:
        if training.school_id is not None and training.school_id not in school_ids:
            continue
        # Two columns of each person and the minutes summed by the database: a district is thousands of people.
        people = db.session.execute(
            select(User.id, User.school_id).where(required_filter(training), User.school_id.in_(school_ids))
        ).all()
        done = minutes_toward([training.id], None)
        per_school: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for person_id, school_id in people:
            per_school[school_id][0] += 1
            per_school[school_id][1] += done.get((training.id, person_id), 0) >= training.minutes
        for school_id in sorted(per_school, key=lambda i: names[i]):
            required, complete = per_school[school_id]
            rows.append(TrainingRow(training, names[school_id], required, complete))
    return rows


HEADER = ["Measure", "Group", sheets.hours("Hours")]
TRAINING_HEADER = [
    "Training",
    sheets.hours("Hours required"),
    sheets.day("Due"),
    "School",
    "Required of",
    "Complete",
    sheets.percent("Complete (%)"),
]


def hour_rows(report: LearningReport):
    for measure, values in (
        ("By school", report.by_school),
        ("By kind", report.by_kind),
        ("By when it happened", report.by_setting),
        ("By month", report.by_month),
    ):
        for group, hours in values.items():
            yield [measure, group, hours]


def training_rows(report: LearningReport):
    for row in report.trainings:
        yield [
            row.training.title,
            _hours(row.training.minutes),
            row.training.due_on,
            row.school,
            row.required,
            row.complete,
            row.percent,
        ]

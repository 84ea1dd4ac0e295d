"""Setting required trainings and counting the hours logged toward them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from ..audit.services import record as audit
from ..auth.models import Role, User
from ..auth.people import staff, staff_filter
from ..extensions import db
from ..learning.models import LearningEntry, RequiredTraining, TrainingAudience
from ..rules import RuleViolation
from ..schools.models import School
from .access import covers

AUDIENCE_ROLES = {
    TrainingAudience.ALL_STAFF: (Role.ADMIN, Role.COACH, Role.TEACHER),
    TrainingAudience.TEACHERS: (Role.TEACHER,),
    TrainingAudience.COACHES: (Role.COACH,),
    TrainingAudience.ADMINS: (Role.ADMIN,),
}
OUTSIDE_YOUR_SCHOOL = "You can set trainings for your own school only."
BAD_HOURS = "Enter between 0.25 and 200 hours, in quarter hours."
NOT_REQUIRED_OF_YOU = "Choose one of the trainings required of you, or none."


def save_training(
    *,
    actor: User,
    training: RequiredTraining | None,
    title: str,
    description: str,
    hours: float,
    due_on: date,
    school_id: int | None,
    audience: str,
) -> RequiredTraining:
    if not covers(actor, school_id) or (training is not None and not covers(actor, training.school_id)):
        raise RuleViolation(OUTSIDE_YOUR_SCHOOL, field="school_id")
    if school_id is not None and db.session.get(School, school_id) is None:
        raise RuleViolation(OUTSIDE_YOUR_SCHOOL, field="school_id")
    minutes = round(hours * 60)
    if not 15 <= minutes <= 12000 or minutes % 15:
        raise RuleViolation(BAD_HOURS, field="hours")
    training = training or RequiredTraining(created_by_id=actor.id)
    training.title, training.description = title.strip(), description.strip()
    training.minutes, training.due_on, training.school_id = minutes, due_on, school_id
    training.audience = TrainingAudience(audience).value
    db.session.add(training)
    db.session.flush()
    audit(actor, "saved", what="required training", id=training.id)
    return training


def required_of(training: RequiredTraining) -> list[User]:
    return staff(school_id=training.school_id, roles=AUDIENCE_ROLES[TrainingAudience(training.audience)])


def required_filter(training: RequiredTraining):
    return staff_filter(training.school_id, AUDIENCE_ROLES[TrainingAudience(training.audience)])


def requirements_for(person: User) -> list[RequiredTraining]:
    """The live trainings required of a person: their school's and the district's, for their roles."""
    audiences = [a.value for a, roles in AUDIENCE_ROLES.items() if person.has_role(*roles)]
    if person.school_id is None or not audiences:
        return []
    return list(
        db.session.scalars(
            select(RequiredTraining)
            .where(
                RequiredTraining.archived.is_(False),
                RequiredTraining.audience.in_(audiences),
                or_(RequiredTraining.school_id.is_(None), RequiredTraining.school_id == person.school_id),
            )
            .order_by(RequiredTraining.due_on, RequiredTraining.title)
        )
    )


def check_training_choice(person: User, training_id: int | None) -> int | None:
    if not training_id:
        return None
    if training_id not in {t.id for t in requirements_for(person)}:
        raise RuleViolation(NOT_REQUIRED_OF_YOU, field="training_id")
    return training_id


def minutes_toward(training_ids: list[int], user_ids: list[int] | None = None) -> dict[tuple[int, int], int]:
    """(training id, person id) -> minutes logged toward it."""
    if not training_ids:
        return {}
    query = (
        select(LearningEntry.training_id, LearningEntry.user_id, func.sum(LearningEntry.minutes))
        .where(LearningEntry.training_id.in_(training_ids))
        .group_by(LearningEntry.training_id, LearningEntry.user_id)
    )
    if user_ids is not None:
        query = query.where(LearningEntry.user_id.in_(user_ids))
    return {(t, u): int(m or 0) for t, u, m in db.session.execute(query)}


@dataclass(frozen=True)
class Progress:
    training: RequiredTraining
    minutes: int

    @property
    def complete(self) -> bool:
        return self.minutes >= self.training.minutes

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.minutes / self.training.minutes))


def progress_for(person: User) -> list[Progress]:
    trainings = requirements_for(person)
    done = minutes_toward([t.id for t in trainings], [person.id])
    return [Progress(t, done.get((t.id, person.id), 0)) for t in trainings]


@dataclass(frozen=True)
class Completion:
    person: object  # a row with id, name and school_id
    minutes: int
    complete: bool


def completion(training: RequiredTraining, viewer: User) -> list[Completion]:
    """Everyone the training is required of, within the viewer's scope, with their hours toward it. Names and
    ids only, and minutes summed by the database: a district-wide training is thousands of people."""
    query = select(User.id, User.name, User.school_id).where(required_filter(training))
    if viewer.school_id is not None:
        query = query.where(User.school_id == viewer.school_id)
    people = db.session.execute(query.order_by(User.name)).all()
    done = minutes_toward([training.id], None)
    return [
        Completion(p, done.get((training.id, p.id), 0), done.get((training.id, p.id), 0) >= training.minutes)
        for p in people
    ]

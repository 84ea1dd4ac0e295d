"""Who sets required trainings and reads learning reports: district admins for every school, a school's admins
for their school. A person's own log and certificate are theirs; admins see hours and completion, never the
titles of anyone's own learning beyond the required trainings."""

from flask import abort

from ..auth.models import Role, User
from ..extensions import db
from ..learning.models import RequiredTraining


def can_manage(person: User) -> bool:
    return person.has_role(Role.ADMIN)


def covers(person: User, school_id: int | None) -> bool:
    """Whether the person's admin scope includes a school (None: a district-wide training)."""
    return person.has_role(Role.ADMIN) and (person.school_id is None or person.school_id == school_id)


def training_or_404(person: User, training_id: int) -> RequiredTraining:
    training = db.session.get(RequiredTraining, training_id)
    # Every admin sees the district's trainings; a school's own only its admins and the district's.
    if training is None or not can_manage(person) or (training.school_id and not covers(person, training.school_id)):
        abort(404)
    return training


def may_edit(person: User, training: RequiredTraining) -> bool:
    return covers(person, training.school_id)

"""Who may plan, walk, read and summarise a building walkthrough. Results are about the building, so the
school's staff may read them; evidence text is its walker's alone."""

from ..auth.models import Role, User
from ..schools.models import School
from .models import Walk, WalkClassroom


def runs_the_district(person: User) -> bool:
    return person.has_role(Role.ADMIN) and person.school_id is None


def can_plan(person: User, school: School) -> bool:
    """Admins who manage the school and coaches who work there (or district-wide) plan its walks."""
    return person.has_role(Role.ADMIN, Role.COACH) and person.school_id in (None, school.id)


def on_team(person: User, walk: Walk) -> bool:
    return any(member.user_id == person.id for member in walk.team)


def can_manage(person: User, walk: Walk) -> bool:
    return walk.created_by_id == person.id or can_plan(person, walk.school)


def can_capture(person: User, walk: Walk) -> bool:
    return walk.cancelled_at is None and on_team(person, walk)


def can_see(person: User, walk: Walk) -> bool:
    """The walk page and its building-level results: the team, its planners and the school's staff."""
    return on_team(person, walk) or can_manage(person, walk) or person.school_id == walk.school_id


def can_summarise(person: User, walk: Walk) -> bool:
    return walk.cancelled_at is None and (on_team(person, walk) or can_manage(person, walk))


def can_read_evidence(person: User, classroom: WalkClassroom) -> bool:
    return classroom.walker_id is not None and classroom.walker_id == person.id


def can_compare_schools(person: User) -> bool:
    return runs_the_district(person) or (person.has_role(Role.COACH) and person.school_id is None)

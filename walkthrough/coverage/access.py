"""Who may see a cover request's plans, and which cover jobs an admin may manage.

- Plans (the teacher's notes and file for the class): the teacher, whoever covers, and the admins of that
  school. Refused as 404, so nobody learns which requests have plans.
- Boards, assignments and pools: the admins of the school (role_required for the role, 403; another
  school's board is 404, since it isn't theirs to know about).
- Absence reasons, and payroll across schools: district admins (403 for a school's admin)."""

from ..auth.models import Role, User
from ..schools.queries import can_manage_school
from .models import CoverageRequest


def can_read_plans(person: User, request: CoverageRequest) -> bool:
    if person.id in (request.teacher_id, request.cover_id):
        return True
    return person.has_role(Role.ADMIN) and can_manage_school(person, request.school)


def runs_the_district(person: User) -> bool:
    return person.has_role(Role.ADMIN) and person.school_id is None

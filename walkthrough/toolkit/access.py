"""Everyone signed in reads the toolkit; admins and coaches keep it."""

from ..auth.models import Role, User


def can_edit(person: User) -> bool:
    return person.has_role(Role.ADMIN, Role.COACH)

"""Who may copy and change protocols. Everyone signed in reads them; built-ins never change.

Copying and editing are powers, not secrets, so a refusal is 403 (the protocol itself is public)."""

from ..auth.models import Role, User
from .models import Protocol


def can_copy(user: User) -> bool:
    return user.has_role(Role.COACH, Role.ADMIN)


def can_edit(user: User, protocol: Protocol) -> bool:
    return not protocol.is_built_in and (
        user.has_role(Role.ADMIN) or (protocol.owner_id == user.id and user.has_role(Role.COACH))
    )

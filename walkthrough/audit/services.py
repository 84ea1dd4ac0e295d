"""Writing to the audit log. Entries are added, never changed: no route edits or deletes them."""

from ..auth.models import User
from ..extensions import db
from .models import AuditEvent

ACTIONS = {
    "export": "Export",
    "login_failed": "Failed sign-in",
    "person_invited": "Person invited",
    "roles_changed": "Roles changed",
    "account_deactivated": "Account deactivated",
    "account_reactivated": "Account reactivated",
    "note_shared": "Notes shared",
    "note_share_withdrawn": "Share taken back",
    "deleted": "Deleted",
    "data_copy_offered": "Sent a copy of their data",
    "person_departed": "Left; personal data erased",
}


def record(actor: User | None, action: str, *, email: str = "", **detail) -> AuditEvent:
    """actor is None for someone not signed in (a failed sign-in); email then says who was tried."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else email,
        action=action,
        detail=detail,
    )
    db.session.add(event)
    return event

"""Writing to the audit log. Entries are added, never changed: no route edits or deletes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..extensions import db
from .models import AuditEvent

if TYPE_CHECKING:  # auth writes to the audit log, so the log doesn't import auth
    from ..auth.models import User

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
    "email_change_requested": "Asked to change their email",
    "email_changed": "Email changed",
    "email_change_reverted": "Email change undone",
    "invitation_email_corrected": "Invitation address corrected",
    "signed_out_everywhere": "Signed out other devices",
    "coaching_requested": "Asked to coach someone",
    "coaching_accepted": "Accepted a coach",
    "coaching_declined": "Declined a coach",
    "coaching_ended": "Coaching ended",
    "email_retried": "Email sent again",
    "sso_refused": "District sign-in refused",
    "sso_linked": "District account linked",
    "do_not_send_added": "Substitute put on a do-not-send list",
    "do_not_send_removed": "Substitute taken off a do-not-send list",
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

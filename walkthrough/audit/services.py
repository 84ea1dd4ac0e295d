from ..auth.models import User
from ..extensions import db
from .models import AuditEvent


def record(actor: User, action: str, **detail) -> AuditEvent:
    event = AuditEvent(actor_id=actor.id, actor_email=actor.email, action=action, detail=detail)
    db.session.add(event)
    return event

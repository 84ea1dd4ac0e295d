"""Writing a teacher's learning log."""

from ..audit.services import record as audit
from ..auth.models import User
from ..extensions import db
from .models import LearningEntry


def delete_entry(*, entry: LearningEntry, actor: User) -> None:
    audit(actor, "deleted", what="learning entry", id=entry.id)
    db.session.delete(entry)
    db.session.flush()

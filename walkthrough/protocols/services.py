"""Copying and adapting protocols. Built-ins never change; a copy's template is versioned so notes
keep the exact version they were written against."""

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from .access import can_edit
from .fields import check_template
from .models import Protocol, ProtocolVersion

BUILT_IN_READ_ONLY = "Built-in protocols can't be changed. Make a copy and adapt that."
NOT_YOURS = "Only the person who copied this protocol, or an admin, can change it."
NEEDS_NAME = "Give the protocol a name."
NEEDS_PURPOSE = "Say what the protocol is for."


def copy_protocol(*, protocol: Protocol, actor: User) -> Protocol:
    copy = Protocol(
        name=f"{protocol.name} (our version)"[:120],
        purpose=protocol.purpose,
        before=protocol.before,
        during=protocol.during,
        after=protocol.after,
        copied_from_id=protocol.id,
        owner_id=actor.id,
    )
    copy.versions.append(ProtocolVersion(number=1, fields=[dict(f) for f in protocol.current.fields]))
    db.session.add(copy)
    db.session.flush()
    return copy


def _version_in_use(version: ProtocolVersion) -> bool:
    from ..observations.models import Observation

    return bool(
        db.session.scalar(
            select(func.count()).select_from(Observation).where(Observation.protocol_version_id == version.id)
        )
    )


def update_protocol(
    *,
    protocol: Protocol,
    actor: User,
    name: str,
    purpose: str,
    before: str,
    during: str,
    after: str,
    fields: list[dict],
) -> Protocol:
    if protocol.is_built_in:
        raise RuleViolation(BUILT_IN_READ_ONLY)
    if not can_edit(actor, protocol):
        raise RuleViolation(NOT_YOURS)
    if not name.strip():
        raise RuleViolation(NEEDS_NAME, field="name")
    if not purpose.strip():
        raise RuleViolation(NEEDS_PURPOSE, field="purpose")
    cleaned = check_template(fields)
    protocol.name, protocol.purpose = name.strip()[:120], purpose.strip()
    protocol.before, protocol.during, protocol.after = before.strip(), during.strip(), after.strip()
    current = protocol.current
    if cleaned != current.fields:
        if _version_in_use(current):
            protocol.versions.append(ProtocolVersion(number=current.number + 1, fields=cleaned))
        else:
            current.fields = cleaned
    db.session.flush()
    return protocol


def archive_protocol(*, protocol: Protocol, actor: User) -> None:
    if not can_edit(actor, protocol):
        raise RuleViolation(NOT_YOURS if not protocol.is_built_in else BUILT_IN_READ_ONLY)
    protocol.archived = True
    db.session.flush()

"""Copying and adapting protocols. Built-ins never change; a copy's template is versioned so notes
keep the exact version they were written against."""

from sqlalchemy import exists, select

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
    """Whether anything was written against this version (notes keep the version they were written with).
    Found from the schema's foreign keys, so protocols needn't know the features that use them."""
    versions = ProtocolVersion.__table__
    users = [
        key.parent
        for table in db.metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table is versions
    ]
    return any(db.session.scalar(select(exists().where(column == version.id))) for column in users)


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

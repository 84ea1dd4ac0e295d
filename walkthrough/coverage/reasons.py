"""Why teachers are away from class, as the district names them. Each reason says whether an admin approves it
before cover is arranged, and the account code its cover is charged to in the payroll file."""

import re

from flask import g, has_app_context
from sqlalchemy import Boolean, Integer, String, column, insert, select, table

from ..extensions import db
from ..rules import RuleViolation
from .models import AbsenceReason

# The reasons every request so far was made with, under the keys they were stored with. A visit's cover is
# always "peer_visit"; its approval is the visit's own (the school's rule and the release-time budget).
PEER_VISIT = "peer_visit"
DEFAULT_REASONS = [
    (PEER_VISIT, "Peer visit"),
    ("cohort_meeting", "Cohort meeting"),
    ("conference", "Conference"),
    ("site_visit", "Site visit"),
    ("other", "Other"),
]
NAME_IT = "Name the reason."
TAKEN = "There is already a reason called that."

_reasons = table(
    "absence_reasons",
    column("key", String),
    column("label", String),
    column("account_code", String),
    column("needs_approval", Boolean),
    column("active", Boolean),
    column("position", Integer),
)


def install_default_reasons(connection) -> int:
    """Insert any default reason missing from the database; used by the migration and the tests."""
    existing = set(connection.execute(select(_reasons.c.key)).scalars())
    missing = [(n, key, label) for n, (key, label) in enumerate(DEFAULT_REASONS) if key not in existing]
    for position, key, label in missing:
        connection.execute(
            insert(_reasons).values(
                key=key, label=label, account_code="", needs_approval=False, active=True, position=position
            )
        )
    return len(missing)


def all_reasons() -> list[AbsenceReason]:
    return list(db.session.scalars(select(AbsenceReason).order_by(AbsenceReason.position, AbsenceReason.id)))


def for_staff() -> list[AbsenceReason]:
    """What a teacher may choose when asking for cover (a visit's cover is made by the booking)."""
    return [r for r in all_reasons() if r.active and r.key != PEER_VISIT]


def find(key: str) -> AbsenceReason | None:
    return db.session.scalar(select(AbsenceReason).where(AbsenceReason.key == key))


def labels() -> dict[str, str]:
    return {r.key: r.label for r in all_reasons()}


def label_of(key: str) -> str:
    """The district's name for a stored reason (read once per request), or the key made readable."""
    known = g.get("reason_labels")
    if known is None:
        known = g.reason_labels = labels() if has_app_context() else {}
    return known.get(key) or key.replace("_", " ").capitalize()


def _key_for(label: str) -> str:
    return (re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "reason")[:20]


def save_reason(
    *, reason: AbsenceReason | None, label: str, account_code: str, needs_approval: bool, active: bool
) -> AbsenceReason:
    label = " ".join(label.split())[:80]
    if not label:
        raise RuleViolation(NAME_IT, field="label")
    clash = db.session.scalar(select(AbsenceReason).where(db.func.lower(AbsenceReason.label) == label.lower()))
    if clash is not None and clash is not reason:
        raise RuleViolation(TAKEN, field="label")
    if reason is None:
        key, n = _key_for(label), 1
        while find(key) is not None:  # keys never change once requests use them
            n += 1
            key = f"{_key_for(label)[:17]}_{n}"
        reason = AbsenceReason(key=key, position=len(all_reasons()))
        db.session.add(reason)
    reason.label, reason.account_code = label, " ".join(account_code.split())[:40]
    reason.needs_approval, reason.active = needs_approval, active
    db.session.flush()
    return reason

"""The kinds of field a note template may hold. None of them can rate, score or rank a teacher:
there is no such kind, and `check_template` refuses anything that is not listed here."""

import re
import secrets
from enum import StrEnum

from ..rules import RuleViolation


class FieldKind(StrEnum):
    PROMPT = "prompt"  # free text in answer to a prompt
    LOOK_FORS = "look_fors"  # checklist: seen / not seen / not applicable, optional tally
    EVIDENCE_LOG = "evidence_log"  # timestamped entries, one per tap
    PHOTO = "photo"
    FOCUS_QUESTION = "focus_question"  # the host's question, with evidence collected against it


KIND_LABELS = {
    FieldKind.PROMPT: "Prompt (free text)",
    FieldKind.LOOK_FORS: "Look-for checklist",
    FieldKind.EVIDENCE_LOG: "Timestamped evidence log",
    FieldKind.PHOTO: "Photos",
    FieldKind.FOCUS_QUESTION: "Host's focus question",
}
LOOK_FOR_STATES = ("seen", "not_seen", "not_applicable")
MAX_FIELDS = 30
MAX_ITEMS = 30

NOT_A_FIELD_KIND = "“{kind}” is not a kind of field. Walkthrough never rates, scores or ranks teachers."
NEEDS_LABEL = "Every field needs a label."
NEEDS_ITEMS = "A look-for checklist needs at least one look-for."
TOO_MANY_FIELDS = f"A template can have at most {MAX_FIELDS} fields."
TOO_MANY_ITEMS = f"A checklist can have at most {MAX_ITEMS} look-fors."
NO_FIELDS = "A template needs at least one field."
DUPLICATE_KEYS = "Two fields share a key."
KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,24}$")


def new_field_key() -> str:
    return "f" + secrets.token_hex(4)


def check_template(fields: list[dict]) -> list[dict]:
    """Return the template cleaned, or raise RuleViolation. Keys are kept so notes line up across versions."""
    if not isinstance(fields, list) or not fields:
        raise RuleViolation(NO_FIELDS, field="fields")
    if len(fields) > MAX_FIELDS:
        raise RuleViolation(TOO_MANY_FIELDS, field="fields")
    cleaned = []
    for field in fields:
        kind = str(field.get("kind", ""))
        if kind not in {k.value for k in FieldKind}:
            raise RuleViolation(NOT_A_FIELD_KIND.format(kind=kind), field="fields")
        label = str(field.get("label", "")).strip()
        if not label:
            raise RuleViolation(NEEDS_LABEL, field="fields")
        key = str(field.get("key") or new_field_key())
        if not KEY_PATTERN.match(key):
            key = new_field_key()
        entry = {"key": key, "kind": kind, "label": label[:200], "help": str(field.get("help", "")).strip()[:500]}
        if kind == FieldKind.LOOK_FORS:
            items = [str(i).strip()[:200] for i in field.get("items", []) if str(i).strip()]
            if not items:
                raise RuleViolation(NEEDS_ITEMS, field="fields")
            if len(items) > MAX_ITEMS:
                raise RuleViolation(TOO_MANY_ITEMS, field="fields")
            entry["items"] = items
            entry["tally"] = bool(field.get("tally", False))
        cleaned.append(entry)
    if len({f["key"] for f in cleaned}) != len(cleaned):
        raise RuleViolation(DUPLICATE_KEYS, field="fields")
    return cleaned

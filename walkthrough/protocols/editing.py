"""Reading the template editor's form into a list of fields, and the editor's add/move/remove actions."""

from .fields import FieldKind, new_field_key


def fields_from_form(form) -> list[dict]:
    fields = []
    count = form.get("field_count", "0")
    for index in range(min(int(count) if count.isdigit() else 0, 60)):
        prefix = f"field-{index}-"
        if f"{prefix}kind" not in form:
            continue
        fields.append(
            {
                "key": form.get(f"{prefix}key", ""),
                "kind": form.get(f"{prefix}kind", ""),
                "label": form.get(f"{prefix}label", ""),
                "help": form.get(f"{prefix}help", ""),
                "items": [line for line in form.get(f"{prefix}items", "").splitlines() if line.strip()],
                "tally": form.get(f"{prefix}tally") == "y",
            }
        )
    return fields


def apply_action(fields: list[dict], action: str, new_kind: str) -> list[dict]:
    """`up:N`, `down:N`, `remove:N` or `add`; anything else leaves the fields as they are."""
    fields = list(fields)
    verb, _, number = action.partition(":")
    if verb == "add":
        kind = new_kind if new_kind in {k.value for k in FieldKind} else FieldKind.PROMPT.value
        field = {"key": new_field_key(), "kind": kind, "label": "New field", "help": ""}
        if kind == FieldKind.LOOK_FORS:
            field |= {"items": ["A look-for"], "tally": False}
        return fields + [field]
    if not number.isdigit() or int(number) >= len(fields):
        return fields
    index = int(number)
    if verb == "remove" and len(fields) > 1:
        del fields[index]
    elif verb == "up" and index > 0:
        fields[index - 1], fields[index] = fields[index], fields[index - 1]
    elif verb == "down" and index < len(fields) - 1:
        fields[index + 1], fields[index] = fields[index], fields[index + 1]
    return fields

"""Walkthrough tools: the built-ins never change; coaches and admins copy one and adapt the copy. A walk
keeps the look-fors it was planned with, so editing a tool never changes a walk's results."""

import secrets

from sqlalchemy import select

from ..auth.models import Role, User
from ..extensions import db
from ..rules import RuleViolation
from .models import WalkTool

MAX_LOOK_FORS = 20
BUILT_IN_READ_ONLY = "Built-in tools can't be changed. Make a copy and adapt that."
NOT_YOURS = "Only the person who copied this tool, or an admin, can change it."
NEEDS_NAME = "Give the tool a name."
NEEDS_LOOK_FORS = "List at least one look-for, one a line."
TOO_MANY = f"A tool has at most {MAX_LOOK_FORS} look-fors: a walk is a few minutes a classroom."


def can_copy(person: User) -> bool:
    return person.has_role(Role.COACH, Role.ADMIN)


def can_edit(person: User, tool: WalkTool) -> bool:
    return not tool.is_built_in and (
        person.has_role(Role.ADMIN) or (tool.owner_id == person.id and person.has_role(Role.COACH))
    )


def tools_in_use() -> list[WalkTool]:
    return list(
        db.session.scalars(
            select(WalkTool).where(WalkTool.archived.is_(False)).order_by(WalkTool.slug.is_(None), WalkTool.name)
        )
    )


def copy_tool(*, tool: WalkTool, actor: User) -> WalkTool:
    if not can_copy(actor):
        raise RuleViolation("Coaches and admins copy tools.")
    copy = WalkTool(
        name=f"{tool.name} (our version)"[:120],
        purpose=tool.purpose,
        goal=tool.goal,
        look_fors=[dict(item) for item in tool.look_fors],
        copied_from_id=tool.id,
        owner_id=actor.id,
    )
    db.session.add(copy)
    db.session.flush()
    return copy


def look_fors_from_lines(text: str, before: list[dict]) -> list[dict]:
    """One look-for a line. A line that is unchanged keeps its key, so trends across walks line up."""
    keys_by_text = {item["text"]: item["key"] for item in before}
    lines = [line.strip()[:200] for line in text.splitlines() if line.strip()]
    if not lines:
        raise RuleViolation(NEEDS_LOOK_FORS, field="look_fors")
    if len(lines) > MAX_LOOK_FORS:
        raise RuleViolation(TOO_MANY, field="look_fors")
    items, used = [], set()
    for line in dict.fromkeys(lines):
        key = keys_by_text.get(line) or "k" + secrets.token_hex(4)
        if key not in used:
            used.add(key)
            items.append({"key": key, "text": line})
    return items


def update_tool(*, tool: WalkTool, actor: User, name: str, purpose: str, goal: str, look_fors: str) -> WalkTool:
    if tool.is_built_in:
        raise RuleViolation(BUILT_IN_READ_ONLY)
    if not can_edit(actor, tool):
        raise RuleViolation(NOT_YOURS)
    if not name.strip():
        raise RuleViolation(NEEDS_NAME, field="name")
    tool.look_fors = look_fors_from_lines(look_fors, tool.look_fors)
    tool.name, tool.purpose, tool.goal = name.strip()[:120], purpose.strip(), goal.strip()
    db.session.flush()
    return tool

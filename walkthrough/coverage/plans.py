"""Lesson plans a teacher leaves for whoever covers: checked by content, not by name, kept outside
the static folder, and served only to the teacher, the cover and the school's admins."""

import secrets
from pathlib import Path

from flask import current_app

from ..auth.models import User
from ..extensions import db
from ..rules import RuleViolation
from .models import CoverageRequest

MAX_BYTES = 10 * 1024 * 1024
NOT_A_PLAN = "Plans can be a PDF, a Word, PowerPoint or OpenDocument file, plain text, or a JPEG or PNG photo."
TOO_BIG = "That file is over 10 MB."
EMPTY = "That file is empty."
NOT_YOURS = "Only the teacher whose class it is can add plans."

# What each accepted kind of file starts with, so a renamed file can't slip through.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": (),
}


def check_plan(filename: str, raw: bytes) -> str:
    """The file's extension once its content matches it; RuleViolation otherwise."""
    if not raw:
        raise RuleViolation(EMPTY, field="plan")
    if len(raw) > MAX_BYTES:
        raise RuleViolation(TOO_BIG, field="plan")
    extension = Path(filename or "").suffix.lower()
    if extension not in SIGNATURES:
        raise RuleViolation(NOT_A_PLAN, field="plan")
    if extension == ".txt":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RuleViolation(NOT_A_PLAN, field="plan") from None
        if b"\x00" in raw:
            raise RuleViolation(NOT_A_PLAN, field="plan")
    elif not raw.startswith(SIGNATURES[extension]):
        raise RuleViolation(NOT_A_PLAN, field="plan")
    return extension


def folder() -> Path:
    path = Path(current_app.config["PLANS_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_plans(*, requests: list[CoverageRequest], teacher: User, notes: str, filename: str, raw: bytes) -> None:
    if any(r.teacher_id != teacher.id for r in requests):
        raise RuleViolation(NOT_YOURS)
    stored = None
    if raw or filename:
        extension = check_plan(filename, raw)
        stored = secrets.token_hex(16) + extension
        (folder() / stored).write_bytes(raw)
    for request in requests:
        if notes.strip():
            request.notes = notes.strip()[:2000]
        if stored:
            request.plan_file, request.plan_name = stored, Path(filename).name[:200]
    db.session.flush()

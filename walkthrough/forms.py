"""Glue between WTForms and services."""

from typing import Callable, TypeVar

from flask_wtf import FlaskForm

from .extensions import db
from .rules import RuleViolation

T = TypeVar("T")


def commit_or_show_errors(form: FlaskForm, action: Callable[[], T]) -> T | None:
    """Run a service: commit when it succeeds, or roll back and show its message beside the field."""
    try:
        result = action()
    except RuleViolation as violation:
        db.session.rollback()
        field = getattr(form, violation.field, None) if violation.field else None
        (field.errors if field is not None else form.form_errors).append(violation.message)
        return None
    db.session.commit()
    return result

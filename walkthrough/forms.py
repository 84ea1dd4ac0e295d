"""Glue between WTForms and services."""

from typing import Callable, TypeVar

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from .extensions import db
from .rules import RuleViolation
from .text import LINE_BREAK_IN_NAME, has_control_characters

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


class Form(FlaskForm):
    """Every form of the app: a single-line field (a name, a room, an email) refuses line breaks and other
    control characters with a message beside it, so no such value is ever stored to break a page, a
    spreadsheet or an email header later."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            single_line = isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField)
            if single_line and isinstance(field.data, str) and has_control_characters(field.data):
                field.errors = [*field.errors, LINE_BREAK_IN_NAME]
                valid = False
        return valid

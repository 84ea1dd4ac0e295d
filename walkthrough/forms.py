"""Glue between WTForms and services."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from .extensions import db
from .rules import RuleViolation
from .text import LINE_BREAK_IN_NAME, has_control_characters

T = TypeVar("T")


def commit_or_flash(action: Callable[[], object], done: str) -> bool:
    """For buttons without a form to re-render: run a service, then commit and say `done`, or roll back
    and say why not. Returns whether it was done."""
    try:
        action()
    except RuleViolation as violation:
        db.session.rollback()
        flash(violation.message, "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True


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

    def hidden_tag(self, *fields) -> Markup:
        """The hidden fields without ids: a page holding two forms would otherwise hold two id="csrf_token"."""
        chosen = [getattr(self, f) if isinstance(f, str) else f for f in fields] or list(self)
        hidden = [f for f in chosen if isinstance(f.widget, HiddenInput)]
        return Markup("\n".join(str(f(id=False)) for f in hidden))


def required_attribute_allowed(field) -> bool:
    """HTML allows `required` on a one-line select only when its first option is an empty placeholder;
    a select that always holds a real choice has nothing to require."""
    first = next(iter(field.iter_choices()), None)
    return first is not None and first[0] in ("", None)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as a select's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes, each with its label (easier to tap than a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

"""The district's absence reasons: their names, which need an admin's approval, and payroll account codes."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import Form, commit_or_show_errors
from ..ids import id_from
from . import bp, reasons
from .access import runs_the_district
from .models import AbsenceReason


class ReasonForm(Form):
    label = StringField("Name", validators=[InputRequired(reasons.NAME_IT), Length(max=80)])
    account_code = StringField(
        "Payroll account code", validators=[Optional(), Length(max=40)], description="Cover for it is charged here."
    )
    needs_approval = BooleanField("An admin approves it before cover is arranged")
    active = BooleanField("Teachers can choose it", default=True)


def _district_only() -> None:
    if not runs_the_district(current_user):
        abort(403)


def _page(new_form: ReasonForm, edit_forms: dict[int, ReasonForm] | None = None, status: int = 200):
    listed = reasons.all_reasons()
    forms = {r.id: ReasonForm(formdata=None, obj=r, prefix=f"r{r.id}") for r in listed} | (edit_forms or {})
    return render_template("coverage/reasons.html", listed=listed, forms=forms, new_form=new_form), status


@bp.route("/reasons")
@role_required(Role.ADMIN)
def reasons_page():
    _district_only()
    return _page(ReasonForm(formdata=None, prefix="new"))


@bp.route("/reasons", methods=["POST"])
@role_required(Role.ADMIN)
def save_reason():
    _district_only()
    # Which reason is in the form's address, so the fields a person typed are always read with their reason.
    reason_id = id_from(request.values, "reason_id")
    reason = db.session.get(AbsenceReason, reason_id) if reason_id else None
    if reason_id and reason is None:
        abort(404)
    form = ReasonForm(prefix=f"r{reason.id}" if reason else "new")
    if form.validate_on_submit() and commit_or_show_errors(
        form,
        lambda: reasons.save_reason(
            reason=reason,
            label=form.label.data,
            account_code=form.account_code.data or "",
            needs_approval=form.needs_approval.data,
            active=form.active.data,
        ),
    ):
        flash("Saved.", "success")
        return redirect(url_for("coverage.reasons_page"))
    db.session.rollback()
    if reason is None:
        return _page(form, status=422)
    return _page(ReasonForm(formdata=None, prefix="new"), {reason.id: form}, status=422)

import csv

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from .. import app_files
from ..access import role_required
from ..auth.models import Role
from ..db_types import utcnow
from ..downloads import csv_response
from ..extensions import db
from ..roster.models import RosterUpload
from ..roster.reading import ALL_COLUMNS, decode_upload
from ..roster.services import apply_roster, plan_roster, teachers_without_schedule
from ..rules import RuleViolation
from . import bp
from .access import own_upload_or_404
from .forms import RosterApplyForm, RosterUploadForm

ALREADY_APPLIED = "This file has already been imported."


@bp.route("/roster", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def roster_upload():
    form = RosterUploadForm()
    if form.validate_on_submit():
        try:
            text = decode_upload(form.file.data.read())
        except RuleViolation as violation:
            form.file.errors.append(violation.message)
        else:
            upload = RosterUpload(
                uploaded_by_id=current_user.id, filename=form.file.data.filename or "roster.csv", content=text
            )
            db.session.add(upload)
            db.session.commit()
            return redirect(url_for("admin.roster_preview", upload_id=upload.id))
    return render_template("admin/roster.html", form=form, columns=ALL_COLUMNS), 422 if form.errors else 200


@bp.route("/roster/sample.csv")
@role_required(Role.ADMIN)
def roster_sample():
    """The sample as every other CSV here: readable by Excel (which wants a byte-order mark), then uploaded back."""
    with open(app_files("docs") / "sample-roster.csv", encoding="utf-8", newline="") as sample:
        header, *rows = list(csv.reader(sample))
    return csv_response("sample-roster.csv", header, rows)


@bp.route("/roster/<int:upload_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def roster_preview(upload_id: int):
    upload = own_upload_or_404(current_user, upload_id)
    form = RosterApplyForm()
    plan = plan_roster(upload.content, actor=current_user)
    if form.validate_on_submit():
        if upload.applied_at is not None:
            flash(ALREADY_APPLIED, "info")
            return redirect(url_for("admin.roster_upload"))
        if plan.is_valid:
            result = apply_roster(plan, actor=current_user, invite_new=form.invite_new.data)
            upload.applied_at = utcnow()
            db.session.commit()
            flash(
                f"Roster imported: {result.created} added, {result.updated} updated, {result.unchanged} unchanged"
                + (f"; {result.invited} invitation(s) sent." if result.invited else "."),
                "success",
            )
            return redirect(url_for("admin.people"))
    return render_template(
        "admin/roster_preview.html",
        upload=upload,
        plan=plan,
        form=form,
        no_schedule=teachers_without_schedule(plan) if plan.is_valid else [],
    )

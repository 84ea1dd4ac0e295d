from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..forms import commit_or_show_errors
from ..rules import RuleViolation
from . import bp, queries, services
from .access import can_copy, can_edit
from .editing import apply_action, fields_from_form
from .fields import KIND_LABELS, FieldKind
from .forms import ProtocolForm
from .models import Protocol


@bp.route("/")
def library():
    return render_template("protocols/page.html", protocols=queries.library(), can_copy=can_copy(current_user))


@bp.route("/<int:protocol_id>")
def detail(protocol_id: int):
    protocol = db.get_or_404(Protocol, protocol_id)
    return render_template(
        "protocols/detail.html",
        protocol=protocol,
        can_copy=can_copy(current_user),
        can_edit=can_edit(current_user, protocol),
        kind_labels=KIND_LABELS,
    )


@bp.route("/<int:protocol_id>/copy", methods=["POST"])
def copy(protocol_id: int):
    protocol = db.get_or_404(Protocol, protocol_id)
    if not can_copy(current_user):
        abort(403)
    copied = services.copy_protocol(protocol=protocol, actor=current_user)
    db.session.commit()
    flash("Your copy is ready. Change anything you like; notes already taken keep their version.", "success")
    return redirect(url_for("protocols.edit", protocol_id=copied.id))


@bp.route("/<int:protocol_id>/edit", methods=["GET", "POST"])
def edit(protocol_id: int):
    protocol = db.get_or_404(Protocol, protocol_id)
    if not can_edit(current_user, protocol):
        abort(403)
    form = ProtocolForm(obj=protocol)
    fields = protocol.current.fields
    template_error = None
    if request.method == "POST":
        fields = apply_action(
            fields_from_form(request.form), request.form.get("action", "save"), request.form.get("new_kind", "")
        )
        if form.validate_on_submit():
            saved = commit_or_show_errors(
                form,
                lambda: services.update_protocol(
                    protocol=protocol,
                    actor=current_user,
                    name=form.name.data,
                    purpose=form.purpose.data,
                    before=form.before.data or "",
                    during=form.during.data or "",
                    after=form.after.data or "",
                    fields=fields,
                ),
            )
            if saved:
                flash("Saved.", "success")
                target = url_for("protocols.edit", protocol_id=protocol.id)
                return redirect(target + ("#fields" if request.form.get("action", "save") != "save" else ""))
            template_error = next(iter(form.form_errors), None)
    status = 422 if form.errors or template_error else 200
    return render_template(
        "protocols/edit.html",
        protocol=protocol,
        form=form,
        fields=fields,
        template_error=template_error,
        kinds=list(FieldKind),
        kind_labels=KIND_LABELS,
    ), status


@bp.route("/<int:protocol_id>/archive", methods=["POST"])
def archive(protocol_id: int):
    protocol = db.get_or_404(Protocol, protocol_id)
    try:
        services.archive_protocol(protocol=protocol, actor=current_user)
    except RuleViolation:
        abort(403)
    db.session.commit()
    flash(f"“{protocol.name}” is no longer offered. Notes already taken with it are unchanged.", "info")
    return redirect(url_for("protocols.library"))

"""Reading, searching and keeping the toolkit."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment
from ..ids import arg_id
from ..protocols.models import Protocol
from . import bp, services
from .access import can_edit
from .forms import ResourceForm
from .models import ResourceKind, ToolkitResource


def _protocols() -> list[Protocol]:
    return list(db.session.scalars(select(Protocol).order_by(Protocol.name)))


@bp.route("/")
def library():
    words = request.args.get("q", "")[:200]
    tag = request.args.get("tag", "")[:40]
    kind = request.args.get("kind", "") if request.args.get("kind") in {k.value for k in ResourceKind} else ""
    protocol_id = arg_id("protocol_id")
    found = services.search(words=words, tag=tag, kind=kind, protocol_id=protocol_id)
    return render_page_or_fragment(
        "toolkit/library.html",
        "toolkit/_results.html",
        resources=found,
        words=words,
        tag=tag,
        kind=kind,
        protocol_id=protocol_id,
        tags=services.all_tags(),
        kinds=list(ResourceKind),
        protocols=_protocols(),
        may_edit=can_edit(current_user),
    )


@bp.route("/<int:resource_id>")
def resource(resource_id: int):
    found = db.get_or_404(ToolkitResource, resource_id)
    return render_template("toolkit/resource.html", resource=found, may_edit=can_edit(current_user))


def _form(**kwargs) -> ResourceForm:
    form = ResourceForm(**kwargs)
    form.protocol_id.choices = [(0, "Any protocol")] + [(p.id, p.name) for p in _protocols()]
    return form


def _edit_page(form: ResourceForm, found: ToolkitResource | None, status: int = 200):
    return render_template("toolkit/edit.html", form=form, resource=found), status


def _editable(resource_id: int | None) -> ToolkitResource | None:
    if not can_edit(current_user):
        abort(403)
    return db.get_or_404(ToolkitResource, resource_id) if resource_id else None


@bp.route("/new")
def new():
    _editable(None)
    return _edit_page(_form(formdata=None), None)


@bp.route("/<int:resource_id>/edit")
def edit(resource_id: int):
    found = _editable(resource_id)
    form = _form(formdata=None, obj=found, tags=", ".join(found.tag_names), protocol_id=found.protocol_id or 0)
    return _edit_page(form, found)


@bp.route("/new", methods=["POST"])
def create():
    return _save(None)


@bp.route("/<int:resource_id>/edit", methods=["POST"])
def save(resource_id: int):
    return _save(_editable(resource_id))


def _save(found: ToolkitResource | None):
    if found is None:
        _editable(None)
    form = _form()
    if form.validate_on_submit():
        saved = commit_or_show_errors(
            form,
            lambda: services.save_resource(
                actor=current_user,
                resource=found,
                title=form.title.data,
                kind=form.kind.data,
                summary=form.summary.data or "",
                body=form.body.data or "",
                link=form.link.data or "",
                protocol_id=form.protocol_id.data or None,
                tags=form.tags.data or "",
            ),
        )
        if saved is not None:
            flash("Saved to the toolkit.", "success")
            return redirect(url_for("toolkit.resource", resource_id=saved.id))
    return _edit_page(form, found, 422)


@bp.route("/<int:resource_id>/delete", methods=["POST"])
def delete(resource_id: int):
    found = _editable(resource_id)
    services.delete_resource(actor=current_user, resource=found)
    db.session.commit()
    flash("Removed from the toolkit.", "success")
    return redirect(url_for("toolkit.library"))

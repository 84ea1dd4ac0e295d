"""A person leaving the district: send them a copy of their data, then erase it."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..flows import departure
from ..forms import commit_or_show_errors
from . import bp
from .access import person_or_403
from .forms import DepartureForm


@bp.route("/people/<int:person_id>/leave", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def depart(person_id: int):
    person = person_or_403(current_user, person_id)
    if person.departed_at is not None:
        flash(departure.ALREADY_GONE, "info")
        return redirect(url_for("admin.person", person_id=person.id))
    form = DepartureForm()
    name = person.name
    form.confirm_name.description = f"Type “{name}”."
    if form.validate_on_submit():
        files = commit_or_show_errors(
            form, lambda: departure.erase_person(person=person, actor=current_user, typed_name=form.confirm_name.data)
        )
        if files is not None:
            departure.remove_files(files)
            flash(f"{name}'s personal data is erased. Their visits still count in reports.", "success")
            return redirect(url_for("admin.people"))
    return render_template(
        "admin/depart.html", person=person, form=form, footprint=departure.footprint(person)
    ), 422 if form.errors else 200


@bp.route("/people/<int:person_id>/data-copy", methods=["POST"])
@role_required(Role.ADMIN)
def send_data_copy(person_id: int):
    """Admins never open someone's notes, so the copy goes to the person: an email with the download link."""
    person = person_or_403(current_user, person_id)
    if person.departed_at is None:
        departure.offer_data_copy(person=person, actor=current_user)
        db.session.commit()
        flash(f"{person.name} has been emailed a link to download their data.", "success")
    return redirect(url_for("admin.depart", person_id=person.id))

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ..extensions import db
from ..forms import commit_or_show_errors
from ..htmx import render_page_or_fragment, wants_fragment
from ..ids import client_key
from . import bp, photos
from .access import editable_observation_or_404, readable_photo_or_404
from .forms import PhotoForm
from .models import Photo


@bp.route("/photos/<int:photo_id>")
def photo(photo_id: int):
    return _send(readable_photo_or_404(current_user, photo_id), thumbnail=False)


@bp.route("/photos/<int:photo_id>/thumbnail")
def thumbnail(photo_id: int):
    return _send(readable_photo_or_404(current_user, photo_id), thumbnail=True)


def _send(photo: Photo, thumbnail: bool):
    path = photos.photo_path(photo, thumbnail)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:observation_id>/photos", methods=["POST"])
def add_photo(observation_id: int):
    observation = editable_observation_or_404(observation_id, current_user)
    form = PhotoForm()
    if form.validate_on_submit():
        commit_or_show_errors(
            form,
            lambda: photos.add_photo(
                observation=observation,
                field_key=form.field_key.data or "",
                raw=form.photo.data.read(),
                caption=form.caption.data or "",
                client_key=client_key(request.form.get("client_key")),
            ),
        )
    if not wants_fragment():
        for message in form.photo.errors:
            flash(message, "error")
        return redirect(url_for("observations.view", observation_id=observation.id))
    db.session.refresh(observation)
    field = observation.protocol_version.field(form.field_key.data or "") or {"key": "", "label": "Photos"}
    return render_page_or_fragment(
        "observations/editor.html",
        "observations/_photos.html",
        status=422 if form.errors else 200,
        observation=observation,
        field=field,
        photo_form=form if form.errors else None,
    )


@bp.route("/photos/<int:photo_id>/delete", methods=["POST"])
def remove_photo(photo_id: int):
    photo = db.get_or_404(Photo, photo_id)
    observation = editable_observation_or_404(photo.observation_id, current_user)
    field_key = photo.field_key
    photos.remove_photo(photo=photo, actor=current_user)
    db.session.commit()
    if not wants_fragment():
        return redirect(url_for("observations.view", observation_id=observation.id))
    db.session.refresh(observation)
    return render_template(
        "observations/_photos.html",
        observation=observation,
        field=observation.protocol_version.field(field_key),
        photo_form=None,
    )

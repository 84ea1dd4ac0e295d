"""The gallery, proposing an item from a visit, the host's answer, and withdrawing."""

from flask import abort, redirect, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..forms import commit_or_flash, commit_or_show_errors
from ..observations import photos
from ..observations.access import editable_observation_or_404
from ..observations.models import Observation
from . import bp, services
from .access import can_answer, can_withdraw, is_party, item_or_404
from .forms import ProposalForm
from .models import ShowcaseItem

GALLERY_SIZE = 60


def _with_people():
    return (
        selectinload(ShowcaseItem.observer),
        selectinload(ShowcaseItem.host).selectinload(User.school),
        selectinload(ShowcaseItem.photo),
    )


@bp.route("/")
def gallery():
    published = db.session.scalars(
        select(ShowcaseItem)
        .where(ShowcaseItem.host_consented_at.is_not(None), ShowcaseItem.withdrawn_at.is_(None))
        .options(*_with_people())
        .order_by(ShowcaseItem.host_consented_at.desc())
        .limit(GALLERY_SIZE)
    ).all()
    mine = db.session.scalars(
        select(ShowcaseItem)
        .where(or_(ShowcaseItem.observer_id == current_user.id, ShowcaseItem.host_id == current_user.id))
        .options(*_with_people())
        .order_by(ShowcaseItem.created_at.desc())
    ).all()
    return render_template("showcase/gallery.html", published=published, mine=mine)


def _proposal_page(observation: Observation, form: ProposalForm, status: int = 200):
    form.photo_id.choices = [(0, "No photo")] + [
        (p.id, p.caption or f"Photo {n}") for n, p in enumerate(observation.photos, start=1)
    ]
    return render_template("showcase/propose.html", observation=observation, form=form), status


@bp.route("/new/<int:observation_id>")
def propose(observation_id: int):
    observation = editable_observation_or_404(observation_id, current_user)
    return _proposal_page(observation, ProposalForm(formdata=None))


@bp.route("/new/<int:observation_id>", methods=["POST"])
def create(observation_id: int):
    observation = editable_observation_or_404(observation_id, current_user)
    form = ProposalForm()
    _proposal_page(observation, form)  # the photo choices, before validating
    if form.validate_on_submit():
        item = commit_or_show_errors(
            form,
            lambda: services.propose(
                observation=observation,
                actor=current_user,
                title=form.title.data,
                excerpt=form.excerpt.data,
                photo_id=form.photo_id.data or None,
            ),
        )
        if item is not None:
            return redirect(url_for("showcase.item", item_id=item.id))
    return _proposal_page(observation, form, 422)


@bp.route("/<int:item_id>")
def item(item_id: int):
    found = item_or_404(current_user, item_id)
    return render_template(
        "showcase/item.html",
        item=found,
        party=is_party(current_user, found),
        may_answer=can_answer(current_user, found),
        may_withdraw=can_withdraw(current_user, found),
    )


@bp.route("/<int:item_id>/photo")
def photo(item_id: int):
    found = item_or_404(current_user, item_id)
    if found.photo is None:
        abort(404)
    path = photos.photo_path(found.photo)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # a withdrawal must take it away at once
    return response


def _answer(item_id: int, action, done: str):
    found = item_or_404(current_user, item_id)
    if not is_party(current_user, found):
        abort(403)
    commit_or_flash(lambda: action(item=found, actor=current_user), done)
    return redirect(url_for("showcase.item", item_id=found.id))


@bp.route("/<int:item_id>/consent", methods=["POST"])
def consent(item_id: int):
    return _answer(item_id, services.consent, "Published in the district gallery. You can withdraw it at any time.")


@bp.route("/<int:item_id>/decline", methods=["POST"])
def decline(item_id: int):
    return _answer(item_id, services.decline, "Declined. It will not be published.")


@bp.route("/<int:item_id>/withdraw", methods=["POST"])
def withdraw(item_id: int):
    return _answer(item_id, services.withdraw, "Withdrawn: it has left the gallery.")

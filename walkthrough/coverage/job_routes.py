from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import role_required
from ..auth.models import Role
from ..extensions import db
from ..forms import commit_or_flash
from ..ids import ids_from
from . import bp, queries, services
from .models import CoverageRequest


@bp.route("/jobs")
@role_required(Role.SUBSTITUTE, Role.TEACHER)
def jobs():
    return render_template(
        "coverage/jobs.html",
        open_jobs=queries.open_jobs_for(current_user) if current_user.has_role(Role.SUBSTITUTE) else [],
        assignments=queries.assignments_for(current_user),
    )


@bp.route("/jobs/accept", methods=["POST"])
@role_required(Role.SUBSTITUTE)
def accept():
    ids = ids_from(request.form, "request_id")
    requests = list(db.session.scalars(select(CoverageRequest).where(CoverageRequest.id.in_(ids))))
    commit_or_flash(
        lambda: services.accept(requests=requests, substitute=current_user),
        "The job is yours. It's in your calendar email; plans are below.",
    )
    return redirect(url_for("coverage.jobs"))

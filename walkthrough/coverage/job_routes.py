from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import public, role_required
from ..auth.models import Role, User
from ..db_types import utcnow
from ..extensions import db
from ..forms import commit_or_flash
from ..ids import ids_from
from ..rules import RuleViolation
from . import bp, callout, preferences, queries, services
from .models import LIVE, CoverageRequest, CoverageStatus


@bp.route("/jobs")
@role_required(Role.SUBSTITUTE, Role.TEACHER)
def jobs():
    return render_template(
        "coverage/jobs.html",
        open_jobs=queries.open_jobs_for(current_user) if current_user.has_role(Role.SUBSTITUTE) else [],
        assignments=queries.assignments_for(current_user),
        days_off=preferences.days_off(current_user, utcnow().date()) if current_user.has_role(Role.SUBSTITUTE) else [],
        profile=preferences.profile_of(current_user) if current_user.has_role(Role.SUBSTITUTE) else None,
        served=queries.schools_served(current_user) if current_user.has_role(Role.SUBSTITUTE) else [],
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


def _my_assignment(request_id: int) -> list[CoverageRequest]:
    found = db.session.get(CoverageRequest, request_id)
    if found is None or found.cover_id != current_user.id:
        abort(404)
    return services.the_day_of(found) or [found]


@bp.route("/assignments/<int:request_id>/yes", methods=["POST"])
@role_required(Role.SUBSTITUTE, Role.TEACHER)
def acknowledge(request_id: int):
    requests = _my_assignment(request_id)
    commit_or_flash(lambda: services.acknowledge(requests=requests, person=current_user), "Thank you: you're covering.")
    return redirect(url_for("coverage.jobs"))


@bp.route("/assignments/<int:request_id>/no", methods=["POST"])
@role_required(Role.SUBSTITUTE, Role.TEACHER)
def decline(request_id: int):
    requests = _my_assignment(request_id)
    commit_or_flash(
        lambda: services.decline(requests=requests, person=current_user),
        "Thank you for saying. The classes are offered to someone else.",
    )
    return redirect(url_for("coverage.jobs"))


@bp.route("/take/<token>", methods=["GET", "POST"])
@public
def take_job(token: str):
    """The one-tap link in a call-out email: the signed link names the substitute and the job, so it works
    without signing in, for that person only. A GET shows the job (a mail scanner opening it takes nothing);
    the button accepts it, first come first served, until the job is taken or starts."""
    found = callout.read_take_token(token)
    substitute = found and db.session.get(User, found[0])
    requests = found and list(db.session.scalars(select(CoverageRequest).where(CoverageRequest.id.in_(found[1]))))
    if not found or substitute is None or not substitute.is_active_account or len(requests) != len(found[1]):
        abort(404)
    job = callout.job_of(requests)
    mine = all(r.cover_id == substitute.id and r.status in LIVE for r in requests)
    problem = None
    if request.method == "POST" and not mine:
        try:
            services.accept(requests=requests, substitute=substitute)
            db.session.commit()
            mine = True
        except RuleViolation as violation:
            db.session.rollback()
            problem = violation.message
    elif not mine and (any(r.status != CoverageStatus.OPEN for r in requests) or job.starts_at <= utcnow()):
        problem = services.NOT_OPEN
    status = 409 if problem and request.method == "POST" else 410 if problem else 200
    return render_template("coverage/take.html", job=job, substitute=substitute, mine=mine, problem=problem), status

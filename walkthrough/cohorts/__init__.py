from flask import Blueprint

from ..auth.people import ROLE_CHECKS

bp = Blueprint("cohorts", __name__)

from . import cohort_routes, learning_routes, services  # noqa: E402,F401

ROLE_CHECKS.append(services.admin_role_problem)

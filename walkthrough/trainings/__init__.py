"""Required learning: trainings the district or a school requires, hours logged toward them, reports of when
and where learning happens, and a certificate of hours for continuing-education credit."""

from flask import Blueprint

bp = Blueprint("trainings", __name__, url_prefix="/trainings")

from . import certificate_routes, report_routes, training_routes  # noqa: E402,F401

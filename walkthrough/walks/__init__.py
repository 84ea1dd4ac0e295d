"""Building walkthroughs: Blast Walkthroughs, learning walks and instructional rounds."""

from flask import Blueprint

bp = Blueprint("walks", __name__, url_prefix="/walks")

from . import capture_routes, result_routes, tool_routes, walk_routes  # noqa: E402,F401

from .results import MIN_CLASSROOMS  # noqa: E402


@bp.context_processor
def _small_cell_rule() -> dict:
    return {"min_classrooms": MIN_CLASSROOMS}

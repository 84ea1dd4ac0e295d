"""Building walkthroughs: Blast Walkthroughs, learning walks and instructional rounds."""

from flask import Blueprint

from ..auth.models import Role

bp = Blueprint("walks", __name__, url_prefix="/walks")

# Who walks and reads walks: everyone on staff but substitutes, who work across schools day by day.
STAFF = (Role.TEACHER, Role.COACH, Role.ADMIN)

from . import capture_routes, result_routes, tool_routes, walk_routes  # noqa: E402,F401
from .results import MIN_CLASSROOMS  # noqa: E402


@bp.context_processor
def _small_cell_rule() -> dict:
    return {"min_classrooms": MIN_CLASSROOMS}


@bp.app_template_filter("look_fors_seen")
def _look_fors_seen(count: int) -> str:
    return f"{count} look-for{'s' if count != 1 else ''} seen"

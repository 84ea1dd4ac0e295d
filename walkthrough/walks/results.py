"""Building-level results: in what share of classrooms each look-for was seen, by walk, month, grade band,
subject area and school. Counted in the database, so a year of walks costs a few grouped queries.

Small groups are never shown: a group of fewer than MIN_CLASSROOMS classrooms could point at one teacher
(the only Grade 3–5 art room in a school). When one group of a breakdown is hidden, the next smallest is
hidden too, so the hidden one can't be worked out from the total."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..charts import month_label
from ..extensions import db
from ..schools.models import School
from ..sqltime import month_number
from .models import GRADE_BANDS, SUBJECT_AREAS, MarkState, Walk, WalkClassroom, WalkMark

MIN_CLASSROOMS = 5
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Share:
    seen: int
    applicable: int  # classrooms where the look-for was marked seen or not seen (not "not applicable")
    hidden: bool

    @property
    def percent(self) -> float | None:
        if self.hidden or not self.applicable:
            return None
        return round(100 * self.seen / self.applicable, 1)


@dataclass
class Group:
    key: object
    label: str
    classrooms: int
    shares: dict[str, Share] = field(default_factory=dict)
    tallies: dict[str, float | None] = field(default_factory=dict)  # the average tally, where there are enough
    hidden: bool = False


@dataclass
class Breakdown:
    name: str  # "walk", "month", "grade_band", "subject_area", "school"
    heading: str
    groups: list[Group]

    @property
    def shown(self) -> list[Group]:
        return [group for group in self.groups if not group.hidden]

    @property
    def hidden_count(self) -> int:
        return sum(1 for group in self.groups if group.hidden)


@dataclass
class Results:
    look_fors: list[dict]  # [{"key", "text"}], in the tool's order
    overall: Group
    breakdowns: dict[str, Breakdown]

    @property
    def enough(self) -> bool:
        return not self.overall.hidden


def look_fors_of(walks: Sequence[Walk]) -> list[dict]:
    """Every look-for of the walks, in order, each once; the latest walk's wording wins."""
    texts: dict[str, str] = {}
    for walk in sorted(walks, key=lambda w: w.starts_on):
        for item in walk.look_fors:
            texts[item["key"]] = item["text"]
    return [{"key": key, "text": text} for key, text in texts.items()]


def _counts(walk_ids: list[int], dimension=None) -> tuple[dict, dict]:
    """Classrooms per group, and [seen, applicable, tally sum, tally count] per group and look-for. With no
    dimension, everything is one group whose key is None."""
    group = [dimension] if dimension is not None else []
    in_walks = WalkClassroom.walk_id.in_(walk_ids)
    room_rows = db.session.execute(
        select(*group, func.count(WalkClassroom.id))
        .select_from(WalkClassroom)
        .join(Walk, Walk.id == WalkClassroom.walk_id)
        .where(in_walks)
        .group_by(*group)
    ).all()
    rooms = {(row[0] if group else None): row[-1] for row in room_rows}
    marks: dict = defaultdict(lambda: [0, 0, 0, 0])
    rows = db.session.execute(
        select(
            *group,
            WalkMark.look_for_key,
            WalkMark.state,
            func.count(),
            func.sum(WalkMark.tally),
            func.count(WalkMark.tally),
        )
        .select_from(WalkMark)
        .join(WalkClassroom, WalkClassroom.id == WalkMark.classroom_id)
        .join(Walk, Walk.id == WalkClassroom.walk_id)
        .where(WalkMark.walk_id.in_(walk_ids))
        .group_by(*group, WalkMark.look_for_key, WalkMark.state)
    )
    for row in rows:
        key, state, count, tally_sum, tally_count = row[-5:]
        entry = marks[(row[0] if group else None, key)]
        if state == MarkState.SEEN.value:
            entry[0] += count
        if state in (MarkState.SEEN.value, MarkState.NOT_SEEN.value):
            entry[1] += count
        entry[2] += tally_sum or 0
        entry[3] += tally_count
    return rooms, marks


def _fill(group: Group, marks: dict, look_fors: list[dict]) -> None:
    for item in look_fors:
        seen, applicable, tally_sum, tally_count = marks.get((group.key, item["key"]), (0, 0, 0, 0))
        hidden = group.hidden or applicable < MIN_CLASSROOMS
        group.shares[item["key"]] = Share(0 if hidden else seen, 0 if hidden else applicable, hidden)
        enough_tallies = not group.hidden and tally_count >= MIN_CLASSROOMS
        group.tallies[item["key"]] = round(tally_sum / tally_count, 1) if enough_tallies else None


def _hide_small(groups: list[Group]) -> None:
    for group in groups:
        group.hidden = group.classrooms < MIN_CLASSROOMS
    # Complementary suppression: hidden classrooms must add up to none or at least MIN_CLASSROOMS.
    while 0 < sum(g.classrooms for g in groups if g.hidden) < MIN_CLASSROOMS:
        visible = [g for g in groups if not g.hidden]
        if not visible:
            break
        min(visible, key=lambda g: g.classrooms).hidden = True


def _breakdown(name, heading, walk_ids, dimension, labels: dict, look_fors, order: list | None = None) -> Breakdown:
    rooms, marks = _counts(walk_ids, dimension)
    keys = order if order is not None else sorted(rooms, key=lambda k: (k is None, k))
    groups = [Group(key, labels.get(key, NOT_RECORDED), rooms[key]) for key in keys if rooms.get(key)]
    _hide_small(groups)
    for group in groups:
        _fill(group, marks, look_fors)
    return Breakdown(name, heading, groups)


def walk_label(walk: Walk) -> str:
    """The walk's days, short enough for a chart on a phone: "29–30 Sep 2026"."""
    first, last = walk.starts_on, walk.ends_on
    if first == last:
        return first.strftime("%-d %b %Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.strftime('%-d %b %Y')}"
    return f"{first.strftime('%-d %b')}–{last.strftime('%-d %b %Y')}"


def results_for(walks: Sequence[Walk], *, by: Sequence[str], schools: Sequence[School] = ()) -> Results:
    """Figures for these walks, overall and broken down `by` any of walk, month, grade_band, subject_area,
    school. Every figure from fewer than MIN_CLASSROOMS classrooms is hidden."""
    walks = [walk for walk in walks if walk.cancelled_at is None]
    look_fors = look_fors_of(walks)
    walk_ids = [walk.id for walk in walks] or [-1]
    rooms, marks = _counts(walk_ids)
    overall = Group(None, "All classrooms", rooms.get(None, 0))
    overall.hidden = overall.classrooms < MIN_CLASSROOMS
    _fill(overall, marks, look_fors)
    breakdowns: dict[str, Breakdown] = {}
    if overall.hidden:
        return Results(look_fors, overall, breakdowns)
    ordered = sorted(walks, key=lambda w: (w.starts_on, w.id))
    dimensions = {
        "walk": ("Walk", WalkClassroom.walk_id, {w.id: walk_label(w) for w in ordered}, [w.id for w in ordered]),
        "month": ("Month", month_number(WalkClassroom.visited_on), _MonthLabels(), None),
        "grade_band": ("Grade band", WalkClassroom.grade_band, {b: b for b in GRADE_BANDS}, [*GRADE_BANDS, None]),
        "subject_area": (
            "Subject area",
            WalkClassroom.subject_area,
            {s: s for s in SUBJECT_AREAS},
            [*SUBJECT_AREAS, None],
        ),
        "school": (
            "School",
            Walk.school_id,
            {s.id: s.name for s in schools},
            [s.id for s in sorted(schools, key=lambda s: s.name)],
        ),
    }
    for name in by:
        heading, dimension, labels, order = dimensions[name]
        breakdowns[name] = _breakdown(name, heading, walk_ids, dimension, labels, look_fors, order)
    return Results(look_fors, overall, breakdowns)


class _MonthLabels(dict):
    def get(self, key, default=None):
        return month_label(key, with_year=True) if key is not None else default

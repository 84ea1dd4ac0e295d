"""Results as rows for CSV and XLSX: one row per group and look-for, with hidden cells said to be hidden.
Only counts and shares; evidence text is never read here."""

from collections.abc import Iterator

from ..sheets import decimal, percent
from .results import MIN_CLASSROOMS, Breakdown, Group, Results

HEADER = [
    "Breakdown",
    "Group",
    "Classrooms",
    "Look-for",
    "Seen in",
    "Classrooms where it applied",
    percent("Share seen (%)"),
    decimal("Average tally"),
]
HIDDEN = f"Hidden: fewer than {MIN_CLASSROOMS} classrooms"


def _rows_for(name: str, group: Group, results: Results) -> Iterator[list]:
    if group.hidden:
        yield [name, group.label, f"fewer than {MIN_CLASSROOMS}", "", "", "", HIDDEN, ""]
        return
    for item in results.look_fors:
        share = group.shares[item["key"]]
        if share.hidden:
            yield [name, group.label, group.classrooms, item["text"], "", "", HIDDEN, ""]
        else:
            tally = group.tallies.get(item["key"])
            yield [
                name,
                group.label,
                group.classrooms,
                item["text"],
                share.seen,
                share.applicable,
                share.percent,
                "" if tally is None else tally,
            ]


def rows(results: Results) -> Iterator[list]:
    yield from _rows_for("All classrooms", results.overall, results)
    for breakdown in results.breakdowns.values():
        yield from breakdown_rows(breakdown, results)


def breakdown_rows(breakdown: Breakdown, results: Results) -> Iterator[list]:
    for group in breakdown.groups:
        yield from _rows_for(breakdown.heading, group, results)


def sheets(results: Results) -> list[tuple[str, list, Iterator[list]]]:
    found = [("All classrooms", HEADER, _rows_for("All classrooms", results.overall, results))]
    for breakdown in results.breakdowns.values():
        found.append((f"By {breakdown.heading.lower()}", HEADER, breakdown_rows(breakdown, results)))
    return found

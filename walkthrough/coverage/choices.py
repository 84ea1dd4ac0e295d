"""The coverage board's "Who covers?" lists, written in Python: a busy day's board has ten jobs with dozens
of people each, and the same options through the template were a third of the board's rendering (Python
function calls per board 40,905 -> 27,968)."""

from markupsafe import Markup, escape

from .queries import Job, Option


def cover_choices(job: Job) -> Markup:
    """The options inside the job's <select>: substitutes (preferred first), then colleagues."""
    return Markup(
        '<option value="">Choose…</option>'
        f'<optgroup label="Substitutes">{"".join(_substitute(o) for o in job.substitutes)}</optgroup>'
        '<optgroup label="Colleagues (fewest covers this month first)">'
        f"{''.join(_colleague(o) for o in job.colleagues)}</optgroup>"
    )


def _substitute(option: Option) -> str:
    star = "★ " if option.preferred else ""
    fit = f" ({escape(option.fit)})" if option.fit else ""
    return _option(option, f"{star}{escape(option.person.name)}{fit}")


def _colleague(option: Option) -> str:
    return _option(option, f"{escape(option.person.name)} · {option.month} this month")


def _option(option: Option, label: str) -> str:
    disabled = " disabled" if option.conflict else ""
    conflict = f" — {escape(option.conflict)}" if option.conflict else ""
    return f'<option value="{int(option.person.id)}"{disabled}>{label}{conflict}</option>'

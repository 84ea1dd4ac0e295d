"""The board's "Who covers?" options, written in Python (coverage/choices.py): the same markup the template
wrote, with every name, fit and conflict escaped."""

from walkthrough.coverage.availability import Candidate
from walkthrough.coverage.choices import cover_choices
from walkthrough.coverage.queries import Job, Option


def person(id, name, substitute=True):
    return Candidate(id, name, substitute, not substitute, None)


def test_substitutes_then_colleagues_with_stars_fit_and_conflicts_escaped():
    job = Job(teacher=None, requests=[])
    job.substitutes = [
        Option(person(7, "Rae <Reyes>"), None, 0, 0, preferred=True, fit="Math & Science"),
        Option(person(8, "Sam O'Neil"), "Booked at Lincoln then.", 2, 1),
    ]
    job.colleagues = [Option(person(9, 'Ana "A" Ruiz', substitute=False), None, 3, 1)]
    assert str(cover_choices(job)) == (
        '<option value="">Choose…</option>'
        '<optgroup label="Substitutes">'
        '<option value="7">★ Rae &lt;Reyes&gt; (Math &amp; Science)</option>'
        '<option value="8" disabled>Sam O&#39;Neil — Booked at Lincoln then.</option>'
        "</optgroup>"
        '<optgroup label="Colleagues (fewest covers this month first)">'
        '<option value="9">Ana &#34;A&#34; Ruiz · 3 this month</option>'
        "</optgroup>"
    )


def test_a_job_nobody_can_take_still_offers_the_empty_choice():
    assert str(cover_choices(Job(teacher=None, requests=[]))).startswith('<option value="">Choose…</option>')

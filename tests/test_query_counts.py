"""Pages that list things run a fixed number of queries however long the list (no N+1)."""

from datetime import date, time, timedelta

from sqlalchemy import select

from tests.visit_setup import weekday_after
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import services as observation_services
from walkthrough.protocols.models import Protocol
from walkthrough.visits import hosting
from walkthrough.visits import services as visit_services


def queries_for(client, count_queries, path) -> int:
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return counted.n


def grow(n, make_user, school, protocol, viewer):
    for _ in range(n):
        host = make_user(Role.TEACHER, school=school)
        [slot] = hosting.open_classroom(
            host=host,
            day=weekday_after(2),
            period_id=None,
            local_start=time(9),
            local_end=time(9, 30),
            room="1",
            capacity=2,
            focus_question="q",
            protocol=protocol,
            note_for_visitors="",
            cutoff_hours=0,
            per_person_limit=None,
        )
        booker = make_user(Role.TEACHER, school=school)
        visit_services.sign_up(slot=slot, observer=booker, actor=booker)
        observation_services.start_observation(observer=viewer, host=host, protocol=protocol)
    db.session.commit()


def test_list_pages_do_not_grow_their_query_count(client, auth, make_user, make_school, count_queries):
    school = make_school(first_day=date.today() - timedelta(days=30), last_day=date.today() + timedelta(days=200))
    protocol = db.session.scalar(select(Protocol))
    viewer = make_user(Role.TEACHER, Role.ADMIN, school=school)
    auth.login(viewer)
    pages = ["/visits/", "/visits/mine", "/observations/", "/admin/people", "/protocols/"]
    grow(3, make_user, school, protocol, viewer)
    few = {path: queries_for(client, count_queries, path) for path in pages}
    grow(15, make_user, school, protocol, viewer)
    many = {path: queries_for(client, count_queries, path) for path in pages}
    assert many == few
    assert max(many.values()) <= 20, many


def test_the_note_editor_costs_a_few_queries_however_long_the_note(client, auth, make_user, make_school, count_queries):
    from walkthrough.observations import changes

    school = make_school()
    observer, host = make_user(Role.TEACHER, school=school), make_user(Role.TEACHER, school=school)
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    note = observation_services.start_observation(observer=observer, host=host, protocol=protocol)
    db.session.commit()
    auth.login(observer)
    # Just started: the note has no lines, slots or photos yet, and the query for the note says so.
    assert queries_for(client, count_queries, f"/observations/{note.id}") == 2  # the person; the note
    counts = []
    for lines in (2, 40):
        changes.apply_changes(
            observation=note,
            changes=[
                change
                for n in range(len(counts) * 2, len(counts) * 2 + lines)
                for change in (
                    {
                        "key": f"add-line-{n:04d}",
                        "op": "add_evidence",
                        "field": "log",
                        "entry": f"line-{n:04d}",
                        "recorded_at": 0,
                    },
                    {
                        "key": f"say-line-{n:04d}",
                        "op": "text",
                        "slot": f"evidence:line-{n:04d}",
                        "value": "said",
                        "base": "",
                        "base_revision": 0,
                    },
                )
            ],
        )
        db.session.commit()
        note_id = note.id
        db.session.remove()  # a fresh session, as each real request has
        counts.append(queries_for(client, count_queries, f"/observations/{note_id}"))
        note = db.session.get(type(note), note_id)
    assert counts[0] == counts[1] <= 5, counts  # the person; the note with host and protocol; slots, lines, photos


def test_an_autosave_costs_the_same_few_queries_however_many_lines_it_sends(
    client, auth, make_user, make_school, count_queries
):
    """The phone saves every few seconds during a visit: what the batch names (keys already applied, lines,
    slots) is read in one statement up front, and its new rows are written together, not one per change."""
    school = make_school()
    observer, host = make_user(Role.TEACHER, school=school), make_user(Role.TEACHER, school=school)
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    note = observation_services.start_observation(observer=observer, host=host, protocol=protocol)
    db.session.commit()
    note_id = note.id
    auth.login(observer)

    def lines(first, count):
        return [
            change
            for n in range(first, first + count)
            for change in (
                {"key": f"add-line-{n:04d}", "op": "add_evidence", "field": "log", "entry": f"line-{n:04d}"}
                | {"recorded_at": 0},
                {"key": f"say-line-{n:04d}", "op": "text", "slot": f"evidence:line-{n:04d}", "value": "said"}
                | {"base": "", "base_revision": 0},
            )
        ]

    def save(batch):
        with count_queries() as counted:
            response = client.post(f"/observations/{note_id}/changes", json={"changes": batch})
        assert response.status_code == 200
        assert not any("error" in result for result in response.get_json()["results"]), response.get_json()
        return counted.n

    counts = [save(lines(0, 1)), save(lines(1, 30))]
    # Typing on: each line's text changes again, an existing slot each, written by compare-and-swap.
    edits = [
        {"key": f"edit-line-{n:04d}", "op": "text", "slot": f"evidence:line-{n:04d}", "value": "said more"}
        | {"base": "said", "base_revision": 1}
        for n in range(2)
    ]
    # The person, the note, what the batch names (one statement), then each kind of new row.
    assert counts[0] == counts[1] <= 6, counts
    assert save(edits) <= 6
    assert save(lines(0, 1)) <= 3  # a retry of the first batch: both keys are known, nothing is written


def test_the_home_page_reads_only_the_sections_that_have_something(survey_world, auth, client, count_queries):
    """Walks, surveys to answer, walk summaries and cover booked are asked about in one statement, with the
    release time used; only a section that has something is then read."""
    from tests.survey_setup import sent_survey

    w = survey_world
    teacher = w["teachers"][0]
    auth.login(teacher)
    empty = queries_for(client, count_queries, "/")
    survey = sent_survey(w)
    with count_queries() as counted:
        home = client.get("/").get_data(as_text=True)
    assert survey.title in home
    assert counted.n == empty + 1, (empty, counted.n)
    # The person, the week's classes and the one question; and the school's year (two statements), which the
    # tests' app (no cache) reads on every request rather than once.
    assert empty <= 5, empty

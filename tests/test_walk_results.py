"""Building-level results: shares are right, groups of fewer than five classrooms are hidden in every output
(and a hidden group can't be worked out from the total), and no page, export or email of a walk carries a
teacher's name, room or period, or a walker's evidence."""

import csv
import io
import zipfile

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.walk_setup import COURSES, HOSTS, PERIOD, ROOMS, record
from walkthrough.extensions import db
from walkthrough.walks import capture as walk_capture
from walkthrough.walks import services as walks
from walkthrough.walks.results import Group, _hide_small, results_for

NEVER = [*HOSTS, *ROOMS, *COURSES, PERIOD]
EVIDENCE = "Evidence-{i}-only-for-the-walker"


def _texts_of(response) -> str:
    """What a person could read in a response: the page, the CSV, every XLSX cell or the PDF's text."""
    data = response.get_data()
    response.close()
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(data), read_only=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
        book.close()
        return cells + " " + raw
    if "pdf" in kind:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8")


def test_shares_count_seen_among_classrooms_where_the_look_for_applied(walk_world):
    w = walk_world
    record(w, w["walker"], 6, grade_band="6-8")
    record(w, w["coach"], 3, grade_band="6-8", seen_first=False)
    results = results_for([w["walk"]], by=["grade_band"])
    first, second, third = (results.overall.shares[k] for k in w["keys"][:3])
    assert (first.seen, first.applicable, first.percent) == (6, 9, 66.7)
    assert (second.seen, second.applicable, second.percent) == (0, 9, 0.0)
    assert third.hidden and third.percent is None  # not applicable anywhere: nothing to show
    assert results.overall.tallies[w["keys"][0]] == round(sum([20, 21, 22, 23, 24, 25, 20, 21, 22]) / 9, 1)
    band = results.breakdowns["grade_band"].groups
    assert [(g.label, g.classrooms, g.hidden) for g in band] == [("6-8", 9, False)]


def test_fewer_than_five_classrooms_show_nothing(walk_world):
    w = walk_world
    record(w, w["walker"], 4)
    results = results_for([w["walk"]], by=["grade_band", "subject_area"])
    assert not results.enough and results.breakdowns == {}
    assert all(share.hidden and share.seen == 0 for share in results.overall.shares.values())


def test_a_hidden_group_cannot_be_worked_out_from_the_total(walk_world):
    w = walk_world
    record(w, w["walker"], 7, grade_band="6-8")
    record(w, w["coach"], 3, grade_band="3-5", seen_first=False)
    groups = results_for([w["walk"]], by=["grade_band"]).breakdowns["grade_band"].groups
    # 3-5 alone would be hidden and 10 − 7 gives it away; so 6-8 is hidden too.
    assert [(g.label, g.hidden) for g in groups] == [("3-5", True), ("6-8", True)]
    assert all(s.hidden for g in groups for s in g.shares.values())


def test_complementary_hiding_takes_the_smallest_group_and_stops_at_five():
    groups = [Group("a", "A", 20), Group("b", "B", 6), Group("c", "C", 2), Group("d", "D", 9)]
    _hide_small(groups)
    assert [g.hidden for g in groups] == [False, True, True, False]
    groups = [Group("a", "A", 3), Group("b", "B", 4), Group("c", "C", 30)]
    _hide_small(groups)
    assert [g.hidden for g in groups] == [True, True, False]


def _all_outputs(w, auth, client, outbox):
    """Every page, export and email a walk makes, read as the people who can open them."""
    walk = w["walk"]
    school = w["school"]
    seen = []
    for person in (w["walker"], w["coach"], w["admin"], w["hosts"][0], w["district"]):
        auth.login(person)
        # A host's own home page shows their own name and rooms; everyone else's must not.
        urls = [f"/walks/{walk.id}", "/walks/"] + ([] if person in w["hosts"] else ["/"])
        urls += [f"/walks/walk-results.{k}?walk_id={walk.id}" for k in ("csv", "xlsx", "pdf")]
        if person is not w["district"]:
            urls += ["/walks/results"] + [f"/walks/school-results.{k}" for k in ("csv", "xlsx", "pdf")]
        else:
            urls += [f"/walks/results?school_id={school.id}", "/walks/compare"]
            urls += [f"/walks/compare-results.{k}" for k in ("csv", "xlsx", "pdf")]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (person.name, url)
            seen.append((person, url, _texts_of(response)))
        auth.logout()
    people = {p.email: p for p in [*w["hosts"], w["walker"], w["coach"], w["admin"], w["district"]]}
    seen += [(people.get(m.recipient), m.kind, m.mime + m.body) for m in outbox()]
    return seen


def test_no_page_export_or_email_names_a_teacher_or_carries_evidence(walk_world, auth, client, outbox):
    w = walk_world
    record(w, w["walker"], 6, grade_band="6-8", subject_area="Math", evidence=EVIDENCE)
    record(w, w["coach"], 5, grade_band="3-5", subject_area="Science", evidence="Coach-{i}-private")
    walks.save_summary(
        walk=w["walk"], actor=w["coach"], noticed="Students explained their thinking.", wondered="", send=True
    )
    db.session.commit()
    outputs = _all_outputs(w, auth, client, outbox)
    assert len(outputs) > 40
    for person, where, text in outputs:
        for secret in NEVER:
            if person is not None and secret == person.name:
                continue  # an email greets its reader by name
            assert secret not in text, (person and person.name, where, secret)
        mine = person is w["walker"] and where == f"/walks/{w['walk'].id}"
        assert ("only-for-the-walker" in text) == mine, (person and person.name, where)
        assert "-private" not in text or (person is w["coach"] and where == f"/walks/{w['walk'].id}")
    # and the results are really there: 6 + 5 classrooms, all saw the first look-for, tallies 20–25 and 20–24
    csv_text = next(t for p, u, t in outputs if p is w["admin"] and u.startswith("/walks/walk-results.csv"))
    rows = list(csv.reader(io.StringIO(csv_text)))
    first = next(r for r in rows if r[0] == "All classrooms" and r[3] == w["walk"].look_fors[0]["text"])
    assert first[2:] == ["11", w["walk"].look_fors[0]["text"], "11", "11", "100.0", "22.3"]


def test_small_cells_are_hidden_in_every_output(walk_world, auth, client, outbox):
    w = walk_world
    record(w, w["walker"], 3, grade_band="6-8", subject_area="Math")
    walks.save_summary(walk=w["walk"], actor=w["coach"], noticed="Few rooms yet.", wondered="", send=True)
    db.session.commit()
    for person, where, text in _all_outputs(w, auth, client, outbox):
        assert "100%" not in text and "100.0" not in text, (person and person.name, where)
        if ".csv" in where or ".xlsx" in where:
            assert "fewer than 5" in text
    record(w, w["coach"], 3, grade_band="3-5", subject_area="Arts")
    auth.login(w["admin"])
    page = client.get(f"/walks/{w['walk'].id}").get_data(as_text=True)
    assert "100%" in page  # six classrooms: the building's figure shows...
    xlsx = _texts_of(client.get(f"/walks/walk-results.xlsx?walk_id={w['walk'].id}"))
    assert "Hidden: fewer than 5 classrooms" in xlsx  # ...but each grade band (3 and 3) stays hidden
    rows = list(csv.reader(io.StringIO(_texts_of(client.get(f"/walks/walk-results.csv?walk_id={w['walk'].id}")))))
    assert {r[1] for r in rows if r[0] == "Grade band"} == {"3-5", "6-8"}
    assert all(r[2] == "fewer than 5" for r in rows if r[0] in ("Grade band", "Subject area"))


def test_the_district_compares_schools_and_a_school_sees_only_its_own(walk_world, auth, client):
    w = walk_world
    record(w, w["walker"], 5)
    auth.login(w["hosts"][0])
    assert client.get("/walks/compare").status_code == 403
    assert client.get(f"/walks/results?school_id={w['other_school'].id}").status_code == 404
    auth.logout()
    auth.login(w["district"])
    page = client.get("/walks/compare").get_data(as_text=True)
    assert "Cedar Creek Middle" in page and "By school" in page


def test_results_cost_the_same_queries_for_two_walks_or_six(walk_world, auth, client, count_queries):
    from tests.walk_setup import strategic_tool

    w = walk_world

    def plan(n):
        for i in range(n):
            day = w["today"]
            walk = walks.plan_walk(
                actor=w["coach"],
                school=w["school"],
                tool=strategic_tool(),
                kind="blast",
                focus=f"Walk {i}",
                starts_on=day,
                ends_on=day,
                team_ids=[w["walker"].id],
            )
            db.session.commit()
            for _ in range(5):
                walk_capture.capture_classroom(
                    walk=walk,
                    walker=w["walker"],
                    client_key="",
                    visited_on=day,
                    grade_band="",
                    subject_area="",
                    marks={w["keys"][0]: "seen"},
                    tallies={},
                    evidence="",
                )
        db.session.commit()

    auth.login(w["coach"])
    plan(1)
    client.get("/walks/results")
    with count_queries() as two:
        assert client.get("/walks/results").status_code == 200
    plan(4)
    with count_queries() as six:
        assert client.get("/walks/results").status_code == 200
    assert six.n == two.n

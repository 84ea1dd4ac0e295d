"""Admin dashboards and exports: the right counts, real file formats, streamed, and logged."""

import csv
import io
import threading
from dataclasses import replace
from datetime import time

import openpyxl
import pypdf
import pytest
from werkzeug.serving import make_server

from tests.coaching_setup import coach_with_consent
from tests.conftest import PASSWORD
from tests.download_checks import csv_rows, xlsx_book
from tests.history_setup import LAST_YEAR, YEAR, cover, on, open_door, past_visit
from tests.test_concurrency import signed_in_opener
from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role
from walkthrough.extensions import cache, db
from walkthrough.reports import figures
from walkthrough.reports.scope import Scope
from walkthrough.reports.summary import COVERAGE_HEADER, OBSERVATION_HEADER, RELEASE_HEADER
from walkthrough.schools.models import School
from walkthrough.sheets import titles


@pytest.fixture
def history(make_school, make_user):
    riverside = make_school("Riverside Middle", first_day=YEAR.start, last_day=YEAR.end)
    lincoln = make_school("Lincoln High", timezone="America/Denver", first_day=YEAR.start, last_day=YEAR.end)
    ana, ben, cleo, dev = (make_user(Role.TEACHER, school=riverside, name=n) for n in ("Ana", "Ben", "Cleo", "Dev"))
    coach = make_user(Role.COACH, Role.TEACHER, school=riverside, name="Coach Kim")
    hal = make_user(Role.TEACHER, school=lincoln, name="Hal")
    past_visit(host=ben, observer=ana, day=on(9, 14), notes="n", reflection="r", shared=True, reply="thanks")
    past_visit(host=ben, observer=coach, day=on(9, 21), notes="n", slug="learning-walk")
    past_visit(host=ana, observer=cleo, day=on(10, 5), notes=None)
    open_door(host=hal, observer=ana, day=on(10, 6), minutes=30)
    cover(teacher=ana, day=on(9, 14), start=time(10), end=time(10, 50), status="confirmed")
    cover(teacher=cleo, day=on(10, 5), start=time(10), end=time(10, 50), status="open")
    district_admin = make_user(Role.ADMIN, name="District Dana")
    school_admin = make_user(Role.ADMIN, school=riverside, name="Principal Pat")
    return dict(
        riverside=riverside,
        lincoln=lincoln,
        district_admin=district_admin,
        school_admin=school_admin,
        people=(ana, ben, cleo, dev, coach, hal),
    )


def _range(**extra):
    return {"start": YEAR.start.isoformat(), "end": YEAR.end.isoformat()} | extra


def test_the_school_dashboard_counts_visits_participation_protocols_and_cover(history, auth, client):
    auth.login(history["school_admin"])
    page = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    # Riverside hosted three visits; Ana's visit to Lincoln counts at Lincoln, her participation at Riverside.
    assert '<div class="stat"><dt>Visits</dt><dd>3</dd></div>' in page
    assert "3 of 5 teachers visited a colleague (60%)" in page
    assert "2 of 5 hosted a visitor (40%)" in page
    assert "1 of 2 classes that needed cover had it (50%)" in page
    assert "Learning walk" in page or "learning walk" in page.lower()
    assert "Hal" not in page


def test_a_school_admin_cannot_look_at_another_school(history, auth, client):
    auth.login(history["school_admin"])
    response = client.get("/reports/", query_string=_range(school_id=history["lincoln"].id))
    assert response.status_code == 404
    teacher = history["people"][0]
    auth.logout()
    auth.login(teacher)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/summary.csv").status_code == 403


def test_the_district_dashboard_has_every_school_and_a_readable_chart(history, auth, client):
    auth.login(history["district_admin"])
    page = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>4</dd></div>' in page
    assert "Riverside Middle" in page and "Lincoln High" in page
    assert "<svg" in page and 'id="visits-by-month"' in page  # the chart and its table


def test_summary_csv_streams_and_round_trips(history, auth, client):
    auth.login(history["district_admin"])
    response = client.get("/reports/summary.csv", query_string=_range(section="observations"))
    assert response.status_code == 200 and response.is_streamed
    rows = csv_rows(response)
    assert rows[0] == titles(OBSERVATION_HEADER)
    month = f"{LAST_YEAR}-09"
    assert [
        "Riverside Middle",
        month,
        "Evidence for the host's focus question",
        "Teacher",
        "1",
        "1",
        "1",
        "1",
        "0.75",
    ] in rows
    assert ["Riverside Middle", month, "Learning walk with look-fors", "Coach", "1", "0", "0", "0", "0.75"] in rows
    assert sum(int(r[4]) for r in rows[1:]) == 4
    coverage = csv_rows(client.get("/reports/summary.csv", query_string=_range(section="coverage")))
    assert coverage[0] == titles(COVERAGE_HEADER) and "Fill rate (%)" in coverage[0]
    assert ["Riverside Middle", f"{LAST_YEAR}-09", "1", "1", "0", "100.0", "0.83"] in coverage


def test_summary_xlsx_opens_with_three_sheets_of_counts(history, auth, client):
    auth.login(history["district_admin"])
    response = client.get("/reports/summary.xlsx", query_string=_range())
    assert response.status_code == 200
    book = xlsx_book(response)
    assert book.sheetnames == ["Observations", "Coverage", "Release time"]
    observations = list(book["Observations"].iter_rows(values_only=True))
    assert list(observations[0]) == titles(OBSERVATION_HEADER)
    assert sum(row[4] for row in observations[1:]) == 4
    first = book["Observations"]["B2"]  # a month is a date shown as "Sep 2025", hours have two decimals
    assert first.is_date and first.value.day == 1 and first.number_format == "mmm yyyy"
    assert book["Observations"]["I2"].number_format == "#,##0.00"
    coverage = book["Coverage"]
    assert coverage["F2"].value == 1.0 and coverage["F2"].number_format == "0.0%"  # 100.0 %, not 1 or 100
    release = list(book["Release time"].iter_rows(values_only=True))
    assert list(release[0]) == titles(RELEASE_HEADER)
    riverside = next(row for row in release if row[0] == "Riverside Middle")
    assert riverside[1] == 5 and riverside[2] == 40 and riverside[3] == round(100 / 60, 2)


def test_district_and_school_dashboards_count_participation_the_same_way(history, auth, client):
    """The district's figures come from one pass over every visit, a school's from its teachers one by
    one: each school's row must agree with its own dashboard."""
    schools = [history["riverside"], history["lincoln"]]
    every = figures.dashboard_for(
        Scope(schools, tuple(s.id for s in schools), None, "All schools", YEAR.start, YEAR.end)
    )
    for school in schools:
        alone = figures.dashboard_for(Scope([school], (school.id,), school.id, school.name, YEAR.start, YEAR.end))
        row = next(f for f in every.schools if f.name == school.name)
        mine = alone.total
        assert (row.teachers, row.visited, row.hosted) == (mine.teachers, mine.visited, mine.hosted)
    assert (every.total.visited, every.total.hosted) == (3, 3)  # Ana, Cleo, the coach; Ben, Ana, Hal


def test_summary_pdf_has_the_figures(history, auth, client):
    auth.login(history["district_admin"])
    response = client.get("/reports/summary.pdf", query_string=_range())
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Walkthrough summary" in text
    assert "Riverside Middle" in text and "Lincoln High" in text
    assert "3 of 6" in text  # teachers who visited, district-wide


def test_every_export_is_in_the_audit_log_and_the_log_is_read_only(history, auth, client, make_user):
    auth.login(history["district_admin"])
    client.get("/reports/summary.csv", query_string=_range(section="release")).close()
    client.get("/reports/summary.xlsx", query_string=_range()).close()
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.detail["format"], e.actor_email) for e in events] == [
        ("export", "csv", history["district_admin"].email),
        ("export", "xlsx", history["district_admin"].email),
    ]
    assert events[0].detail["start"] == YEAR.start.isoformat() and events[0].detail["section"] == "release"
    log = client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "District Dana" in log and "section: release" in log


def test_bad_dates_get_a_clear_message(history, auth, client):
    auth.login(history["district_admin"])
    response = client.get("/reports/", query_string={"start": "yesterday"})
    assert response.status_code == 400
    assert "2026-09-01" in response.get_data(as_text=True)


def test_streamed_exports_work_over_a_real_server(history, make_app, make_user):
    """A streamed body is written after the view returns, outside the test's app context: only a live
    server shows whether the rows can still be read then."""
    coach = make_user(Role.COACH, school=history["riverside"], name="Coach Kim")
    for person in history["people"][:3]:
        coach_with_consent(coach=coach, coachee=person)
    db.session.commit()
    admin_email, coach_email = history["district_admin"].email, coach.email
    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        admin = signed_in_opener(base, admin_email)
        query = f"start={YEAR.start}&end={YEAR.end}"
        with admin.open(f"{base}/reports/summary.csv?section=observations&{query}", timeout=30) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
        assert rows[0] == titles(OBSERVATION_HEADER) and sum(int(r[4]) for r in rows[1:]) == 4
        with admin.open(f"{base}/reports/summary.csv?section=coverage&{query}", timeout=30) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
        assert rows[0] == titles(COVERAGE_HEADER)
        assert ["Riverside Middle", f"{LAST_YEAR}-09", "1", "1", "0", "100.0", "0.83"] in rows
        with admin.open(f"{base}/reports/summary.csv?section=release&{query}", timeout=30) as response:
            rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
        assert rows[0] == titles(RELEASE_HEADER) and ["Riverside Middle", "5"] in [row[:2] for row in rows]
        with admin.open(f"{base}/reports/summary.xlsx?{query}", timeout=30) as response:
            book = openpyxl.load_workbook(io.BytesIO(response.read()), read_only=True)
            assert book.sheetnames == ["Observations", "Coverage", "Release time"]
            book.close()
        coach_opener = signed_in_opener(base, coach_email)
        with coach_opener.open(f"{base}/coaching/export.csv?year={LAST_YEAR}", timeout=30) as response:
            names = [row[0] for row in csv.reader(io.StringIO(response.read().decode("utf-8-sig")))][1:]
        assert names == ["Ana", "Ben", "Cleo"]
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_the_dashboard_keeps_its_figures_for_a_minute(history, make_app, make_user, count_queries):
    app = make_app(CACHE_TYPE="SimpleCache")
    client = app.test_client()
    client.post("/auth/login", data={"email": history["district_admin"].email, "password": PASSWORD})
    first = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    with count_queries() as counted:
        again = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    assert again == first
    assert counted.n <= 4  # the session's user and the school list; the figures come from the cache
    other_dates = client.get("/reports/", query_string={"start": YEAR.start.isoformat(), "end": on(9, 30)})
    assert '<div class="stat"><dt>Visits</dt><dd>2</dd></div>' in other_dates.get_data(as_text=True)


def test_the_dashboards_html_is_kept_with_its_figures_and_no_longer(history, make_app, make_user):
    """The figures' part of the page is rendered once for each working-out of the figures: a visit made
    meanwhile shows when the figures are worked out again, and each scope keeps its own links."""
    app = make_app(CACHE_TYPE="SimpleCache")
    client = app.test_client()
    client.post("/auth/login", data={"email": history["district_admin"].email, "password": PASSWORD})
    riverside = history["riverside"].id
    page = client.get("/reports/", query_string=_range(school_id=riverside)).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>3</dd></div>' in page
    dates = f"start={YEAR.start.isoformat()}&amp;end={YEAR.end.isoformat()}"
    assert f"summary.xlsx?{dates}&amp;school_id={riverside}" in page
    district = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>4</dd></div>' in district
    assert f'summary.xlsx?{dates}"' in district

    ana, ben = history["people"][:2]
    past_visit(host=ana, observer=ben, day=on(10, 20), notes="n")
    kept = client.get("/reports/", query_string=_range(school_id=riverside)).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>3</dd></div>' in kept  # figures are kept for a minute
    school = db.session.get(School, riverside)
    with app.app_context():  # the figures' minute is up: what was made from them goes with them
        cache.delete(figures.cache_key(Scope([school], (riverside,), riverside, school.name, YEAR.start, YEAR.end)))
    fresh = client.get("/reports/", query_string=_range(school_id=riverside)).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>4</dd></div>' in fresh


def test_figures_kept_by_the_release_before_are_shown_and_their_html_not_kept(history, make_app):
    """Figures cached in Redis by the code before editions existed unpickle with an empty edition."""
    app = make_app(CACHE_TYPE="SimpleCache")
    school = history["riverside"]
    scope = Scope([school], (school.id,), school.id, school.name, YEAR.start, YEAR.end)
    with app.app_context():
        old = replace(figures.dashboard_for(scope), edition="", scope=None)
        cache.set(figures.cache_key(scope), old)
    client = app.test_client()
    client.post("/auth/login", data={"email": history["school_admin"].email, "password": PASSWORD})
    page = client.get("/reports/", query_string=_range()).get_data(as_text=True)
    assert '<div class="stat"><dt>Visits</dt><dd>3</dd></div>' in page
    with app.app_context():
        assert not [key for key in cache.cache._cache if "dashboard-html" in key]


def test_spreadsheet_cells_that_would_run_as_formulas_are_kept_as_text(make_school, make_user, auth, client):
    school = make_school("Riverside", first_day=YEAR.start, last_day=YEAR.end)
    coach = make_user(Role.COACH, school=school)
    for name in ('=HYPERLINK("http://evil.example","x")', "+1+2", "@SUM(A1)", "-3", "Plain Name"):
        coach_with_consent(coach=coach, coachee=make_user(Role.TEACHER, school=school, name=name))
    db.session.commit()
    auth.login(coach)
    rows = csv_rows(client.get(f"/coaching/export.csv?year={LAST_YEAR}"))
    names = sorted(row[0] for row in rows[1:])
    assert names == ["'+1+2", "'-3", '\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)", "Plain Name"]
    book = xlsx_book(client.get(f"/coaching/export.xlsx?year={LAST_YEAR}"))
    cells = {row[0].value: row[0] for row in book.active.iter_rows(min_row=2)}
    # XLSX says "text" in the file itself: the name reads as typed, and Excel keeps it text when edited.
    assert sorted(cells) == ["+1+2", "-3", '=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "Plain Name"]
    assert all(cell.data_type == "s" for cell in cells.values())
    assert all(cell.quotePrefix for name, cell in cells.items() if name != "Plain Name")


def test_shares_show_as_whole_percentages_or_a_dash_with_nothing_to_divide_by():
    from walkthrough.text import percent

    assert [percent(share) for share in (None, 0, 0.425, 0.4251, 2 / 3, 1)] == ["—", "0%", "42%", "43%", "67%", "100%"]

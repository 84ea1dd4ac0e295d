"""The non-evaluative promise, end to end: plant a marker in every note, reflection and coach note, then
open every page an admin can reach and every export; no marker may appear. The teacher's own portfolio
must hold their own words."""

import io
import re
from datetime import time

import openpyxl
import pypdf
import pytest

from tests.coaching_setup import coach_with_consent
from tests.history_setup import LAST_YEAR, YEAR, cover, on, past_visit
from walkthrough.auth.models import Role
from walkthrough.coaching import records
from walkthrough.cohorts import services as cohorts
from walkthrough.extensions import db
from walkthrough.observations.models import Observation

MARKERS = {
    "note": "QZXNOTEMARK",
    "evidence": "QZXEVIDENCEMARK",
    "reflection": "QZXREFLECTIONMARK",
    "reply": "QZXREPLYMARK",
    "coach_private": "QZXCOACHPRIVATEMARK",
    "coach_shared": "QZXCOACHSHAREDMARK",
    "next_step": "QZXNEXTSTEPMARK",
    "meeting_reflection": "QZXMEETINGMARK",
    "goal": "QZXGOALMARK",
    "cycle": "QZXCYCLEMARK",
    "open_door": "QZXOPENDOORMARK",
}


@pytest.fixture
def planted(make_school, make_user):
    school = make_school("Riverside", first_day=YEAR.start, last_day=YEAR.end)
    observer = make_user(Role.TEACHER, school=school, name="Ana Observer")
    host = make_user(Role.TEACHER, school=school, name="Ben Host")
    coach = make_user(Role.COACH, school=school, name="Coach Kim")
    school_admin = make_user(Role.ADMIN, school=school, name="Principal Pat")
    district_admin = make_user(Role.ADMIN, name="District Dana")
    _, _, observation = past_visit(
        host=host,
        observer=observer,
        day=on(10, 7),
        notes=MARKERS["note"],
        evidence=MARKERS["evidence"],
        reflection=MARKERS["reflection"],
        shared=True,
        reply=MARKERS["reply"],
    )
    observation.shared_with_coach_id = coach.id
    past_visit(host=observer, observer=host, day=on(10, 8), notes=MARKERS["open_door"], slug="noticings-wonderings")
    cover(teacher=observer, day=on(10, 7), start=time(10), end=time(10, 45), status="confirmed")
    coach_with_consent(coach=coach, coachee=observer)
    record = records.record_for(observer, LAST_YEAR)
    records.add_goal(record=record, text=MARKERS["goal"])
    records.start_cycle(record=record, coach=coach, focus=MARKERS["cycle"], started_on=on(10, 1))
    for notes, shared in ((MARKERS["coach_private"], False), (MARKERS["coach_shared"], True)):
        records.log_activity(
            record=record,
            coach=coach,
            day=on(10, 9),
            kind="planning",
            minutes=30,
            notes=notes,
            next_step=MARKERS["next_step"],
            shared_with_coachee=shared,
            today=on(10, 9),
        )
    cohort = cohorts.save_cohort(
        cohort=None,
        name="North cohort",
        level="middle",
        region="North",
        start_year=LAST_YEAR,
        leader=observer,
        meetings_required=4,
        hours_required=8,
    )
    meeting = cohorts.schedule_meeting(cohort=cohort, day=on(10, 10), mode="virtual", place="", topic="Kickoff")
    cohorts.record_attendance(meeting=meeting, present={observer.id})
    cohorts.write_reflection(meeting=meeting, member=observer, text=MARKERS["meeting_reflection"], today=on(11, 1))
    db.session.commit()
    return dict(observer=observer, host=host, coach=coach, admins=(school_admin, district_admin))


def leaks(text: str) -> set[str]:
    squashed = re.sub(r"\s+", "", text)
    return {name for name, marker in MARKERS.items() if marker in squashed}


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    book.close()
    return " ".join(cells)


def admin_get_urls(app):
    """Every GET route, with each integer in its URL tried from 1 to 20, so every planted object is reached."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = list(rule.arguments)
        if not names:
            yield rule.build({}, append_unknown=False)[1]
            continue
        for n in range(1, 21):
            values = {}
            for name in names:
                converter = rule._converters[name]
                kind = type(converter).__name__
                values[name] = (
                    n if kind == "IntegerConverter" else sorted(converter.items)[0] if kind == "AnyConverter" else "x"
                )
            yield rule.build(values, append_unknown=False)[1]


def test_no_admin_page_or_export_shows_a_note_reflection_or_coach_note(planted, app, auth, client):
    dated = {"start": YEAR.start.isoformat(), "end": YEAR.end.isoformat(), "year": str(LAST_YEAR)}
    urls = sorted(set(admin_get_urls(app)))
    for admin in planted["admins"]:
        auth.login(admin)
        opened = 0
        for url in urls:
            response = client.get(url, query_string=dated)
            if response.status_code == 200:
                opened += 1
                body = response.data.decode("utf-8", "replace")
                if response.mimetype == "application/pdf":
                    body = pdf_text(response.data)
                elif response.mimetype.endswith("spreadsheetml.sheet"):
                    body = xlsx_text(response.data)
                assert leaks(body) == set(), f"{admin.name} saw {leaks(body)} at {url}"
            response.close()
        assert opened > 15, f"only {opened} pages opened for {admin.name}"
        for section in ("observations", "coverage", "release"):
            response = client.get("/reports/summary.csv", query_string=dated | {"section": section})
            assert response.status_code == 200 and leaks(response.get_data(as_text=True)) == set()
        xlsx = client.get("/reports/summary.xlsx", query_string=dated)
        assert xlsx.status_code == 200 and leaks(xlsx_text(xlsx.data)) == set()
        xlsx.close()
        pdf = client.get("/reports/summary.pdf", query_string=dated)
        assert pdf.status_code == 200 and "Riverside" in pdf_text(pdf.data) and leaks(pdf_text(pdf.data)) == set()
        auth.logout()


def test_the_coach_export_has_counts_but_no_coach_notes(planted, auth, client):
    auth.login(planted["coach"])
    csv_export = client.get(f"/coaching/export.csv?year={LAST_YEAR}")
    text = csv_export.get_data(as_text=True)
    assert "Ana Observer" in text and leaks(text) == set()
    xlsx = client.get(f"/coaching/export.xlsx?year={LAST_YEAR}")
    assert leaks(xlsx_text(xlsx.data)) == set()
    xlsx.close()


def test_the_teachers_own_portfolio_holds_their_own_words(planted, auth, client):
    own = {"note", "evidence", "reflection", "reply", "meeting_reflection", "goal"}
    auth.login(planted["observer"])
    page = client.get(f"/reports/my-year?year={LAST_YEAR}")
    assert page.status_code == 200
    assert own <= leaks(page.get_data(as_text=True))
    pdf = client.get(f"/reports/my-year.pdf?year={LAST_YEAR}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    in_pdf = leaks(pdf_text(pdf.data))
    assert own <= in_pdf
    # Never someone else's words: the coach's private log, or the notes the host took as a visitor elsewhere.
    assert not in_pdf & {"coach_private", "open_door", "cycle"}
    auth.logout()

    auth.login(planted["host"])
    hosts = leaks(client.get(f"/reports/my-year?year={LAST_YEAR}").get_data(as_text=True))
    assert "reply" in hosts and "open_door" in hosts  # the host's own reply, and notes from their own visit
    assert not hosts & {"note", "evidence", "reflection"}  # the visitor's notes stay with the visitor
    assert db.session.scalar(db.select(db.func.count()).select_from(Observation)) == 2

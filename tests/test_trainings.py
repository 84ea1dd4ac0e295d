"""Required learning: hours logged toward a training count toward it (only one required of the person), admins
see completion in their scope, the report's hours add up in the page, CSV and XLSX, and the certificate is a
PDF of the person's own hours."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from pypdf import PdfReader

from tests.survey_setup import switch_to
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry
from walkthrough.rules import RuleViolation
from walkthrough.schools.years import today_for
from walkthrough.trainings import services


@pytest.fixture
def district(make_school, make_user):
    year = dict(first_day=date.today() - timedelta(days=90), last_day=date.today() + timedelta(days=200))
    north, south = make_school("North Middle", **year), make_school("South High", **year)
    return {
        "north": north,
        "south": south,
        "district_admin": make_user(Role.ADMIN, name="Dana District"),
        "north_admin": make_user(Role.ADMIN, school=north, name="Nia Principal"),
        "ana": make_user(Role.TEACHER, school=north, name="Zoë Ñúñez"),
        "ben": make_user(Role.TEACHER, school=north, name="Ben Brook"),
        "cam": make_user(Role.TEACHER, school=south, name="Cam Cole"),
        "coach": make_user(Role.COACH, school=south, name="Cole Coach"),
    }


def _training(d, *, school=None, audience="teachers", hours=2.0, actor="district_admin"):
    training = services.save_training(
        actor=d[actor],
        training=None,
        title="Mandated reporter",
        description="Online module",
        hours=hours,
        due_on=date.today() + timedelta(days=30),
        school_id=school.id if school else None,
        audience=audience,
    )
    db.session.commit()
    return training


def _log(client, training_id=0, minutes=60, **extra):
    day = (date.today() - timedelta(days=1)).isoformat()
    return client.post(
        "/learning",
        data={
            "day": day,
            "kind": "pd_session",
            "title": "Mandated reporter module",
            "minutes": minutes,
            "setting": "after_hours",
            "place": "Online",
            "training_id": training_id,
            **extra,
        },
    )


def test_hours_logged_toward_a_training_complete_it(district, auth, client):
    d = district
    training = _training(d)
    assert [t.title for t in services.requirements_for(d["ana"])] == ["Mandated reporter"]
    assert services.requirements_for(d["coach"]) == []  # teachers only
    switch_to(auth, d["ana"])
    page = client.get("/learning").get_data(as_text=True)
    assert "Required of you" in page and "0 min of 2 h" in page.replace("0 h of", "0 min of")
    assert _log(client, training.id, 60).status_code == 302
    assert _log(client, training.id, 60).status_code == 302
    [progress] = services.progress_for(d["ana"])
    assert progress.minutes == 120 and progress.complete and progress.percent == 100
    entry = db.session.query(LearningEntry).first()
    assert entry.setting == "after_hours" and entry.place == "Online"
    assert "Complete" in client.get("/learning").get_data(as_text=True)


def test_only_a_training_required_of_you_can_be_counted_toward(district, auth, client):
    d = district
    south_only = _training(d, school=d["south"])
    switch_to(auth, d["ana"])
    refused = _log(client, south_only.id)
    assert refused.status_code == 422 and services.NOT_REQUIRED_OF_YOU in refused.get_data(as_text=True)
    assert "Mandated reporter module" in refused.get_data(as_text=True)  # what was typed stays
    assert db.session.query(LearningEntry).count() == 0
    with pytest.raises(RuleViolation):  # a school's admin sets trainings for their own school only
        _training(d, school=d["south"], actor="north_admin")


def test_admins_see_completion_in_their_scope(district, auth, client):
    d = district
    training = _training(d)
    db.session.add(
        LearningEntry(
            user_id=d["ana"].id, day=date.today(), kind="pd_session", title="x", minutes=120, training_id=training.id
        )
    )
    db.session.commit()
    by_name = {row.person.name: row for row in services.completion(training, d["district_admin"])}
    assert set(by_name) == {"Zoë Ñúñez", "Ben Brook", "Cam Cole"} and by_name["Zoë Ñúñez"].complete
    assert {row.person.name for row in services.completion(training, d["north_admin"])} == {"Zoë Ñúñez", "Ben Brook"}
    switch_to(auth, d["north_admin"])
    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "Ben Brook" in page and "Cam Cole" not in page
    switch_to(auth, d["ana"])
    assert client.get(f"/trainings/{training.id}").status_code == 403


def test_the_report_adds_up_in_the_page_csv_and_xlsx(district, auth, client):
    d = district
    training = _training(d)
    today = today_for(d["north"])
    for person, minutes, setting, kind in [
        ("ana", 120, "after_hours", "pd_session"),
        ("ben", 90, "contract_time", "webinar"),
        ("cam", 30, "summer", "conference"),
    ]:
        db.session.add(
            LearningEntry(
                user_id=d[person].id,
                day=today,
                kind=kind,
                title="Private title",
                minutes=minutes,
                setting=setting,
                training_id=training.id if person == "ana" else None,
            )
        )
    db.session.commit()
    switch_to(auth, d["district_admin"])
    page = " ".join(client.get("/trainings/report").get_data(as_text=True).split())
    assert "4.0 hours logged by 3 people" in page and "Private title" not in page
    assert "Hours by when it happened" in page and "<svg" in page
    csv_text = client.get("/trainings/report.csv").get_data(as_text=True)
    assert "By when it happened,After hours,2.0" in csv_text and "Mandated reporter" in csv_text
    assert "Private title" not in csv_text
    response = client.get("/trainings/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    response.close()
    rows = list(book["Required trainings"].iter_rows(min_row=2, values_only=True))
    assert ("North Middle", 2, 1) in [(r[3], r[4], r[5]) for r in rows]
    switch_to(auth, d["north_admin"])
    north = " ".join(client.get("/trainings/report").get_data(as_text=True).split())
    assert "3.5 hours logged by 2 people" in north and "South High" not in north


def test_the_certificate_is_a_pdf_of_my_own_hours(district, auth, client):
    d = district
    db.session.add(
        LearningEntry(
            user_id=d["ana"].id,
            day=today_for(d["north"]),
            kind="course",
            title="Reading workshop",
            minutes=150,
            setting="summer",
            place="ESU 3",
        )
    )
    db.session.add(
        LearningEntry(
            user_id=d["ben"].id, day=today_for(d["north"]), kind="course", title="Ben's own course", minutes=60
        )
    )
    db.session.commit()
    switch_to(auth, d["ana"])
    response = client.get("/trainings/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    response.close()
    assert "Certificate of professional learning" in text and "Zoë Ñúñez" in text and "Reading workshop" in text
    assert "2 h 30 min" in text or "2.5" in text
    assert "Ben's course" not in text

"""Roster import: preview first, all-or-nothing, and idempotent."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PROJECT_ROOT
from walkthrough.auth.models import Role, RoleGrant, User
from walkthrough.demo.cli import create_demo_schools
from walkthrough.extensions import db
from walkthrough.roster import reading
from walkthrough.roster.services import apply_roster, plan_roster
from walkthrough.rules import RuleViolation
from walkthrough.schools.models import PeriodAssignment

SAMPLE = (PROJECT_ROOT / "docs" / "sample-roster.csv").read_text()
HEADER = "email,name,roles,school,subjects,grade_band,period,assignment,course,room\n"


@pytest.fixture
def schools(app):
    from datetime import date

    created = create_demo_schools(year=(date(2026, 8, 17), date(2027, 5, 28)))
    db.session.commit()
    return {s.name: s for s in created}


def snapshot():
    """Everything an import can change, as plain values."""
    users = db.session.execute(
        select(User.email, User.name, User.school_id, User.subjects, User.grade_band).order_by(User.email)
    ).all()
    roles = db.session.execute(
        select(RoleGrant.user_id, RoleGrant.role).order_by(RoleGrant.user_id, RoleGrant.role)
    ).all()
    periods = db.session.execute(
        select(
            PeriodAssignment.user_id,
            PeriodAssignment.period_id,
            PeriodAssignment.kind,
            PeriodAssignment.course,
            PeriodAssignment.room,
        ).order_by(PeriodAssignment.user_id, PeriodAssignment.period_id)
    ).all()
    return users, roles, periods


def import_text(text):
    plan = plan_roster(text, actor=None)
    assert plan.is_valid, [str(p) for p in plan.problems]
    result = apply_roster(plan, actor=None, invite_new=False)
    db.session.commit()
    return result


def test_the_sample_file_imports_people_roles_and_periods(schools):
    result = import_text(SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    tom = db.session.scalar(select(User).where(User.email == "tom.iverson@district.example"))
    assert tom.roles == {Role.TEACHER, Role.COACH} and tom.school.name == "Lincoln High School"
    assert tom.subjects == "English; Library" and tom.grade_band == "9-12"
    assert sorted((a.period.name, a.kind, a.course, a.room) for a in tom.period_assignments) == [
        ("Block 1", "teaching", "English 10", "B204"),
        ("Block 2", "planning", "", ""),
        ("Block 5", "teaching", "English 10 Honors", "B204"),
        ("Block 6", "teaching", "Creative Writing", "Library"),
    ]
    sub = db.session.scalar(select(User).where(User.email == "leo.martin@district.example"))
    assert sub.roles == {Role.SUBSTITUTE} and sub.school is None and not sub.has_password


def test_importing_the_same_file_again_changes_nothing(schools):
    import_text(SAMPLE)
    before = snapshot()
    plan = plan_roster(SAMPLE, actor=None)
    assert plan.is_valid and not plan.changes_anything and plan.unchanged_people == 5
    result = import_text(SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert snapshot() == before


def test_a_re_import_updates_by_email_and_replaces_periods(schools):
    import_text(SAMPLE)
    changed = SAMPLE.replace(
        "Ana Castillo,teacher,Cedar Creek Elementary,Elementary,2",
        "Ana Castillo,teacher;coach,Cedar Creek Elementary,Elementary,2",
    )
    changed = "\n".join(line for line in changed.splitlines() if "Math Block" not in line) + "\n"
    changed = changed.replace("ANA.CASTILLO", "ana.castillo").replace("ana.castillo@", "Ana.Castillo@")
    plan = plan_roster(changed, actor=None)
    assert [(c.email, c.fields) for c in plan.changed_people] == [
        ("ana.castillo@district.example", ["roles", "schedule"])
    ]
    import_text(changed)
    ana = db.session.scalar(select(User).where(User.email == "ana.castillo@district.example"))
    assert ana.roles == {Role.TEACHER, Role.COACH}
    assert sorted(a.period.name for a in ana.period_assignments) == ["Literacy Block", "Specials"]


BAD_ROWS = (
    HEADER
    + "\n".join(
        [
            "good@district.example,Good Person,teacher,Riverside Middle School,Math,6-8,Period 1,teaching,Math 6,101",
            "not-an-email,No Email,teacher,Riverside Middle School,,,,,,",
            "x@district.example,,teacher,Riverside Middle School,,,,,,",
            "y@district.example,Y Person,wizard,Riverside Middle School,,,,,,",
            "z@district.example,Z Person,teacher,Atlantis High,,,,,,",
            "w@district.example,W Person,teacher,Riverside Middle School,,13-14,Period 9,teaching,,",
            "v@district.example,V Person,teacher,Riverside Middle School,,,Period 2,napping,,",
            "u@district.example,U Person,substitute,,,,Period 2,teaching,,",
            "good@district.example,Good Person,teacher,Lincoln High School,Math,6-8,Period 2,teaching,Math 6,101",
            "good@district.example,Good Person,teacher,Riverside Middle School,Math,6-8,Period 1,planning,,",
        ]
    )
    + "\n"
)


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(schools):
    before = snapshot()
    plan = plan_roster(BAD_ROWS, actor=None)
    located = {(p.row, p.column) for p in plan.problems}
    assert located == {
        (3, "email"),
        (4, "name"),
        (5, "roles"),
        (6, "school"),
        (7, "grade_band"),
        (8, "assignment"),
        (7, "period"),
        (9, "period"),
        (10, "school"),
        (11, "period"),
    }
    assert "Period 9" in next(p.message for p in plan.problems if p.row == 7 and p.column == "period")
    assert "row 2" in next(p.message for p in plan.problems if p.row == 10)
    with pytest.raises(ValueError):
        apply_roster(plan, actor=None, invite_new=False)
    assert snapshot() == before


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", reading.EMPTY_FILE),
        (b"PK\x03\x04\x00\x00binary spreadsheet", reading.NOT_TEXT),
    ],
)
def test_files_that_are_not_csv_are_refused_clearly(raw, message):
    with pytest.raises(RuleViolation, match=message.split(";")[0]):
        reading.decode_upload(raw)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("name,email\nA,a@b.example\n", "Missing: roles, school"),
        (HEADER.replace("room", "room,shoe_size"), "Unknown column(s): “shoe_size”"),
        (HEADER, reading.NO_DATA_ROWS),
        ("email;name;roles;school\na@b.example;A;teacher;Atlantis\n", "No school named “Atlantis”"),
        ("email\tname\troles\nb@b.example\tB\tteacher\n", "Missing: school"),
    ],
)
def test_wrong_columns_get_a_clear_message(app, text, fragment):
    plan = plan_roster(text, actor=None)
    assert not plan.is_valid and fragment in plan.problems[0].message


def test_excel_style_bom_and_windows_encoding_are_read(schools):
    text = reading.decode_upload(
        ("\ufeff" + HEADER + "zoe@district.example,Zoë Brontë,teacher,Riverside Middle School,,,,,,\n").encode("utf-8")
    )
    assert plan_roster(text, actor=None).is_valid
    legacy = (HEADER + "zoe@district.example,Zoë Brontë,teacher,Riverside Middle School,,,,,,\n").encode("cp1252")
    plan = plan_roster(reading.decode_upload(legacy), actor=None)
    assert plan.new_people[0].name == "Zoë Brontë"


def test_admin_previews_then_imports_over_http(client, auth, make_user, schools, outbox):
    import io

    auth.login(make_user(Role.ADMIN, email="admin@district.example"))
    response = client.post(
        "/admin/roster", data={"file": (io.BytesIO(SAMPLE.encode()), "staff.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    preview_url = response.location
    preview = client.get(preview_url).get_data(as_text=True)
    assert "New people" in preview and "Tom Iverson" in preview and "Import 5 changes" in preview
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    response = client.post(preview_url, data={"invite_new": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(User)) == 6
    assert len(outbox()) == 5
    again = client.post(preview_url, data={"invite_new": "y"}, follow_redirects=True)
    assert "already been imported" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 6 and len(outbox()) == 5


def test_a_bad_file_over_http_lists_problems_and_offers_no_import(client, auth, make_user, schools):
    import io

    auth.login(make_user(Role.ADMIN))
    response = client.post(
        "/admin/roster", data={"file": (io.BytesIO(BAD_ROWS.encode()), "bad.csv")}, content_type="multipart/form-data"
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "10 problems to fix" in page and "Row 3" in page and "column “email”" in page
    assert "Import " not in page.split("</h1>", 1)[1].split("<footer")[0].replace("Nothing has been imported", "")
    forced = client.post(response.location, data={})
    assert forced.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_binary_upload_re_renders_the_form_with_the_message(client, auth, make_user):
    import io

    auth.login(make_user(Role.ADMIN))
    response = client.post(
        "/admin/roster",
        data={"file": (io.BytesIO(b"\x00\x01\x02garbage"), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "isn&#39;t a CSV" in response.get_data(as_text=True)


def test_a_school_admin_imports_only_their_own_school(schools, make_user):
    admin = make_user(Role.ADMIN, school=schools["Riverside Middle School"])
    plan = plan_roster(SAMPLE, actor=admin)
    assert {p.row for p in plan.problems if p.column == "school"} >= {8, 12}


def test_the_cli_imports_and_reports_problems(runner, schools, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(SAMPLE)
    result = runner.invoke(args=["roster", "import", str(good)])
    assert result.exit_code == 0 and "5 created" in result.output
    result = runner.invoke(args=["roster", "import", str(good)])
    assert result.exit_code == 0 and "0 created, 0 updated, 5 unchanged" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROWS)
    result = runner.invoke(args=["roster", "import", str(bad)])
    assert result.exit_code == 1 and "row 3, column email" in result.output and "nothing was imported" in result.output

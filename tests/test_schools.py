"""Schools, bell schedules and the days periods run on."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.schools import queries, services
from walkthrough.schools.models import BellPeriod, PeriodAssignment, Rotation, SchoolLevel


def school_fields(**overrides):
    fields = dict(
        school=None,
        name="Maple Elementary",
        level=SchoolLevel.ELEMENTARY,
        region="South",
        timezone="America/New_York",
        rotation=Rotation.WEEKLY,
        year_first_day=date(2026, 8, 17),
        year_last_day=date(2027, 5, 28),
    )
    return fields | overrides


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "  maple ELEMENTARY "}, services.NAME_TAKEN),
        ({"name": "Other", "timezone": "Mars/Olympus"}, services.UNKNOWN_TIMEZONE),
        ({"name": "Other", "year_last_day": date(2026, 8, 1)}, services.YEAR_OUT_OF_ORDER),
    ],
)
def test_school_rules(app, overrides, message):
    services.save_school(**school_fields())
    with pytest.raises(RuleViolation, match=message):
        services.save_school(**school_fields(**overrides))


def test_period_rules(app, make_school):
    weekly, ab = make_school(), make_school(rotation=Rotation.AB)
    services.save_period(school=weekly, period=None, name="Period 1", starts_at=time(8), ends_at=time(9), days=["mon"])
    cases = [
        (weekly, "period 1", time(10), time(11), ["mon"], services.PERIOD_NAME_TAKEN),
        (weekly, "Period 2", time(9), time(8, 30), ["mon"], services.TIMES_OUT_OF_ORDER),
        (weekly, "Period 2", time(9), time(10), [], services.NO_DAYS),
        (weekly, "Period 2", time(9), time(10), ["A"], services.WRONG_DAY_KIND_WEEKLY),
        (ab, "Block 1", time(9), time(10), ["mon"], services.WRONG_DAY_KIND_AB),
    ]
    for school, name, starts, ends, days, message in cases:
        with pytest.raises(RuleViolation, match=message):
            services.save_period(school=school, period=None, name=name, starts_at=starts, ends_at=ends, days=days)


def test_days_are_stored_in_week_order(app, make_school):
    period = services.save_period(
        school=make_school(), period=None, name="P", starts_at=time(8), ends_at=time(9), days=["fri", "mon", "wed"]
    )
    assert period.days == "mon wed fri"


def test_ab_days_alternate_over_school_days_and_skip_weekends(app, make_school):
    school = make_school(rotation=Rotation.AB, first_day=date(2026, 8, 17))  # a Monday
    expected = {
        date(2026, 8, 17): "A",
        date(2026, 8, 18): "B",
        date(2026, 8, 21): "A",
        date(2026, 8, 22): None,
        date(2026, 8, 24): "B",
        date(2026, 8, 31): "A",
        date(2026, 8, 16): None,
        date(2027, 6, 1): None,
    }
    for day, day_type in expected.items():
        assert queries.day_type_on(school, day) == day_type, day


def test_schedule_on_a_day_follows_the_periods_days(app, make_school, make_user):
    school = make_school(rotation=Rotation.AB)
    block_a = services.save_period(
        school=school, period=None, name="Block 1", starts_at=time(8), ends_at=time(9), days=["A"]
    )
    block_b = services.save_period(
        school=school, period=None, name="Block 5", starts_at=time(8), ends_at=time(9), days=["B"]
    )
    teacher = make_user(Role.TEACHER, school=school)
    db.session.add_all(
        [
            PeriodAssignment(user_id=teacher.id, period_id=block_a.id, kind="teaching", course="Bio"),
            PeriodAssignment(user_id=teacher.id, period_id=block_b.id, kind="planning"),
        ]
    )
    db.session.commit()
    assert [a.period.name for a in queries.schedule_on(teacher, date(2026, 8, 17))] == ["Block 1"]
    assert [a.period.name for a in queries.schedule_on(teacher, date(2026, 8, 18))] == ["Block 5"]
    assert queries.schedule_on(teacher, date(2026, 8, 22)) == []


def test_admin_adds_a_school_and_a_mistake_keeps_the_typed_values(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    form = {
        "name": "Maple Elementary",
        "level": "elementary",
        "region": "South",
        "timezone": "America/New_York",
        "rotation": "weekly",
        "year_first_day": "2027-05-28",
        "year_last_day": "2026-08-17",
    }
    response = client.post("/admin/schools/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert services.YEAR_OUT_OF_ORDER in page and 'value="Maple Elementary"' in page and 'value="South"' in page
    response = client.post(
        "/admin/schools/new", data=form | {"year_first_day": "2026-08-17", "year_last_day": "2027-05-28"}
    )
    assert response.status_code == 302
    assert "Maple Elementary" in client.get(response.location).get_data(as_text=True)


def test_adding_a_period_with_htmx_returns_the_schedule_fragment(client, auth, make_user, make_school):
    school = make_school()
    auth.login(make_user(Role.ADMIN))
    data = {
        "new-period-name": "Period 3",
        "new-period-starts_at": "09:50",
        "new-period-ends_at": "10:40",
        "new-period-days": ["mon", "wed", "fri"],
    }
    response = client.post(f"/admin/schools/{school.id}/periods", data=data, headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment and 'id="bell-schedule"' in fragment
    assert "Period 3" in fragment and "Mon, Wed, Fri" in fragment
    assert "HX-Request" in response.headers["Vary"]
    bad = client.post(
        f"/admin/schools/{school.id}/periods",
        headers={"HX-Request": "true"},
        data=data | {"new-period-ends_at": "09:00", "new-period-name": "Period 4"},
    )
    assert bad.status_code == 422
    assert services.TIMES_OUT_OF_ORDER in bad.get_data(as_text=True) and 'value="Period 4"' in bad.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(BellPeriod)) == 1


def test_editing_a_period_with_errors_replaces_only_the_form(client, auth, make_user, make_school):
    school = make_school()
    period = services.save_period(
        school=school, period=None, name="Period 1", starts_at=time(8), ends_at=time(9), days=["mon"]
    )
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    prefix = f"period-{period.id}-"
    response = client.post(
        f"/admin/periods/{period.id}/edit",
        headers={"HX-Request": "true"},
        data={
            prefix + "name": "Period 1",
            prefix + "starts_at": "08:00",
            prefix + "ends_at": "08:45",
            prefix + "days": [],
        },
    )
    assert response.status_code == 422 and response.headers["HX-Retarget"] == f"#period-{period.id}"
    response = client.post(
        f"/admin/periods/{period.id}/edit",
        data={
            prefix + "name": "First period",
            prefix + "starts_at": "08:00",
            prefix + "ends_at": "08:45",
            prefix + "days": ["mon", "tue"],
        },
    )
    assert response.status_code == 302
    db.session.refresh(period)
    assert (period.name, period.ends_at, period.days) == ("First period", time(8, 45), "mon tue")


def test_removing_a_period_removes_it_from_staff_schedules(client, auth, make_user, make_school):
    school = make_school()
    period = services.save_period(
        school=school, period=None, name="Period 1", starts_at=time(8), ends_at=time(9), days=["mon"]
    )
    teacher = make_user(Role.TEACHER, school=school)
    db.session.add(PeriodAssignment(user_id=teacher.id, period_id=period.id, kind="teaching"))
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/admin/periods/{period.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "No periods yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PeriodAssignment)) == 0


def test_changing_rotation_is_refused_while_periods_use_the_old_days(app, make_school):
    school = make_school()
    services.save_period(school=school, period=None, name="P1", starts_at=time(8), ends_at=time(9), days=["mon"])
    with pytest.raises(RuleViolation, match="rotation"):
        services.save_school(**school_fields(school=school, name=school.name, rotation=Rotation.AB))

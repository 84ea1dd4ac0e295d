"""The school calendar: day types that advance only on days with school, closures and special days,
files in and out, and everything that depends on days following it."""

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar, Event

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.schools.calendar import school_day
from walkthrough.schools.calendar_files import apply_calendar, plan_calendar, school_ics
from walkthrough.schools.models import BellPeriod, CalendarDay, DayKind, Rotation
from walkthrough.schools.queries import period_runs_on

# 2030-31: Monday 26 August to Friday 13 June, far enough ahead that every date is still to come.
FIRST, LAST = date(2030, 8, 26), date(2031, 6, 13)


@pytest.fixture
def school(app, make_school):
    return make_school("Lincoln High", rotation=Rotation.AB, first_day=FIRST, last_day=LAST)


def close(day, name, school_id=None, until=None):
    for n in range(((until or day) - day).days + 1):
        db.session.add(CalendarDay(school_id=school_id, day=day + timedelta(n), kind=DayKind.CLOSED, name=name))
    db.session.commit()


def types(school, first, last):
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    return [school_day(school, d).day_type or ("-" if not school_day(school, d).has_school else "?") for d in days]


def test_day_types_advance_only_on_days_with_school(school):
    close(date(2030, 9, 2), "Labor Day")
    #                       Mon 26 Aug ...                 Mon 2 Sep (Labor Day) ...        Mon 9 Sep, Tue 10
    expected = ["A", "B", "A", "B", "A", "-", "-", "-", "B", "A", "B", "A", "-", "-", "B", "A"]
    assert types(school, date(2030, 8, 26), date(2030, 9, 10)) == expected
    assert school_day(school, date(2030, 9, 2)).summary == "no school: Labor Day"


def test_an_override_sets_the_rotation_from_that_day_on(school):
    close(date(2030, 9, 2), "Labor Day")
    db.session.add(CalendarDay(day=date(2030, 9, 9), kind=DayKind.DAY_TYPE, day_type="A", name="A day"))
    db.session.commit()
    assert types(school, date(2030, 9, 6), date(2030, 9, 11)) == ["A", "-", "-", "A", "B", "A"]


def test_a_school_date_replaces_the_districts(school, make_school):
    other = make_school("Cedar Creek", first_day=FIRST, last_day=LAST)
    close(date(2030, 11, 11), "Veterans Day")
    db.session.add(CalendarDay(school_id=school.id, day=date(2030, 11, 11), kind=DayKind.SPECIAL, name="Assembly"))
    db.session.commit()
    assert school_day(school, date(2030, 11, 11)).has_school and school_day(school, date(2030, 11, 11)).special
    assert not school_day(other, date(2030, 11, 11)).has_school


def test_an_early_release_drops_the_periods_after_it(school):
    morning = BellPeriod(school_id=school.id, name="P1", starts_at=time(8), ends_at=time(8, 50), days="A B")
    afternoon = BellPeriod(school_id=school.id, name="P6", starts_at=time(13), ends_at=time(13, 50), days="A B")
    db.session.add_all([morning, afternoon])
    release = date(2030, 10, 4)
    db.session.add(CalendarDay(day=release, kind=DayKind.SPECIAL, name="Early release", ends_at=time(12, 30)))
    db.session.commit()
    assert period_runs_on(morning, school, release) and not period_runs_on(afternoon, school, release)
    assert period_runs_on(afternoon, school, release + timedelta(days=3))
    assert school_day(school, release).summary.endswith("Early release, ends 12:30")


def test_a_weekly_visit_skips_the_winter_break(school, make_user):
    from walkthrough.protocols.models import Protocol
    from walkthrough.visits import hosting

    close(date(2030, 12, 23), "Winter break", until=date(2031, 1, 1))
    host = make_user(Role.TEACHER, school=school)
    slots = hosting.open_classroom(
        host=host, day=date(2030, 12, 16), period_id=None, local_start=time(10), local_end=time(10, 45),
        room="1", capacity=2, focus_question="", protocol=db.session.scalar(db.select(Protocol)),
        note_for_visitors="", cutoff_hours=0, per_person_limit=None, repeat="weekly", weeks=4,
    )  # fmt: skip
    assert [s.day for s in slots] == [date(2030, 12, 16), date(2031, 1, 6)]


CSV_GOOD = """date,end_date,school,kind,name,day_type,starts_at,ends_at
2030-09-02,,,,Labor Day,,,
2030-11-28,2030-11-29,,holiday,Thanksgiving,,,
2030-10-04,,Lincoln High,,Early release,,,12:30
2030-09-09,,Lincoln High,day_type,,A,,
"""


def test_a_csv_import_shows_every_change_then_saves_and_again_changes_nothing(school):
    plan = plan_calendar(data=CSV_GOOD.encode(), filename="year.csv")
    assert plan.problems == []
    assert len(plan.new) == 5 and not plan.changed
    apply_calendar(plan)
    db.session.commit()
    assert not school_day(school, date(2030, 11, 29)).has_school
    assert school_day(school, date(2030, 10, 4)).ends_at == time(12, 30)
    again = plan_calendar(data=CSV_GOOD.encode(), filename="year.csv")
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 5)


def test_an_import_with_bad_rows_says_which_and_saves_nothing(school):
    bad = """date,school,kind,name
2030-09-02,,,Labor Day
2030-09-03,Nowhere High,,Closed
2040-01-01,,,Far away
2030-09-02,,,Labor Day again
not a date,,,?
2030-09-04,,sometimes,?
"""
    plan = plan_calendar(data=bad.encode(), filename="bad.csv")
    assert len(plan.problems) == 5
    assert any("Row 3" in p and "Nowhere High" in p for p in plan.problems)
    assert any("Row 4" in p and "outside the school year" in p for p in plan.problems)
    assert any("Row 5" in p and "already set by row 2" in p for p in plan.problems)
    with pytest.raises(ValueError):
        apply_calendar(plan)
    assert db.session.scalar(db.select(db.func.count(CalendarDay.id))) == 0


def ics(*events) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//District//EN")
    calendar.add("version", "2.0")
    for summary, start, days in events:
        event = Event()
        event.add("summary", summary)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=days))
        calendar.add_component(event)
    return calendar.to_ical()


def test_an_ics_from_the_district_sets_closures_special_days_and_day_types(school):
    data = ics(
        ("Thanksgiving Break", date(2030, 11, 27), 3),
        ("Early Release", date(2030, 12, 20), 1),
        ("B Day", date(2031, 1, 6), 1),
    )
    plan = plan_calendar(data=data, filename="district.ics", school=school)
    assert plan.problems == [] and len(plan.new) == 5
    apply_calendar(plan)
    db.session.commit()
    assert [school_day(school, date(2030, 11, d)).has_school for d in (26, 27, 28, 29)] == [True, False, False, False]
    assert school_day(school, date(2030, 12, 20)).special
    assert school_day(school, date(2031, 1, 6)).day_type == "B"
    exported = Calendar.from_ical(school_ics(school))
    summaries = {(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in exported.walk("VEVENT")}
    assert ("No school: Thanksgiving Break", date(2030, 11, 28)) in summaries
    assert ("Early Release", date(2030, 12, 20)) in summaries


def test_the_commands_import_and_show(school, runner, tmp_path):
    path = tmp_path / "lincoln.csv"
    path.write_text(CSV_GOOD.replace("Lincoln High", ""))
    result = runner.invoke(args=["calendar", "import", "--school", "Lincoln High", str(path), "--dry-run"])
    assert result.exit_code == 0 and "5 new" in result.output and "Dry run" in result.output
    assert runner.invoke(args=["calendar", "import", "--school", "Lincoln High", str(path)]).exit_code == 0
    shown = runner.invoke(
        args=["calendar", "show", "--school", "Lincoln High", "--from", "2030-08-30", "--to", "2030-09-03"]
    ).output.splitlines()
    assert shown == [
        "2030-08-30 Fri A day",
        "2030-08-31 Sat no school",
        "2030-09-01 Sun no school",
        "2030-09-02 Mon no school: Labor Day",
        "2030-09-03 Tue B day",
    ]
    broken = tmp_path / "broken.csv"
    broken.write_text("date,name\n2040-01-01,Far away\n")
    failed = runner.invoke(args=["calendar", "import", "--school", "Lincoln High", str(broken)])
    assert failed.exit_code == 1 and "outside the school year" in failed.output


def test_an_admin_checks_a_file_then_saves_it_and_closes_a_day(school, make_user, client, auth):
    import io
    import re

    admin = make_user(Role.ADMIN, school=school)
    auth.login(admin)
    page = client.get(f"/admin/schools/{school.id}/calendar")
    assert page.status_code == 200 and "Close a day" in page.get_data(as_text=True)

    bad = client.post(
        f"/admin/schools/{school.id}/calendar/preview",
        data={"file": (io.BytesIO(b"date,name\n2040-01-01,Far away\n"), "bad.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "outside the school year" in bad.get_data(as_text=True)

    preview = client.post(
        f"/admin/schools/{school.id}/calendar/preview",
        data={"file": (io.BytesIO(CSV_GOOD.replace("Lincoln High", "").encode()), "year.csv")},
        content_type="multipart/form-data",
    )
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Thanksgiving" in text and "5 new" in text
    assert db.session.scalar(db.select(db.func.count(CalendarDay.id))) == 0  # nothing saved yet
    content = re.search(r'name="content" value="([^"]+)"', text).group(1)
    saved = client.post(
        f"/admin/schools/{school.id}/calendar/import", data={"content": content, "filename": "year.csv"}
    )
    assert saved.status_code == 302 and db.session.scalar(db.select(db.func.count(CalendarDay.id))) == 5

    closed = client.post(f"/admin/schools/{school.id}/calendar/close", data={"day": "2030-10-07", "name": "Power cut"})
    assert closed.status_code == 302
    assert school_day(school, date(2030, 10, 7)).summary == "no school: Power cut"
    refused = client.post(f"/admin/schools/{school.id}/calendar/close", data={"day": "2030-10-08", "name": " "})
    assert refused.status_code == 422 and "Say why there is no school" in refused.get_data(as_text=True)


def test_the_personal_calendar_feed_shows_days_without_school(school, make_user, client):
    teacher = make_user(Role.TEACHER, school=school)
    close(date(2030, 11, 28), "Thanksgiving")
    feed = Calendar.from_ical(client.get(f"/visits/calendar/{teacher.calendar_token}.ics").data)
    assert ("No school: Thanksgiving", date(2030, 11, 28)) in {
        (str(e["SUMMARY"]), e.decoded("DTSTART")) for e in feed.walk("VEVENT")
    }


def test_a_weekly_visit_keeps_its_local_time_across_the_clock_change(make_school, make_user):
    from walkthrough.protocols.models import Protocol
    from walkthrough.visits import hosting

    chicago = make_school("Riverside", timezone="America/Chicago", first_day=FIRST, last_day=LAST)
    host = make_user(Role.TEACHER, school=chicago)
    slots = hosting.open_classroom(
        host=host, day=date(2030, 10, 28), period_id=None, local_start=time(10), local_end=time(10, 45),
        room="1", capacity=2, focus_question="", protocol=db.session.scalar(db.select(Protocol)),
        note_for_visitors="", cutoff_hours=0, per_person_limit=None, repeat="weekly", weeks=2,
    )  # fmt: skip
    # Daylight saving time ends on Sunday 3 November 2030: 10:00 is 15:00 UTC before and 16:00 after.
    assert [(s.local_start, s.starts_at.hour) for s in slots] == [(time(10), 15), (time(10), 16)]


def test_a_six_day_rotation_skips_holidays_and_takes_an_override(make_school):
    six = make_school("Oak Ridge", rotation=Rotation.SIX_DAY, first_day=FIRST, last_day=LAST)
    close(date(2030, 9, 2), "Labor Day")
    period = BellPeriod(school_id=six.id, name="Lab", starts_at=time(9), ends_at=time(10), days="3")
    db.session.add(period)
    plan = plan_calendar(data=b"date,name\n2030-09-10,Day 6\n", filename="o.csv", school=six)
    assert plan.problems == []
    apply_calendar(plan)
    db.session.commit()
    # Mon 26 Aug Day 1 ... Fri 30 Day 5, Labor Day, Tue 3 Sep Day 6, Wed 4 Day 1 ... Mon 9 Day 4, Tue 10 set to 6
    labels = [school_day(six, date(2030, 8, 26) + timedelta(n)).day_type_label for n in range(17)]
    assert labels == ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5", "", "", "", "Day 6", "Day 1", "Day 2", "Day 3",
                      "", "", "Day 4", "Day 6", "Day 1"]  # fmt: skip
    days = (date(2030, 8, 26) + timedelta(n) for n in range(17))
    assert [d.day for d in days if period_runs_on(period, six, d)] == [28, 6]  # Day 3s: 28 Aug, 6 Sep
    wrong = plan_calendar(data=b"date,kind,day_type\n2030-09-11,day_type,B\n", filename="w.csv", school=six)
    assert wrong.problems == ["Row 2: the day types here are 1, 2, 3, 4, 5, 6."]


def test_an_early_release_schedule_gives_periods_their_special_times(school, make_user, client, auth):
    from walkthrough.coverage.needs import classes_missed
    from walkthrough.schools.models import PeriodAssignment
    from walkthrough.schools.queries import period_times_on
    from walkthrough.schools.times import instant

    first = BellPeriod(school_id=school.id, name="P1", starts_at=time(8), ends_at=time(8, 50), days="A B")
    last = BellPeriod(school_id=school.id, name="P6", starts_at=time(13), ends_at=time(13, 50), days="A B")
    db.session.add_all([first, last])
    release = date(2030, 10, 4)
    db.session.add(CalendarDay(day=release, kind=DayKind.SPECIAL, name="Early Release"))
    teacher = make_user(Role.TEACHER, school=school)
    db.session.add(PeriodAssignment(user_id=teacher.id, period_id=first.id, kind="teaching", course="Math"))
    admin = make_user(Role.ADMIN, school=school)
    db.session.commit()

    auth.login(admin)
    form = {"schedule": "Early release", f"period-{first.id}-starts": "08:00", f"period-{first.id}-ends": "08:35"}
    assert client.post(f"/admin/schools/{school.id}/calendar/schedule", data=form).status_code == 302
    bad = client.post(f"/admin/schools/{school.id}/calendar/schedule", data=form | {f"period-{first.id}-ends": "07:00"})
    assert bad.status_code == 422 and "P1 must end after it starts" in bad.get_data(as_text=True)
    assert 'value="07:00"' in bad.get_data(as_text=True)  # what was typed stays

    assert period_times_on(first, school, release) == (time(8), time(8, 35))
    assert period_times_on(last, school, release) is None  # left out of the schedule: doesn't meet
    assert period_times_on(first, school, release + timedelta(days=3)) == (time(8), time(8, 50))
    [missed] = classes_missed(
        db.session.scalars(db.select(PeriodAssignment)).all(),
        instant(school, release, time(7)),
        instant(school, release, time(15)),
    )
    assert missed.minutes == 35

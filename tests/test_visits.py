"""Opening classrooms and booking visits: capacity, waitlist, refusals, repeats, cut-offs, time zones."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.visit_setup import book, next_weekday, open_slot, weekday_after, with_school_on
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.schools.services import save_period
from walkthrough.schools.times import local_today
from walkthrough.visits import hosting, services
from walkthrough.visits.models import SignUp, SignUpStatus


def test_capacity_then_waitlist_then_promotion_on_cancel(district, outbox):
    [slot] = open_slot(district, capacity=1)
    first, second, third = district["teachers"][:3]
    assert book(slot, first).status == SignUpStatus.CONFIRMED
    assert book(slot, second).status == SignUpStatus.WAITLISTED
    assert book(slot, third).status == SignUpStatus.WAITLISTED
    signup = db.session.scalar(select(SignUp).where(SignUp.observer_id == first.id))
    promoted = services.cancel_signup(signup=signup, actor=first)
    db.session.commit()
    assert promoted.observer_id == second.id and promoted.status == SignUpStatus.CONFIRMED
    assert outbox(second.email)[-1].subject.startswith("A seat opened")
    assert "METHOD:CANCEL" in outbox(first.email)[-1].calendar


@pytest.mark.parametrize(
    "case, message",
    [
        ("own", services.OWN_SLOT),
        ("twice", services.ALREADY),
        ("overlap", "already have a visit then"),
        ("cutoff", "closed 72 hours"),
        ("cancelled", services.SLOT_CANCELLED),
        ("limit", "at most 1"),
        ("not a teacher", services.NOT_A_TEACHER),
    ],
)
def test_each_refusal_has_a_clear_reason(district, case, message):
    teacher = district["teachers"][0]
    [slot, later] = open_slot(
        district,
        repeat="weekly",
        weeks=2,
        per_person_limit=1 if case == "limit" else None,
        # The next school day is at most 72 hours away (a Friday evening's is Monday's).
        cutoff_hours=72 if case == "cutoff" else 0,
        day=weekday_after(1) if case == "cutoff" else None,
    )
    person = {"own": district["host"], "not a teacher": district["coach"]}.get(case, teacher)
    if case == "twice" or case == "limit":
        book(slot, teacher)
    if case == "overlap":
        [other] = open_slot(district, host=district["teachers"][1], start=time(10, 30), end=time(11))
        book(other, teacher)
    if case == "cancelled":
        hosting.cancel_slot(slot=slot, actor=district["host"])
    target = later if case == "limit" else slot
    with pytest.raises(RuleViolation, match=message):
        services.sign_up(slot=target, observer=person, actor=person)


def test_a_visit_in_the_past_is_refused(district):
    [slot] = open_slot(district)
    slot.starts_at = datetime.now(UTC) - timedelta(minutes=5)
    with pytest.raises(RuleViolation, match="already started"):
        services.sign_up(slot=slot, observer=district["teachers"][0], actor=district["teachers"][0])


def test_weekly_repeats_each_changeable_alone(district):
    slots = open_slot(district, repeat="weekly", weeks=4)
    assert [s.day for s in slots] == [next_weekday(0) + timedelta(weeks=n) for n in range(4)]
    assert len({s.series_key for s in slots}) == 1
    hosting.cancel_slot(slot=slots[1], actor=district["host"])
    assert [s.cancelled_at is not None for s in slots] == [False, True, False, False]


def test_every_a_day_repeat_follows_the_rotation(district, make_user):
    denver = district["denver"]
    block = save_period(
        school=denver, period=None, name="Block 1", starts_at=time(7, 45), ends_at=time(9, 15), days=["A"]
    )
    host = make_user(Role.TEACHER, school=denver)
    from walkthrough.schools.queries import day_type_on

    first = next(d for d in (date.today() + timedelta(days=n) for n in range(2, 10)) if day_type_on(denver, d) == "A")
    slots = hosting.open_classroom(
        host=host,
        day=first,
        period_id=block.id,
        local_start=None,
        local_end=None,
        room="",
        capacity=2,
        focus_question="",
        protocol=district["protocol"],
        note_for_visitors="",
        cutoff_hours=0,
        per_person_limit=None,
        repeat="period_days",
        weeks=2,
    )
    assert len(slots) >= 4 and all(day_type_on(denver, s.day) == "A" for s in slots)
    assert all((s.local_start, s.local_end) == (time(7, 45), time(9, 15)) for s in slots)


def test_a_slot_lands_at_the_right_utc_instant_in_each_time_zone(district, make_user):
    day = next_weekday(2)
    [chicago] = open_slot(district, day=day, start=time(9), end=time(9, 30))
    denver_host = make_user(Role.TEACHER, school=district["denver"])
    [denver] = open_slot(district, host=denver_host, day=day, start=time(9), end=time(9, 30))
    assert denver.starts_at - chicago.starts_at == timedelta(hours=1)
    from zoneinfo import ZoneInfo

    assert chicago.starts_at == datetime.combine(day, time(9), tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize(
    "problem, kwargs, message",
    [
        ("past", {"day": "yesterday"}, hosting.IN_THE_PAST),
        ("order", {"start": time(11), "end": time(10)}, hosting.TIMES_OUT_OF_ORDER),
        ("capacity", {"capacity": 11}, hosting.CAPACITY),
        ("year", {"day": date.today() + timedelta(days=400)}, "school year"),
    ],
)
def test_opening_a_classroom_is_checked(district, problem, kwargs, message):
    if kwargs.get("day") == "yesterday":  # at the school, and a school day whatever day the test runs
        school = district["school"]
        kwargs = {"day": with_school_on(school, local_today(school) - timedelta(days=1))}
    with pytest.raises(RuleViolation, match=message):
        open_slot(district, **kwargs)


def test_browsing_filters_and_signing_up_over_http(district, client, auth):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    auth.login(teacher)
    district["denver"].name = "Denver & East <Campus>"
    db.session.commit()
    page = client.get(f"/visits/?school_id={district['school'].id}").get_data(as_text=True)
    assert "Jordan Lee" in page
    # The school picker keeps the filter chosen, and names are text, not markup.
    assert f'<option value="{district["school"].id}" selected>{district["school"].name}</option>' in page
    assert f'<option value="{district["denver"].id}">Denver &amp; East &lt;Campus&gt;</option>' in page
    assert "Jordan Lee" not in client.get(f"/visits/?school_id={district['denver'].id}").get_data(as_text=True)
    fragment = client.get("/visits/?subject=zzz", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "No open classrooms match" in fragment
    card = client.post(f"/visits/slots/{slot.id}/signup", headers={"HX-Request": "true"})
    assert card.status_code == 200 and "going" in card.get_data(as_text=True)
    again = client.post(f"/visits/slots/{slot.id}/signup", headers={"HX-Request": "true"})
    assert again.status_code == 422 and "already signed up" in again.get_data(as_text=True)


def test_open_classrooms_come_a_page_at_a_time_and_keep_the_filters(district, auth, client):
    for n in range(35):
        start = time(8 + n % 5)
        open_slot(district, day=next_weekday(n % 5, weeks_ahead=1 + n // 25), start=start, end=start.replace(minute=45))
    auth.login(district["teachers"][0])
    school = district["school"].id
    first = client.get(f"/visits/?school_id={school}").get_data(as_text=True)
    assert first.count('class="card slot-card"') == 30
    assert "Open visit times 1–30" in first
    assert f"/visits/?page=2&amp;school_id={school}" in first
    second = client.get(f"/visits/?page=2&school_id={school}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Open visit times 31–35" in second and "Sooner times" in second and "Later times" not in second


def test_open_classrooms_filter_by_the_hosts_subject_and_grade_band(district, make_user):
    from walkthrough.visits.queries import open_slots

    school = district["school"]
    hosts = {}
    for name, subjects, band in [
        ("Maths", "Algebra, Math", "9-12"),
        ("Science", "Biology", "6-8"),
        ("Percent", "100% effort", "6-8"),
        ("Slash", "Art/Design", "K-2"),
        ("Backslash", "C\\D studio", "K-2"),
    ]:
        hosts[name] = make_user(Role.TEACHER, name=name, school=school)
        hosts[name].subjects, hosts[name].grade_band = subjects, band
    db.session.commit()
    for n, host in enumerate(hosts.values()):
        open_slot(district, host=host, day=next_weekday(n % 5, weeks_ahead=1))

    def found(**filters):
        return sorted(slot.host.name for slot in open_slots(school_id=school.id, **filters))

    assert found(subject="MATH") == ["Maths"]
    assert found(subject="bio") == ["Science"]
    assert found(subject="%") == ["Percent"]
    assert found(subject="t/d") == ["Slash"]
    assert found(subject="c\\d") == ["Backslash"]  # the escape character itself is taken literally
    assert found(subject="_") == []  # not "any one character"
    assert found(grade_band="6-8") == ["Percent", "Science"]
    assert found(grade_band="6-8", subject="bio") == ["Science"]
    assert found(grade_band="9-12", subject="bio") == []


def test_the_open_classroom_filters_are_kept_for_a_minute_and_the_list_is_not(district, make_app, make_school):
    from sqlalchemy import event

    from tests.conftest import PASSWORD

    app = make_app(CACHE_TYPE="SimpleCache")
    client = app.test_client()
    client.post("/auth/login", data={"email": district["teachers"][0].email, "password": PASSWORD})
    first = client.get("/visits/").get_data(as_text=True)
    assert district["school"].name in first and "Jordan Lee" not in first
    statements = []
    with app.app_context():
        engine = db.engine

    def record(_connection, _cursor, sql, *_):
        statements.append(sql)

    open_slot(district)
    make_school("Brand New Middle School")
    event.listen(engine, "before_cursor_execute", record)
    try:
        again = client.get("/visits/").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert "Jordan Lee" in again  # the new open classroom: the list is read every time
    assert "Brand New Middle School" not in again  # the school filter's choices came from the cache
    assert any("FROM visit_slots" in sql for sql in statements)  # this app's queries were seen
    assert not any("FROM schools ORDER BY" in sql or "DISTINCT users.grade_band" in sql for sql in statements)

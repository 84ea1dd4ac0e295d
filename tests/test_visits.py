"""Opening classrooms and booking visits: capacity, waitlist, refusals, repeats, cut-offs, time zones."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.rules import RuleViolation
from walkthrough.schools.models import Rotation
from walkthrough.schools.services import save_period
from walkthrough.visits import services
from walkthrough.visits.models import SignUp, SignUpStatus


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


@pytest.fixture
def district(app, make_school, make_user):
    year = dict(first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200))
    school = make_school("Riverside Middle", timezone="America/Chicago", **year)
    denver = make_school("Lincoln High", timezone="America/Denver", rotation=Rotation.AB, **year)
    host = make_user(Role.TEACHER, school=school, name="Jordan Lee", email="jordan@school.example")
    teachers = [
        make_user(Role.TEACHER, school=school, name=f"Teacher {n}", email=f"t{n}@school.example") for n in range(4)
    ]
    coach = make_user(Role.COACH, school=school, name="Sam Coach", email="sam@school.example")
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    return {
        "school": school,
        "denver": denver,
        "host": host,
        "teachers": teachers,
        "coach": coach,
        "protocol": protocol,
    }


def open_slot(d, *, day=None, start=time(10), end=time(10, 45), capacity=2, host=None, **extra):
    slots = services.open_classroom(
        host=host or d["host"],
        day=day or next_weekday(0),
        period_id=None,
        local_start=start,
        local_end=end,
        room="204",
        capacity=capacity,
        focus_question="Who asks the questions?",
        protocol=d["protocol"],
        note_for_visitors="Sit at the back",
        cutoff_hours=extra.pop("cutoff_hours", 0),
        per_person_limit=extra.pop("per_person_limit", None),
        **extra,
    )
    db.session.commit()
    return slots


def book(slot, person, actor=None):
    signup = services.sign_up(slot=slot, observer=person, actor=actor or person)
    db.session.commit()
    return signup


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
        ("cutoff", "closed 48 hours"),
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
        cutoff_hours=48 if case == "cutoff" else 0,
        day=date.today() + timedelta(days=1) if case == "cutoff" else None,
    )
    person = {"own": district["host"], "not a teacher": district["coach"]}.get(case, teacher)
    if case == "twice" or case == "limit":
        book(slot, teacher)
    if case == "overlap":
        [other] = open_slot(district, host=district["teachers"][1], start=time(10, 30), end=time(11))
        book(other, teacher)
    if case == "cancelled":
        services.cancel_slot(slot=slot, actor=district["host"])
    target = later if case == "limit" else slot
    with pytest.raises(RuleViolation, match=message):
        services.sign_up(slot=target, observer=person, actor=person)


def test_a_visit_in_the_past_is_refused(district):
    [slot] = open_slot(district)
    slot.starts_at = datetime.now(timezone.utc) - timedelta(minutes=5)
    with pytest.raises(RuleViolation, match="already started"):
        services.sign_up(slot=slot, observer=district["teachers"][0], actor=district["teachers"][0])


def test_weekly_repeats_each_changeable_alone(district):
    slots = open_slot(district, repeat="weekly", weeks=4)
    assert [s.day for s in slots] == [next_weekday(0) + timedelta(weeks=n) for n in range(4)]
    assert len({s.series_key for s in slots}) == 1
    services.cancel_slot(slot=slots[1], actor=district["host"])
    assert [s.cancelled_at is not None for s in slots] == [False, True, False, False]


def test_every_a_day_repeat_follows_the_rotation(district, make_user):
    denver = district["denver"]
    block = save_period(
        school=denver, period=None, name="Block 1", starts_at=time(7, 45), ends_at=time(9, 15), days=["A"]
    )
    host = make_user(Role.TEACHER, school=denver)
    from walkthrough.schools.queries import day_type_on

    first = next(d for d in (date.today() + timedelta(days=n) for n in range(2, 10)) if day_type_on(denver, d) == "A")
    slots = services.open_classroom(
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
        ("past", {"day": date.today() - timedelta(days=1)}, services.IN_THE_PAST),
        ("order", {"start": time(11), "end": time(10)}, services.TIMES_OUT_OF_ORDER),
        ("capacity", {"capacity": 11}, services.CAPACITY),
        ("year", {"day": date.today() + timedelta(days=400)}, "school year"),
    ],
)
def test_opening_a_classroom_is_checked(district, problem, kwargs, message):
    with pytest.raises(RuleViolation, match=message):
        open_slot(district, **kwargs)


def test_invitations_parse_back_with_times_uid_and_method(district, outbox):
    [slot] = open_slot(district, day=next_weekday(1), start=time(13, 15), end=time(14))
    teacher = district["teachers"][0]
    signup = book(slot, teacher)
    invite = Calendar.from_ical(outbox(teacher.email)[-1].calendar)
    [event] = invite.walk("VEVENT")
    assert invite["METHOD"] == "REQUEST" and str(event["UID"]) == signup.calendar_uid
    assert event.decoded("DTSTART") == slot.starts_at
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert invite.walk("VTIMEZONE")
    services.change_slot(
        slot=slot, actor=district["host"], local_start=time(13, 30), local_end=time(14, 15), room="Library"
    )
    db.session.commit()
    changed = Calendar.from_ical(outbox(teacher.email)[-1].calendar)
    [moved] = changed.walk("VEVENT")
    assert str(moved["UID"]) == signup.calendar_uid and moved["SEQUENCE"] > event["SEQUENCE"]
    assert moved.decoded("DTSTART").astimezone(timezone.utc) == slot.starts_at
    services.cancel_slot(slot=slot, actor=district["host"])
    db.session.commit()
    cancelled = Calendar.from_ical(outbox(teacher.email)[-1].calendar)
    assert cancelled["METHOD"] == "CANCEL" and str(cancelled.walk("VEVENT")[0]["UID"]) == signup.calendar_uid


def test_a_coach_books_a_colleague_who_can_decline(district, outbox):
    [slot] = open_slot(district, capacity=1)
    teacher, waiting = district["teachers"][:2]
    signup = book(slot, teacher, actor=district["coach"])
    book(slot, waiting)
    assert signup.booked_by_id == district["coach"].id
    assert "Sam Coach booked this visit for you" in outbox(teacher.email)[-1].body
    services.decline(signup=signup, actor=teacher)
    db.session.commit()
    assert signup.status == SignUpStatus.DECLINED
    assert db.session.scalar(select(SignUp.status).where(SignUp.observer_id == waiting.id)) == "confirmed"


def test_a_coach_pairs_two_colleagues(district):
    a, b = district["teachers"][:2]
    [slot_a] = open_slot(district, host=a, start=time(9), end=time(9, 45))
    [slot_b] = open_slot(district, host=b, start=time(11), end=time(11, 45))
    one, other = services.pair(coach=district["coach"], first_slot=slot_a, second_slot=slot_b)
    assert (one.observer_id, one.slot_id) == (b.id, slot_a.id) and (other.observer_id, other.slot_id) == (
        a.id,
        slot_b.id,
    )
    with pytest.raises(RuleViolation, match="Only coaches"):
        services.pair(coach=a, first_slot=slot_a, second_slot=slot_b)


def test_reminders_go_once(district, outbox, runner):
    [slot] = open_slot(district, day=date.today() + timedelta(days=1), start=time(23, 0), end=time(23, 30))
    teacher = district["teachers"][0]
    book(slot, teacher)
    assert "1 reminder sent" in runner.invoke(args=["notify", "reminders"]).output
    assert "0 reminders sent" in runner.invoke(args=["notify", "reminders"]).output
    assert [m.subject for m in outbox(teacher.email)].count("Tomorrow: visit to Jordan Lee") == 1


def test_start_notes_on_the_day_uses_the_slots_protocol_and_focus(district):
    [slot] = open_slot(district, day=date.today() + timedelta(days=1))
    teacher = district["teachers"][0]
    signup = book(slot, teacher)
    with pytest.raises(RuleViolation, match="on the day"):
        services.start_notes(signup=signup, actor=teacher)
    slot.day = date.today()  # as if the day has come (the UTC instants don't matter here)
    from walkthrough.visits.times import local_today

    slot.day = local_today(slot.school)
    observation = services.start_notes(signup=signup, actor=teacher)
    assert observation.focus_question == "Who asks the questions?"
    assert observation.protocol_version.protocol.slug == "focus-question"
    assert services.start_notes(signup=signup, actor=teacher).id == observation.id


def test_the_calendar_feed_is_private_and_lists_visits(district, client):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    book(slot, teacher)
    feed = client.get(f"/visits/calendar/{teacher.calendar_token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert len(Calendar.from_ical(feed.data).walk("VEVENT")) == 1
    assert client.get("/visits/calendar/not-the-right-secret-at-all.ics").status_code == 404


def test_browsing_filters_and_signing_up_over_http(district, client, auth):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    auth.login(teacher)
    page = client.get(f"/visits/?school_id={district['school'].id}").get_data(as_text=True)
    assert "Jordan Lee" in page
    assert "Jordan Lee" not in client.get(f"/visits/?school_id={district['denver'].id}").get_data(as_text=True)
    fragment = client.get("/visits/?subject=zzz", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "No open classrooms match" in fragment
    card = client.post(f"/visits/slots/{slot.id}/signup", headers={"HX-Request": "true"})
    assert card.status_code == 200 and "going" in card.get_data(as_text=True)
    again = client.post(f"/visits/slots/{slot.id}/signup", headers={"HX-Request": "true"})
    assert again.status_code == 422 and "already signed up" in again.get_data(as_text=True)


def test_coach_pages_refuse_teachers_and_hosting_pages_refuse_others(district, client, auth):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    auth.login(teacher)
    assert client.get("/visits/pair").status_code == 403
    assert client.post(f"/visits/slots/{slot.id}/book", data={"observer_id": teacher.id}).status_code == 403
    assert client.post(f"/visits/slots/{slot.id}/cancel").status_code == 403
    assert (
        client.post(f"/visits/slots/{slot.id}/change", data={"local_start": "09:00", "local_end": "09:30"}).status_code
        == 403
    )
    auth.logout()
    auth.login(district["coach"])
    assert client.get("/visits/host/new").status_code == 403  # coaches who don't teach have no classroom
    assert client.get("/visits/pair").status_code == 200
    response = client.post(f"/visits/slots/{slot.id}/book", data={"observer_id": teacher.id})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(SignUp.booked_by_id).where(SignUp.observer_id == teacher.id)) == district["coach"].id
    )


def test_someone_elses_booking_cannot_be_cancelled(district, client, auth):
    [slot] = open_slot(district)
    owner, stranger = district["teachers"][:2]
    signup = book(slot, owner)
    auth.login(stranger)
    assert client.post(f"/visits/signups/{signup.id}/cancel").status_code == 404
    assert client.post(f"/visits/signups/{signup.id}/start").status_code == 404
    db.session.refresh(signup)
    assert signup.status == SignUpStatus.CONFIRMED

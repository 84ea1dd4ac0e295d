"""Calendar invitations and feeds, coaches booking and pairing, reminders, and the day of a visit."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.visit_setup import book, next_weekday, open_slot, with_school_on
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation
from walkthrough.schools.times import local_today
from walkthrough.visits import day_of, hosting, services
from walkthrough.visits.models import SignUp, SignUpStatus


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
    hosting.change_slot(
        slot=slot, actor=district["host"], local_start=time(13, 30), local_end=time(14, 15), room="Library"
    )
    db.session.commit()
    changed = Calendar.from_ical(outbox(teacher.email)[-1].calendar)
    [moved] = changed.walk("VEVENT")
    assert str(moved["UID"]) == signup.calendar_uid and moved["SEQUENCE"] > event["SEQUENCE"]
    assert moved.decoded("DTSTART").astimezone(UTC) == slot.starts_at
    hosting.cancel_slot(slot=slot, actor=district["host"])
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
    # Tomorrow at the school: in the evening in Chicago it is already the next day in UTC.
    tomorrow = with_school_on(district["school"], local_today(district["school"]) + timedelta(days=1))
    [slot] = open_slot(district, day=tomorrow, start=time(23, 0), end=time(23, 30))
    teacher = district["teachers"][0]
    book(slot, teacher)
    assert "1 reminder sent" in runner.invoke(args=["notify", "reminders"]).output
    assert "0 reminders sent" in runner.invoke(args=["notify", "reminders"]).output
    assert [m.subject for m in outbox(teacher.email)].count("Tomorrow: visit to Jordan Lee") == 1


def test_start_notes_on_the_day_uses_the_slots_protocol_and_focus(district):
    [slot] = open_slot(district, day=with_school_on(district["school"], date.today() + timedelta(days=1)))
    teacher = district["teachers"][0]
    signup = book(slot, teacher)
    with pytest.raises(RuleViolation, match="on the day"):
        day_of.start_notes(signup=signup, actor=teacher)
    slot.day = date.today()  # as if the day has come (the UTC instants don't matter here)
    from walkthrough.schools.times import local_today

    slot.day = local_today(slot.school)
    observation = day_of.start_notes(signup=signup, actor=teacher)
    assert observation.focus_question == "Who asks the questions?"
    assert observation.protocol_version.protocol.slug == "focus-question"
    assert day_of.start_notes(signup=signup, actor=teacher).id == observation.id


def test_the_calendar_feed_is_private_and_lists_visits(district, client):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    book(slot, teacher)
    feed = client.get(f"/visits/calendar/{teacher.calendar_token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert len(Calendar.from_ical(feed.data).walk("VEVENT")) == 1
    assert client.get("/visits/calendar/not-the-right-secret-at-all.ics").status_code == 404


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


def test_emails_write_times_as_pages_do(district, outbox):
    [slot] = open_slot(district)
    teacher = district["teachers"][0]
    book(slot, teacher)
    bodies = " ".join(m.body for m in outbox(teacher.email))
    assert "10:00 am–10:45 am" in bodies and "AM" not in bodies


def _started(slot) -> None:
    """The visit began ten minutes ago: what a page or a service sees once its time has come."""
    now = datetime.now(UTC).replace(microsecond=0)
    slot.day, slot.starts_at, slot.ends_at = (
        local_today(slot.school),
        now - timedelta(minutes=10),
        now + timedelta(minutes=35),
    )
    db.session.commit()


def test_a_visit_that_has_started_is_not_cancelled_afterwards(district, client, auth, outbox):
    [slot] = open_slot(district, capacity=1)
    visitor, waiting = district["teachers"][:2]
    signup = book(slot, visitor)
    book(slot, waiting)
    _started(slot)
    sent = len(outbox())
    with pytest.raises(RuleViolation, match="already started"):
        services.cancel_signup(signup=signup, actor=visitor)
    db.session.rollback()

    auth.login(visitor)
    page = client.get("/visits/mine").get_data(as_text=True)
    assert f"/visits/signups/{signup.id}/cancel" not in page
    assert "Started or over" in client.get(f"/visits/slots/{slot.id}").get_data(as_text=True)
    refused = client.post(f"/visits/signups/{signup.id}/cancel", headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "already started" in refused.get_data(as_text=True)
    refused = client.post(f"/visits/signups/{signup.id}/cancel", follow_redirects=True)
    assert "already started" in refused.get_data(as_text=True)

    later = (datetime.now(UTC) + timedelta(hours=2)).astimezone(ZoneInfo(slot.school.timezone))
    with pytest.raises(RuleViolation, match="already started"):  # not even to later the same day
        hosting.change_slot(
            slot=slot, actor=district["host"], local_start=later.time(), local_end=time(23, 59), room="204"
        )
    db.session.rollback()

    auth.logout()
    auth.login(district["host"])
    assert "Change this visit" not in client.get(f"/visits/slots/{slot.id}").get_data(as_text=True)
    refused = client.post(f"/visits/slots/{slot.id}/cancel", follow_redirects=True)
    assert "already started" in refused.get_data(as_text=True)

    db.session.expire_all()
    assert signup.status == SignUpStatus.CONFIRMED and slot.cancelled_at is None
    assert db.session.scalar(select(SignUp.status).where(SignUp.observer_id == waiting.id)) == "waitlisted"
    assert len(outbox()) == sent  # nobody told about a change that didn't happen


def test_a_past_visit_without_notes_says_so(district, client, auth):
    [slot] = open_slot(district)
    visitor = district["teachers"][0]
    book(slot, visitor)
    # Three weeks back: the slot is one to two weeks ahead, so two weeks back could be the school's today
    # (late evening in Chicago while UTC's date has already moved on), which lists the visit as today's.
    back = timedelta(days=21)
    slot.day, slot.starts_at, slot.ends_at = slot.day - back, slot.starts_at - back, slot.ends_at - back
    db.session.commit()
    auth.login(visitor)
    page = client.get("/visits/mine").get_data(as_text=True)
    assert "No notes were taken on this visit." in page
    assert "Cancel<span" not in page


def test_a_coachs_booking_is_not_declined_after_the_visit_started(district, client, auth):
    [slot] = open_slot(district)
    teacher, own_visit = district["teachers"][0], open_slot(district, start=time(13), end=time(13, 30))[0]
    booked = book(slot, teacher, actor=district["coach"])
    mine = book(own_visit, teacher)
    _started(slot)
    auth.login(teacher)
    answer = client.post(f"/visits/signups/{booked.id}/decline", follow_redirects=True)
    assert "already started" in answer.get_data(as_text=True)
    answer = client.post(f"/visits/signups/{mine.id}/decline", follow_redirects=True)
    assert answer.status_code == 200 and "Only a booking a coach made for you" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert (booked.status, mine.status) == (SignUpStatus.CONFIRMED, SignUpStatus.CONFIRMED)

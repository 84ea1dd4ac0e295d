"""Calendar invitations and the personal feed read the same in three independent readers: Python's icalendar
and vobject, and Mozilla's ical.js (Thunderbird's reader, run with Node) — across both daylight-saving changes,
where a wrong VTIMEZONE puts a visit an hour off."""

import json
import subprocess
from datetime import UTC, date, datetime, time
from email import message_from_string, policy
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage
from walkthrough.protocols.models import Protocol
from walkthrough.visits import hosting, services

PROJECT_ROOT = Path(__file__).resolve().parents[1]
READER = PROJECT_ROOT / "tests" / "js" / "read_ics.mjs"

# Chicago changes on 3 Nov 2030 and 9 Mar 2031: a 9:00 visit is 14:00 UTC in daylight time, 15:00 in standard.
VISITS = {
    date(2030, 10, 28): datetime(2030, 10, 28, 14, tzinfo=UTC),
    date(2030, 11, 4): datetime(2030, 11, 4, 15, tzinfo=UTC),
    date(2031, 3, 7): datetime(2031, 3, 7, 15, tzinfo=UTC),
    date(2031, 3, 10): datetime(2031, 3, 10, 14, tzinfo=UTC),
}


def read_with_icalendar(text: str) -> list[tuple[str, datetime, str]]:
    calendar = Calendar.from_ical(text)
    return [
        (str(e["uid"]), e.decoded("dtstart").astimezone(UTC), str(e["method"] if "method" in e else calendar["method"]))
        for e in calendar.walk("VEVENT")
    ]


def read_with_vobject(text: str) -> list[tuple[str, datetime, str]]:
    calendar = vobject.readOne(text)
    return [
        (e.uid.value, e.dtstart.value.astimezone(UTC), calendar.method.value)
        for e in calendar.contents.get("vevent", [])
    ]


def read_with_ical_js(text: str) -> list[tuple[str, datetime, str]]:
    if not (PROJECT_ROOT / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is missing: run `npm ci` (scripts/test does it when Node.js is installed)")
    result = subprocess.run(
        ["node", str(READER)], input=text, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60, check=True
    )
    parsed = json.loads(result.stdout)
    return [
        (e["uid"], datetime.fromisoformat(e["start"].replace("Z", "+00:00")), parsed["method"])
        for e in parsed["events"]
    ]


READERS = (read_with_icalendar, read_with_vobject, read_with_ical_js)


@pytest.fixture
def chicago(app, make_school, make_user):
    school = make_school(
        "Prairie Middle", timezone="America/Chicago", first_day=date(2030, 8, 19), last_day=date(2031, 6, 6)
    )
    host = make_user(Role.TEACHER, school=school, name="Jordan O'Neil", email="jordan@school.example")
    observer = make_user(Role.TEACHER, school=school, name="Zoë Ñúñez", email="zoe@school.example")
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    signups = []
    for day in VISITS:
        [slot] = hosting.open_classroom(
            host=host,
            day=day,
            period_id=None,
            local_start=time(9),
            local_end=time(9, 45),
            room="204",
            capacity=2,
            focus_question="Who asks the questions?",
            protocol=protocol,
            note_for_visitors="Sit at the back, by the window; thanks!",
            cutoff_hours=0,
            per_person_limit=None,
        )
        signups.append(services.sign_up(slot=slot, observer=observer, actor=observer))
    db.session.commit()
    return school, host, observer, signups


def _invitations(to: str) -> list[str]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == to, OutboxMessage.calendar != "")
    return [m.calendar for m in db.session.scalars(query.order_by(OutboxMessage.id))]


def test_each_invitation_reads_the_same_in_every_reader_on_both_sides_of_a_clock_change(chicago, outbox):
    _, host, observer, signups = chicago
    outbox()  # every message is checked to be well formed
    invitations = _invitations(observer.email)
    assert len(invitations) == len(VISITS)
    for text, (day, expected) in zip(invitations, VISITS.items(), strict=True):
        for reader in READERS:
            [(uid, start, method)] = reader(text)
            assert (start, method) == (expected, "REQUEST"), (reader.__name__, day)
    assert {uid for text in invitations for uid, _, _ in read_with_icalendar(text)} == {s.calendar_uid for s in signups}
    # The host is told too, with the host's own event for the visit.
    for text in _invitations(host.email):
        for reader in READERS:
            [(_, start, method)] = reader(text)
            assert start in VISITS.values() and method == "REQUEST", reader.__name__


def test_the_inline_invitation_part_is_what_calendar_clients_look_for(chicago, outbox):
    _, _, observer, _ = chicago
    message = outbox(observer.email)[0]
    parsed = message_from_string(message.mime, policy=policy.default)
    assert parsed.get_content_type() == "multipart/mixed"
    [alternative] = [p for p in parsed.iter_parts() if p.get_content_type() == "multipart/alternative"]
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part["Content-Type"].params == {"charset": "utf-8", "method": "REQUEST"}
    event = Calendar.from_ical(calendar_part.get_content()).walk("VEVENT")[0]
    assert "Zoë Ñúñez" in [a.params["CN"] for a in event["attendee"]]
    assert "Sit at the back, by the window; thanks!" in str(event["description"])


def test_a_cancellation_reads_as_one_in_every_reader(chicago, outbox):
    _, _, observer, signups = chicago
    services.cancel_signup(signup=signups[1], actor=observer)
    db.session.commit()
    text = _invitations(observer.email)[-1]
    for reader in READERS:
        [(uid, start, method)] = reader(text)
        assert (uid, start, method) == (signups[1].calendar_uid, VISITS[date(2030, 11, 4)], "CANCEL")
    assert str(Calendar.from_ical(text).walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_the_personal_feed_reads_the_same_in_every_reader(chicago, client):
    _, host, observer, _ = chicago
    observer.calendar_token = "a-long-enough-calendar-token-for-tests"
    db.session.commit()
    feed = client.get(f"/visits/calendar/{observer.calendar_token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    starts = {reader.__name__: sorted(start for _, start, _ in reader(text)) for reader in READERS}
    visits = sorted(VISITS.values())
    for name, found in starts.items():
        assert [start for start in found if start in visits] == visits, name
    assert starts["read_with_icalendar"] == starts["read_with_vobject"] == starts["read_with_ical_js"]

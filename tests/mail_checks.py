"""What every stored email must be, checked wherever a test reads the outbox: a message mail clients read
right (RFC 5322 headers, a text part and an HTML part with the same links, a calendar invitation both inline
and attached), with no template left unfilled."""

import re
from email import message_from_string, policy
from email.utils import parsedate_to_datetime

from icalendar import Calendar

LINK = re.compile(r"https?://[^\s<>\"']+")


def _parts(message):
    for part in message.walk():
        yield part
        assert not part.defects, (part.get_content_type(), part.defects)


def _calendar_checks(message, record) -> None:
    inline = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    attached = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
    assert len(inline) == 1 and len(attached) == 1, "an invitation is an alternative part and an attachment"
    [part] = inline
    assert part.get_content_charset() == "utf-8"
    parsed = Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(parsed["METHOD"]) in ("REQUEST", "CANCEL")
    assert attached[0].get_content_type() == "application/ics"
    # Line ends are the transport's (SMTP sends CRLF); the words must be the same.
    assert attached[0].get_content().decode().splitlines() == part.get_content().splitlines()
    for event in parsed.walk("VEVENT"):
        assert event.get("uid") and event.get("dtstamp") and event.get("sequence") is not None
        assert str(event["organizer"]).startswith("mailto:")
        attendees = event.get("attendee")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        roles = [a.params.get("ROLE") for a in attendees if a is not None]
        assert roles and set(roles) <= {"CHAIR", "REQ-PARTICIPANT"}, roles


def assert_well_formed(record, base_url: str) -> None:
    message = message_from_string(record.mime, policy=policy.default)
    parts = list(_parts(message))
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"]) and message["Message-ID"] == record.message_id
    assert message["To"] == record.recipient and message["From"]
    assert message["Subject"] == record.subject and record.subject.strip() and "\n" not in record.subject
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.strip() and html.rstrip().endswith("</html>") and text == record.body
    assert len(re.findall(r"^--$", text, flags=re.M)) == 1, "one footer"
    for content in (text, html, record.subject):
        assert "{{" not in content and "{%" not in content and "Undefined" not in content, content
    for link in LINK.findall(text):
        assert link.startswith(base_url), f"link not from WALKTHROUGH_BASE_URL: {link}"
        assert link.replace("&", "&amp;") in html or link in html, f"the HTML part lacks {link}"
    assert [p.get_content_type() for p in parts if p.get_content_type() in ("text/plain", "text/html")] == [
        "text/plain",
        "text/html",
    ]
    if record.calendar:
        _calendar_checks(message, record)
    else:
        assert not any(p.get_content_type() == "text/calendar" for p in parts)

"""Calendar files every reader gets right. icalendar's own VTIMEZONE packs each observance's dates into one
comma-separated RDATE, which vobject and Mozilla's ical.js (Thunderbird) misread, putting daylight-time events
an hour late. Here each change of offset is its own observance with a single DTSTART: the plainest form
RFC 5545 has, which every reader we test (icalendar, vobject, ical.js) reads the same."""

from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

PRODID = "-//Walkthrough//Peer observation//EN"


def _zoned_instants(events: list[Event]) -> dict[str, list[datetime]]:
    zones: dict[str, list[datetime]] = {}
    for event in events:
        for name in ("dtstart", "dtend"):
            value = event.get(name)
            moment = value.dt if value is not None else None
            key = getattr(getattr(moment, "tzinfo", None), "key", None)
            if isinstance(moment, datetime) and key:
                zones.setdefault(key, []).append(moment)
    return zones


def _offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants in [start, end) at which the zone's offset or name changes, to the minute."""
    changes = []
    day = start
    step = timedelta(days=7)  # offsets change at most a few times a year, never twice in a week
    while day < end:
        later = min(day + step, end)
        if _local(day, zone) != _local(later, zone):
            low, high = 0, int((later - day).total_seconds() // 60)  # minutes after `day`: unchanged, changed
            while high - low > 1:
                middle = (low + high) // 2
                if _local(day + timedelta(minutes=middle), zone) == _local(day, zone):
                    low = middle
                else:
                    high = middle
            changes.append(day + timedelta(minutes=high))
        day = later
    return changes


def _local(moment: datetime, zone: ZoneInfo) -> tuple:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _observance(moment: datetime, zone: ZoneInfo, offset_from: timedelta):
    offset, dst, name = _local(moment, zone)
    observance = TimezoneDaylight() if dst else TimezoneStandard()
    # The onset in the local time that was in force until then (RFC 5545 3.6.5), without a zone.
    observance.add("dtstart", (moment + offset_from).replace(tzinfo=None))
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset)
    if name:
        observance.add("tzname", name)
    return observance


# Years every VTIMEZONE covers around this one, whatever its events' dates. Readers keep a zone by its TZID
# once they have seen it (vobject does, process-wide), so files that each covered only their own events'
# years would leave a later file's visit an hour off; with one span, every file carries the same zone.
YEARS_BEFORE, YEARS_AFTER = 1, 8


def vtimezone(key: str, first: date, last: date) -> Timezone:
    """The zone's offsets over the common span of years (widened to `first` and `last` when they fall outside
    it), one observance per change."""
    this_year = date.today().year
    return _vtimezone(key, min(first.year, this_year - YEARS_BEFORE), max(last.year, this_year + YEARS_AFTER))


@lru_cache(maxsize=64)
def _vtimezone(key: str, first_year: int, last_year: int) -> Timezone:
    """Cached: finding ten years of changes takes tens of milliseconds, and every invitation and feed needs
    one. Callers only add the component to a calendar, never change it."""
    zone = ZoneInfo(key)
    start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    timezone = Timezone()
    timezone.add("tzid", key)
    offset = _local(start, zone)[0]
    timezone.add_component(_observance(start, zone, offset))
    for change in _offset_changes(zone, start, end):
        timezone.add_component(_observance(change, zone, offset))
        offset = _local(change, zone)[0]
    return timezone


def organizer() -> vCalAddress:
    """Walkthrough, at the address it sends from: it sends every update and cancellation of an event."""
    name, email = parseaddr(current_app.config["MAIL_FROM"])
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = name or "Walkthrough"
    return address


def attendee(*, name: str, email: str, role: str) -> vCalAddress:
    """Someone already taking part (CHAIR for the host, REQ-PARTICIPANT otherwise): nobody is asked to reply."""
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = name
    address.params["role"] = role
    address.params["partstat"] = "ACCEPTED"
    address.params["rsvp"] = "FALSE"
    return address


def calendar_file(events: list[Event], *, method: str | None, prodid: str = PRODID) -> str:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for key, instants in sorted(_zoned_instants(events).items()):
        calendar.add_component(vtimezone(key, min(instants).date(), max(instants).date()))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode()

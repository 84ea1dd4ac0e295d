from datetime import timedelta

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import public
from ..auth.models import User, new_session_token
from ..extensions import db
from ..schools.calendar_files import day_events
from ..schools.times import local_today
from . import bp, calendar, queries
from .models import SignUpStatus


@bp.route("/calendar/<token>.ics")
@public
def feed(token: str):
    """A private feed Google Calendar or Outlook can subscribe to; the secret in the address is the key."""
    person = db.session.scalar(select(User).where(User.calendar_token == token, User.is_active_account.is_(True)))
    if person is None or len(token) < 20:
        abort(404)
    events = [
        calendar.observer_event(s, cancelled=s.status != SignUpStatus.CONFIRMED or s.slot.cancelled_at is not None)
        for s in queries.my_signups(person)
        if s.status != SignUpStatus.WAITLISTED
    ]
    events += [calendar.host_event(slot, cancelled=slot.cancelled_at is not None) for slot in queries.my_slots(person)]
    if person.school is not None:  # days without school and special days, so plans can be made around them
        events += day_events(person.school, start=local_today(person.school) - timedelta(days=30))
    response = Response(calendar.feed(events), mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=walkthrough.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/calendar/new-address", methods=["POST"])
def new_calendar_address():
    current_user.calendar_token = new_session_token()
    db.session.commit()
    flash("Your calendar address is new. Subscriptions using the old one have stopped updating.", "success")
    return redirect(url_for("home.account") + "#calendar")

"""Which nudges a person wants, and their quiet hours. Nudges are reminders we choose to send (reflect on
yesterday's visit, reply to shared notes); messages about something that happened always go."""

from datetime import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..urls import external_url
from .models import NotificationSetting

# kind: (who gets it, what it says), in the order the Account page lists them.
NUDGES = {
    "reflect": "The day after a visit with no reflection: a reminder to reflect and share",
    "reply": "When a colleague's shared notes are still waiting for your reply after two days",
    "caseload": "Coaches, on Monday mornings: who on your caseload is overdue for a visit or coaching",
    "cohort": "Cohort members: a meeting reflection still to write, and the growth plan before it is due",
    "walk": "Walk teams: the day after a building walk, a reminder to send the staff what you noticed",
}
_UNSUBSCRIBE = "unsubscribe"


def settings_for(user_id: int) -> NotificationSetting:
    """The person's settings; everyone starts with every nudge on and quiet hours 7 pm to 7 am."""
    found = db.session.get(NotificationSetting, user_id)
    if found is None:
        found = NotificationSetting(
            user_id=user_id, muted="", quiet_hours=True, quiet_from=time(19), quiet_until=time(7)
        )
    return found


def muted(setting: NotificationSetting) -> set[str]:
    return {kind for kind in (setting.muted or "").split(",") if kind}


def wanted(setting: NotificationSetting) -> set[str]:
    return set(NUDGES) - muted(setting)


def save_settings(*, user_id: int, wanted: set[str], quiet_hours: bool, quiet_from: time, quiet_until: time) -> None:
    setting = settings_for(user_id)
    setting.muted = ",".join(kind for kind in NUDGES if kind not in wanted)
    setting.quiet_hours, setting.quiet_from, setting.quiet_until = quiet_hours, quiet_from, quiet_until
    db.session.add(setting)
    db.session.flush()


def mute(*, user_id: int, kind: str) -> None:
    setting = settings_for(user_id)
    setting.muted = ",".join(sorted(muted(setting) | {kind}))
    db.session.add(setting)
    db.session.flush()


def is_quiet(setting: NotificationSetting, at: time) -> bool:
    if not setting.quiet_hours or setting.quiet_from == setting.quiet_until:
        return False
    if setting.quiet_from < setting.quiet_until:  # e.g. 12:00–13:00
        return setting.quiet_from <= at < setting.quiet_until
    return at >= setting.quiet_from or at < setting.quiet_until  # across midnight, e.g. 19:00–07:00


def may_nudge(user_id: int, kind: str, local_time: time) -> bool:
    setting = settings_for(user_id)
    return kind not in muted(setting) and not is_quiet(setting, local_time)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE)


def unsubscribe_link(user_id: int, kind: str) -> str:
    """A link that turns off one kind of nudge for one person, without signing in (List-Unsubscribe)."""
    return external_url("notifications.unsubscribe", token=_serializer().dumps([user_id, kind]))


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return (user_id, kind) if isinstance(user_id, int) and kind in NUDGES else None

"""Signed-in devices, kept on the server so that they can be ended.

The session cookie and the remember-me cookie carry only a random token; the row it names decides whether
the browser is signed in. Signing out, changing a password or email, a role change, deactivation and a
departure delete rows, and a row also ends when it has been idle too long or is simply too old."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import Flask, current_app, request
from flask_login import login_user
from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from ..audit.services import record as audit
from ..db_types import utcnow
from ..extensions import db, login_manager
from . import kept
from .models import DeviceSession, User

# Last-seen times are written at most this often, so an ordinary page view doesn't write.
TOUCH_EVERY = timedelta(minutes=5)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"
    # One query for the person, their session, school and roles: every signed-in request starts here.
    login_manager.user_loader(load)
    kept.install()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta, timedelta]:
    config = current_app.config
    return (
        timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        timedelta(days=config["REMEMBERED_IDLE_DAYS"]),
        timedelta(days=config["SESSION_MAX_DAYS"]),
    )


def _is_current(row, now: datetime) -> bool:
    """`row`: a DeviceSession, or the loader's row of its columns."""
    idle, remembered_idle, lifetime = _limits()
    allowed_idle = remembered_idle if row.remember else idle
    return now - row.created_at < lifetime and now - row.last_seen_at < allowed_idle


def _forget_ended(user: User) -> None:
    """Rows of sessions that ended by time are removed when their owner next signs in."""
    idle, remembered_idle, lifetime = _limits()
    now = utcnow()
    ended = or_(
        DeviceSession.created_at < now - lifetime,
        DeviceSession.last_seen_at < now - remembered_idle,
        DeviceSession.remember.is_(False) & (DeviceSession.last_seen_at < now - idle),
    )
    db.session.execute(
        delete(DeviceSession).where(DeviceSession.user_id == user.id, ended).execution_options(**kept.changing(user))
    )


def start(user: User, *, remember: bool = False, user_agent: str = "", address: str = "") -> str:
    """A new session row for this person; returns the token its cookie will carry."""
    _forget_ended(user)
    token = secrets.token_urlsafe(32)
    row = DeviceSession(
        token_hash=_hash(token), user_id=user.id, remember=remember, user_agent=user_agent[:200], address=address[:64]
    )
    db.session.add(row)
    db.session.flush()
    user.__dict__["_device_token"] = token
    user.__dict__["_device_session_id"] = row.id
    return token


def sign_in(user: User, *, remember: bool = False) -> None:
    """Start a session for this browser and sign it in. The caller commits."""
    start(user, remember=remember, user_agent=request.user_agent.string or "", address=request.remote_addr or "")
    login_user(user, remember=remember)


# Every signed-in request runs this. Built once: a statement built afresh costs more to build and to look up
# in SQLAlchemy's compiled cache than it takes PostgreSQL to answer (about 0.3 ms of CPU a statement).
@cache
def _signed_in():
    # The session's columns, not the row as an object: it is only read, and an object costs the loader more.
    return (
        select(User, DeviceSession.id, DeviceSession.remember, DeviceSession.created_at, DeviceSession.last_seen_at)
        .join(DeviceSession, DeviceSession.user_id == User.id)
        .where(DeviceSession.token_hash == bindparam("token_hash"), User.is_active_account.is_(True))
        .options(joinedload(User.role_grants))
    )


def load(token: str) -> User | None:
    """The person this token signs in, or None when its session has ended (Flask-Login's user loader)."""
    if not isinstance(token, str) or not token:
        return None
    token_hash = _hash(token)
    stamps = None
    if kept.is_on() and (seen := kept.seen(token_hash)) is not None:
        stamps = kept.current_stamps(seen.user_id)
        if kept.still_good(seen, stamps) and _needs_nothing_written(seen, utcnow()):
            return _signed_in_as(kept.recall(seen), token, seen.session_id)
    found = db.session.execute(_signed_in(), {"token_hash": token_hash}).unique().one_or_none()
    now = utcnow()
    if found is None or not _is_current(found, now):
        kept.drop(token_hash)
        if found is not None:  # ended by time: its row goes
            ended = delete(DeviceSession).where(DeviceSession.id == found.id)
            db.session.execute(ended.execution_options(**kept.changing(found[0])))
            db.session.commit()
        return None
    user, row = found[0], found
    if now - row.last_seen_at > TOUCH_EVERY:
        # Changes nothing that is kept: a kept session comes back here when its last-seen time is due (see below).
        touch = update(DeviceSession).where(DeviceSession.id == row.id).values(last_seen_at=now)
        db.session.execute(touch.execution_options(**kept.changing()))
        db.session.commit()
    elif stamps is not None:  # (not after a commit, which expired what was read)
        kept.keep(token_hash, stamps, user, row.id, row.remember, row.created_at, row.last_seen_at)
        return _signed_in_as(user, token, row.id)
    if kept.is_on():
        kept.remember_token(token_hash, user.id)
    return _signed_in_as(user, token, row.id)


def _needs_nothing_written(row, now: datetime) -> bool:
    """A kept session that has ended, or whose last-seen time is due to be written, goes to the database, which
    decides (another process may have seen it since)."""
    return _is_current(row, now) and now - row.last_seen_at <= TOUCH_EVERY


def _signed_in_as(user: User, token: str, session_id: int) -> User:
    user.__dict__["_device_token"] = token
    user.__dict__["_device_session_id"] = session_id
    return user


def current_session_id(user: User) -> int | None:
    return user.__dict__.get("_device_session_id")


def end_this_session(user: User) -> None:
    token = user.__dict__.get("_device_token")
    if token:
        db.session.execute(
            delete(DeviceSession)
            .where(DeviceSession.token_hash == _hash(token))
            .execution_options(**kept.changing(user))
        )


def end_sessions(user: User, *, keep_current: bool = False) -> int:
    """End every session of this person's (but this browser's, when keep_current). Returns how many ended."""
    query = delete(DeviceSession).where(DeviceSession.user_id == user.id).execution_options(**kept.changing(user))
    keep = current_session_id(user) if keep_current else None
    if keep is not None:
        query = query.where(DeviceSession.id != keep)
    return db.session.execute(query).rowcount or 0


def sign_out_other_devices(user: User) -> int:
    """The Account page's button: end every other device's session, and say so in the audit log."""
    ended = end_sessions(user, keep_current=True)
    audit(user, "signed_out_everywhere", devices=ended)
    return ended


def end_one(user: User, session_id: int) -> bool:
    """Sign out one of this person's own devices; someone else's session id changes nothing."""
    ended = db.session.execute(
        delete(DeviceSession)
        .where(DeviceSession.id == session_id, DeviceSession.user_id == user.id)
        .execution_options(**kept.changing(user))
    )
    return bool(ended.rowcount)


@dataclass(frozen=True)
class Device:
    id: int
    description: str
    address: str
    signed_in_at: datetime
    last_seen_at: datetime
    is_this_device: bool


_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "a Mac"),
    ("CrOS", "a Chromebook"),
    ("Linux", "Linux"),
)


def _describe(user_agent: str) -> str:
    """A name a person recognises ("Chrome on Android"), from the browser's own description."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "A browser")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    return f"{browser} on {system}" if system else browser


def devices(user: User) -> list[Device]:
    now = utcnow()
    rows = db.session.scalars(
        select(DeviceSession).where(DeviceSession.user_id == user.id).order_by(DeviceSession.last_seen_at.desc())
    ).all()
    this = current_session_id(user)
    return [
        Device(row.id, _describe(row.user_agent), row.address, row.created_at, row.last_seen_at, row.id == this)
        for row in rows
        if _is_current(row, now)
    ]

"""Signed-in people kept in each app process between requests, checked against stamps in the shared cache.

Reading the person, their device session, school and roles is one statement on every signed-in request, and on
PostgreSQL it cost the app about 0.5 ms of CPU: a third of a request that does nothing else (bench/RESULTS.md).
Where the cache is Redis, shared by every process, and the database is PostgreSQL, each process keeps what that
statement returned and asks Redis instead: one round trip for two stamps, everyone's and this person's. Every
committed change to a person, their roles, their device sessions or any school, however it was written, replaces
a stamp (see `install`), so a revoked session, a removed role or a deactivated account stops working on the next
request in every process.

A stamp is always read before the database, and replaced only after a change commits, so what is kept can never
be filed under a stamp newer than the rows it came from. Something kept is also dropped after KEEP_FOR, which
bounds a change written outside the app (by hand, in psql). Without Redis (one process's memory can't tell the
others), or on SQLite, every request reads the database, as before."""

import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache as cache_of_one

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, attributes

from .. import stamps
from ..extensions import db
from ..loaded import as_loaded
from .models import DeviceSession, RoleGrant, User

KEEP_FOR = 60  # seconds
STAMP_LASTS = 3600  # seconds; a stamp that lapsed is replaced, which drops what was kept under it
MOST_KEPT = 5_000  # tokens a process keeps before it starts again (a few KB each: the person and school)
EVERYONE = "signed-in-stamp"
# Statements given this execution option name the people they change (an empty tuple: nobody's kept state, such
# as a session's last-seen time); a statement without it changes everyone's.
PEOPLE_OPTION = "changes_signed_in_people"


def changing(*people) -> dict:
    """Execution options for a statement on people, roles, sessions or schools, naming whose kept sign-ins it
    changes; with nobody named, it changes none (a session's last-seen time)."""
    return {PEOPLE_OPTION: tuple(person.id for person in people)}


@cache_of_one
def _school():
    """The school a person belongs to, as the person's mapping names it (schools sit above people, so this module
    doesn't import them)."""
    return inspect(User).relationships["school"].mapper


@cache_of_one
def _tables() -> set:
    return {User.__table__, RoleGrant.__table__, DeviceSession.__table__, _school().local_table}


@dataclass(frozen=True)
class Kept:
    user_id: int
    stamps: tuple[str, str] | None  # None: seen once, nothing kept yet (its person's stamp wasn't read first)
    kept_at: float
    person: dict | None = None
    school: dict | None = None
    roles: tuple[str, ...] = ()
    session_id: int = 0
    remember: bool = False
    created_at: datetime | None = None
    last_seen_at: datetime | None = None


def is_on() -> bool:
    """With Redis as the cache, on a database across the network: on SQLite the statement runs in the process
    and costs less than the round trip to Redis (bench/statement.py). KEEP_SIGN_INS (True or False) decides
    instead, for tests."""
    on = current_app.extensions.get("kept_sign_ins_on")
    if on is None:
        chosen = current_app.config.get("KEEP_SIGN_INS")
        if chosen is None:
            chosen = current_app.config.get("CACHE_TYPE") == "RedisCache" and not current_app.config[
                "SQLALCHEMY_DATABASE_URI"
            ].startswith("sqlite")
        on = current_app.extensions["kept_sign_ins_on"] = bool(chosen)
    return on


def _stamp_key(user_id: int) -> str:
    return f"{EVERYONE}:{user_id}"


def _kept() -> dict[str, Kept]:
    return current_app.extensions.setdefault("kept_sign_ins", {})


def seen(token_hash: str) -> Kept | None:
    return _kept().get(token_hash)


def current_stamps(user_id: int) -> tuple[str, str] | None:
    """Everyone's and this person's stamps (with the other stamps most pages need, one round trip). None when the
    cache can't be reached: then nothing is kept or trusted."""
    try:
        return stamps.current(EVERYONE, _stamp_key(user_id), lasts=STAMP_LASTS)
    except Exception:  # noqa: BLE001 (Redis down: read the database, as without it)
        current_app.logger.warning("Kept sign-ins: the cache can't be reached", exc_info=True)
        return None


def still_good(found: Kept, stamps: tuple[str, str] | None) -> bool:
    return (
        found.person is not None
        and stamps is not None
        and found.stamps == stamps
        and time.monotonic() - found.kept_at < KEEP_FOR
    )


def remember_token(token_hash: str, user_id: int) -> None:
    """A token seen for the first time: next time its person's stamp is read first, and then it can be kept."""
    _keep(token_hash, Kept(user_id, None, time.monotonic()))


def keep(
    token_hash: str,
    stamps: tuple[str, str],
    user: User,
    session_id: int,
    remember: bool,
    created_at: datetime,
    last_seen_at: datetime,
) -> None:
    """What the sign-in statement read, kept under the stamps read before it."""
    person = {column.key: getattr(user, column.key) for column in inspect(User).column_attrs}
    school = None
    if user.school is not None:
        school = {column.key: getattr(user.school, column.key) for column in _school().column_attrs}
    roles = tuple(grant.role for grant in user.role_grants)
    found = Kept(
        user.id, stamps, time.monotonic(), person, school, roles, session_id, remember, created_at, last_seen_at
    )
    _keep(token_hash, found)


def drop(token_hash: str) -> None:
    """The database says this token signs nobody in (any more)."""
    _kept().pop(token_hash, None)


def _keep(token_hash: str, found: Kept) -> None:
    kept = _kept()
    if len(kept) >= MOST_KEPT:
        kept.clear()
    kept[token_hash] = found


def recall(found: Kept) -> User:
    """The kept person, school and roles, in this request's database session."""
    session = db.session()
    held = session.identity_map.get(inspect(User).identity_key_from_primary_key((found.user_id,)))
    if held is not None:
        return held
    school = as_loaded(session, _school(), found.school, (found.school["id"],)) if found.school else None
    grants = [
        as_loaded(session, inspect(RoleGrant), {"user_id": found.user_id, "role": role}, (found.user_id, role))
        for role in found.roles
    ]
    user = as_loaded(session, inspect(User), {**found.person, "school": school}, (found.user_id,))
    attributes.set_committed_value(user, "role_grants", grants)
    for grant in grants:
        attributes.set_committed_value(grant, "user", user)
    return user


# Noting what changed, and replacing stamps when it commits ---------------------------------------------------


def _note(session, people) -> None:
    """`people`: the ids of the people changed, or None for everyone."""
    noted = session.info.get("signed_in_changes", set())
    if noted is None or people is None:
        session.info["signed_in_changes"] = None
    else:
        session.info["signed_in_changes"] = noted | set(people)


def _note_changes(session, _context) -> None:
    people: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, _school().class_):
            _note(session, None)
            return
        if isinstance(instance, User):
            people.add(instance.id)
        elif isinstance(instance, RoleGrant | DeviceSession):
            people.add(instance.user_id)
    if people:
        _note(session, people)


def _note_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(state.statement, "table", None) not in _tables():
        return
    people = state.execution_options.get(PEOPLE_OPTION)
    if people is None or people:
        _note(state.session, people)


def _new_stamps_after_commit(session) -> None:
    if "signed_in_changes" not in session.info:
        return
    people = session.info.pop("signed_in_changes")
    forget(people)


def forget(people: set[int] | None) -> None:
    """New stamps for these people (None: everyone), so every process reads them from the database again."""
    if not has_app_context() or not is_on():  # a session made outside the app has no cache to tell
        return
    keys = [EVERYONE] if people is None else [_stamp_key(person) for person in people if person is not None]
    if not keys:
        return
    try:
        stamps.replace(*keys, lasts=STAMP_LASTS)
    except Exception:  # noqa: BLE001
        # Neither written nor deleted: other processes can't be told. Keep nothing here meanwhile; the others
        # trust what they keep for at most KEEP_FOR.
        current_app.logger.exception("Kept sign-ins: new stamps could not be written")
        _kept().clear()


def _drop_note(session) -> None:
    session.info.pop("signed_in_changes", None)


def install() -> None:
    if not event.contains(Session, "after_commit", _new_stamps_after_commit):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _new_stamps_after_commit)
        event.listen(Session, "after_rollback", _drop_note)

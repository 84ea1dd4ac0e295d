"""Stamps in the shared cache: how every app process learns that something it keeps has changed.

A process keeps some things it read from the database between requests (signed-in people, school years), filed
under a stamp: a random value in the cache that every committed change to them replaces. A stamp is read before
the database and replaced only after a commit, so nothing is ever filed under a stamp newer than its rows.

A request reads each stamp at most once, and the stamps most pages need in one round trip: the first read of a
request also fetches every stamp registered with `read_together` (on PostgreSQL with Redis, the signed-in
person's stamps and the calendars' were two round trips on every page that shows a day)."""

import secrets

from flask import current_app, has_request_context, request

from .extensions import cache

# Registered stamps, each with how long it lasts in the cache (None: the cache's default).
_READ_TOGETHER: dict[str, int | None] = {}


def read_together(key: str, lasts: int | None = None) -> None:
    """A stamp most pages read: fetched with the first stamp any request reads."""
    _READ_TOGETHER[key] = lasts


def current(*keys: str, lasts: int | None = None) -> tuple[str | None, ...]:
    """The stamps under these keys, as this request first read them; a missing one is made (the first process to
    make it wins). None for each where the cache keeps nothing (NullCache). Raises what the cache raises when it
    can't be reached."""
    known = _read_this_request()
    wanted = [key for key in keys if key not in known]
    if wanted:
        asked = wanted + [key for key in _READ_TOGETHER if key not in known and key not in wanted]
        for key, value in zip(asked, cache.get_many(*asked), strict=True):
            if value is None:
                cache.add(key, secrets.token_hex(8), timeout=_READ_TOGETHER.get(key, lasts))
                value = cache.get(key)
            known[key] = value
    return tuple(known[key] for key in keys)


def replace(*keys: str, lasts: int | None = None) -> None:
    """New stamps, after a change committed: what every process filed under the old ones is read again. Where
    the cache refuses the write but still deletes (Redis out of memory refuses only writes that add), the stamps
    are deleted instead, which does the same: the next reader makes new ones. Raises when neither works."""
    _forget_read(keys)
    try:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=lasts)
    except Exception:  # noqa: BLE001
        current_app.logger.warning("Stamps %s could not be replaced; deleting them", keys, exc_info=True)
        cache.delete_many(*keys)


def _read_this_request() -> dict[str, str | None]:
    if not has_request_context():  # scripts and the worker: read every time
        return {}
    return request.__dict__.setdefault("_stamps", {})


def _forget_read(keys) -> None:
    if has_request_context():
        known = request.__dict__.get("_stamps", {})
        for key in keys:
            known.pop(key, None)

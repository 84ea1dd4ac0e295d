"""Links that leave the app (emails, calendar feeds, copied addresses) and links that come back into it."""

from urllib.parse import urlsplit

from flask import current_app, url_for

# A next= or a pasted link counts as in-app only if it is a plain path: no scheme, no host, and none of the
# spellings browsers read as another host ("//evil", "/\\evil", a tab or newline inside).
_UNSAFE_IN_PATH = ("\\", "\t", "\n", "\r")


def external_url(endpoint: str, **values) -> str:
    """A full link built from WALKTHROUGH_BASE_URL, never from the Host a request came in on."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def is_in_app_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(mark in target for mark in _UNSAFE_IN_PATH):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default_endpoint: str = "home.index") -> str:
    """Follow a ?next= only when it stays on this site; otherwise go to the default page."""
    return target if is_in_app_path(target) else url_for(default_endpoint)

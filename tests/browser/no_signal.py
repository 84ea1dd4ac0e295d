"""A phone that loses its signal: nothing it sends arrives, whoever in Chromium sends it.

Playwright's offline switch and a route that fails every request cover what a page and its service worker
fetch, but not everything Chromium sends for them: its check for a new service worker went out while the
phone was "offline", and once, under a loaded CI machine, a note the page started offline reached the
server (2026-12-07). So the live server also cuts off whoever signed in on that phone: their requests get
no answer at all (the connection closes), which is what a fetch without signal sees too. People on other
tabs (a walk's second observer, say) are served as before."""

import logging
import socket
import threading

from itsdangerous import BadSignature
from werkzeug.http import parse_cookie

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)  # what was cut off shows among the live server's lines when a test fails

_lock = threading.Lock()
_sessions_without_signal: set[str] = set()  # the session cookies of phones with no signal


def lose_signal(page) -> None:
    """No signal at all: the page reads as offline and nothing it, its worker or Chromium sends for it arrives."""
    page.context.set_offline(True)
    page.context.route("**/*", unanswered)
    with _lock:
        _sessions_without_signal.update(session_cookies(page))


def regain_signal(page) -> None:
    with _lock:
        _sessions_without_signal.difference_update(session_cookies(page))
    page.context.unroute("**/*", unanswered)
    page.context.set_offline(False)


def everyone_regains_signal() -> None:
    """After each test, so a test that fails while a phone has no signal leaves nobody cut off for the next."""
    with _lock:
        _sessions_without_signal.clear()


def unanswered(route) -> None:
    """A Playwright route handler: the request fails as it does with no signal."""
    route.abort("internetdisconnected")


def session_cookies(page) -> set[str]:
    return {cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "session"}


def cut_off_without_signal(app) -> None:
    """Wraps the live server's app so that requests from a person whose phone has no signal are dropped."""
    serializer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    serve = app.wsgi_app

    def person(cookie: str):
        try:
            return serializer.loads(cookie).get("_user_id")
        except BadSignature:
            return None

    def wsgi_app(environ, start_response):
        with _lock:
            cut_off = {person(cookie) for cookie in _sessions_without_signal} - {None}
        cookie = parse_cookie(environ).get(cookie_name)
        if cut_off and cookie and person(cookie) in cut_off:
            log.info("no signal: %s %s never arrived", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise ConnectionAbortedError("the phone has no signal")  # the dev server drops the connection
        return serve(environ, start_response)

    app.wsgi_app = wsgi_app

"""Friendly error pages that keep the layout and say what to do next."""

import logging

import psycopg
from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from .extensions import db, login_manager
from .htmx import wants_fragment

log = logging.getLogger(__name__)

ADVICE = {
    400: ("Something in that request didn't make sense", "Go back, reload the page and try again."),
    401: ("Please sign in", "Sign in to continue."),
    403: ("That page isn't open to you", "If you think you should have access, ask your school's Walkthrough admin."),
    404: ("We couldn't find that page", "Check the address, or start again from the home page."),
    405: ("That action isn't available here", "Go back and use the buttons on the page."),
    413: ("That file is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    503: (
        "Walkthrough can't reach its database just now",
        "This usually passes within a minute. Notes you are typing stay on your phone and are sent when it's back; "
        "for anything else, wait a moment and try again.",
    ),
    500: (
        "Something went wrong on our side",
        "Nothing you did caused this. It has been logged; try again in a moment.",
    ),
}


def render_error(status: int, detail: str | None = None):
    title, advice = ADVICE.get(status, ADVICE[500] if status >= 500 else ADVICE[400])
    template = "errors/_error.html" if wants_fragment() else "errors/page.html"
    return render_template(template, status=status, title=title, advice=advice, detail=detail), status


# SQLite's OperationalError also covers mistakes in a query; only these mean "can't get at the data".
SQLITE_UNREACHABLE = ("database is locked", "unable to open database", "disk i/o error", "database or disk is full")


def _is_unreachable(error: DBAPIError) -> bool:
    if error.connection_invalidated or isinstance(error.orig, psycopg.OperationalError):
        return True
    return isinstance(error, OperationalError) and str(error.orig).lower().startswith(SQLITE_UNREACHABLE)


def _close_session_even_if_the_database_is_gone(exception: BaseException | None) -> None:
    """Runs before Flask-SQLAlchemy's own teardown. If the database dies after a page was made, closing
    the session fails; the page must still go out, and the pool replaces the dead connection."""
    try:
        db.session.remove()
    except DBAPIError as error:
        log.warning("Closing a database session failed: %s", error.orig)
        db.session.registry.clear()


def init_errors(app: Flask) -> None:
    app.teardown_appcontext(_close_session_even_if_the_database_is_gone)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "The form had expired or came from another site. Reload the page and send it again.")

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # A request for a host that isn't ours (a forged Host or X-Forwarded-Host): no page is built, since
        # its links would carry that host. Plain words, no layout.
        log.warning("Refused a request for an untrusted host: %s", error.description)
        return "This address isn't served here.", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            return render_error(429, error.description)
        if error.code in (400, 503) and error.description != type(error).description:
            return render_error(error.code, error.description)  # our own words about what to do
        return render_error(error.code or 500)

    @app.errorhandler(DBAPIError)
    def database_unreachable(error: DBAPIError):
        if not _is_unreachable(error):
            return unexpected_error(error)
        log.warning("Database unavailable: %s", error.orig)
        try:
            db.session.rollback()
        except DBAPIError:
            pass  # the connection is already gone; the pool replaces it once the database is back
        g._login_user = login_manager.anonymous_user()  # the page mustn't ask the database who is signed in
        body, status = render_error(503)
        return body, status, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error")
        db.session.rollback()
        return render_error(InternalServerError.code)

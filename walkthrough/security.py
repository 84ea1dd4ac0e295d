"""Response headers and cookie rules that apply to every page."""

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",  # blob: shows photos waiting on the phone to upload
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    return response


NUL_REFUSED = "Part of what you sent contains a character that can't be stored (a NUL byte). Remove it and send again."


def refuse_nul_characters():
    """No keyboard types a NUL, PostgreSQL can't store one, and some tools treat it as the end of the text."""
    for source in (request.args, request.form):
        if any("\x00" in value for values in source.listvalues() for value in values):
            abort(400, NUL_REFUSED)


def init_security(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)

"""Signed, expiring, single-use links for password resets, invitations and email changes.

A token carries a fingerprint of the address it was sent to, the password hash and the account's link nonce.
Making a new link rotates the nonce, and setting a password or changing the email changes the rest, so only
the newest link works, once, and only for the address it was sent to."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from .models import User, new_link_nonce

RESET = "password-reset"
INVITE = "invitation"
EMAIL_CHANGE = "email-change"
EMAIL_REVERT = "email-revert"

TOKEN_EXPIRED = "This link has expired. Ask for a new one."
TOKEN_INVALID = "This link is not valid or has already been used. Ask for a new one."

_MAX_AGE_SETTING = {
    RESET: "RESET_TOKEN_MAX_AGE",
    INVITE: "INVITE_TOKEN_MAX_AGE",
    EMAIL_CHANGE: "RESET_TOKEN_MAX_AGE",
    EMAIL_REVERT: "EMAIL_REVERT_MAX_AGE",
}


class TokenRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"walkthrough.{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.email}:{user.password_hash or 'no-password'}:{user.link_nonce}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def void_links(user: User) -> None:
    """Every reset, invitation and email-change link already sent to this person stops working."""
    user.link_nonce = new_link_nonce()
    db.session.flush()


def make_token(user: User, purpose: str, *, address: str = "") -> str:
    """A link for this purpose; any earlier link of this person's stops working. `address` is the other
    email an email change is about (the new one to confirm)."""
    void_links(user)
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user), "a": address})


def _signed_data(token: str, purpose: str) -> dict:
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config[_MAX_AGE_SETTING[purpose]])
    except SignatureExpired:
        raise TokenRefused(TOKEN_EXPIRED) from None
    except BadSignature:
        raise TokenRefused(TOKEN_INVALID) from None
    if not isinstance(data, dict):
        raise TokenRefused(TOKEN_INVALID)
    return data


def read_token(token: str, purpose: str) -> tuple[User, str]:
    """The person a link is for and the address it carries, or TokenRefused with a message to show."""
    data = _signed_data(token, purpose)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active_account or data.get("f") != _fingerprint(user):
        raise TokenRefused(TOKEN_INVALID)
    if purpose == INVITE and user.has_password:
        raise TokenRefused(TOKEN_INVALID)
    address = data.get("a")
    return user, address if isinstance(address, str) else ""


def user_for_token(token: str, purpose: str) -> User:
    return read_token(token, purpose)[0]


def make_revert_token(user: User, *, old_address: str) -> str:
    """The "this wasn't me" link sent to the old address. It doesn't depend on the password or on newer links,
    so whoever changed the address can't void it by resetting the password; it works while the account isn't
    back at the old address."""
    return _serializer(EMAIL_REVERT).dumps({"u": user.id, "a": old_address})


def read_revert_token(token: str) -> tuple[User, str]:
    data = _signed_data(token, EMAIL_REVERT)
    if not isinstance(data.get("u"), int) or not isinstance(data.get("a"), str):
        raise TokenRefused(TOKEN_INVALID)
    user = db.session.get(User, data["u"])
    if user is None or user.departed_at is not None or user.email == data["a"]:
        raise TokenRefused(TOKEN_INVALID)
    return user, data["a"]

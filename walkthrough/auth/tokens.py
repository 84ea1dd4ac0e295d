"""Signed, expiring, single-use links for password resets and invitations.

A token carries a fingerprint of the account's password hash and session token; setting a
password changes both, so a link works once and stops working after any password change."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from .models import User

RESET = "password-reset"
INVITE = "invitation"

TOKEN_EXPIRED = "This link has expired. Ask for a new one."
TOKEN_INVALID = "This link is not valid or has already been used. Ask for a new one."


class TokenRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"walkthrough.{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or 'no-password'}:{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def max_age(purpose: str) -> int:
    key = "RESET_TOKEN_MAX_AGE" if purpose == RESET else "INVITE_TOKEN_MAX_AGE"
    return current_app.config[key]


def user_for_token(token: str, purpose: str) -> User:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired:
        raise TokenRefused(TOKEN_EXPIRED) from None
    except BadSignature:
        raise TokenRefused(TOKEN_INVALID) from None
    if not isinstance(data, dict):
        raise TokenRefused(TOKEN_INVALID)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active_account or data.get("f") != _fingerprint(user):
        raise TokenRefused(TOKEN_INVALID)
    if purpose == INVITE and user.has_password:
        raise TokenRefused(TOKEN_INVALID)
    return user

"""Accounts: signing in, resetting passwords, inviting people."""

import secrets
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..audit.services import record as audit
from ..db_types import utcnow
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..urls import external_url
from . import tokens
from .models import Role, User

# One message whether the account is missing, not set up yet or the password is wrong, so sign-in
# can't be used to find out who has an account.
BAD_CREDENTIALS = (
    "That email and password don't match an account. Check both and try again. If you were invited and "
    "haven't chosen a password yet, use the link in your invitation or “Forgot your password?”."
)
EMAIL_TAKEN = "Someone already has an account with this email."
ADMIN_AND_COACH = (
    "One person can't be both an admin and a coach: a coach reads coaching records that admins never see. Choose one."
)
PASSWORD_TOO_SHORT = "Use at least 10 characters."
PASSWORD_TOO_COMMON = "This password is too easy to guess ({why}). Try three or four unrelated words."
MIN_PASSWORD_LENGTH = 10
# zxcvbn's score: 0 and 1 are passwords on common lists or a few small changes from one (NIST 800-63B).
LOWEST_PASSWORD_SCORE = 2


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


@cache
def _hash_of_nothing() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate(*, email: str, password: str) -> User:
    user = find_user_by_email(email)
    if user is None or not user.is_active_account or not user.has_password:
        # Check a password anyway, so a missing account takes as long to refuse as a wrong password.
        check_password_hash(_hash_of_nothing(), password)
        raise RuleViolation(BAD_CREDENTIALS)
    if not user.check_password(password):
        raise RuleViolation(BAD_CREDENTIALS)
    user.last_login_at = utcnow()
    return user


def check_new_password(password: str, *, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(PASSWORD_TOO_SHORT, field="password")
    hints = [user.email, user.email.split("@")[0], user.name] if user is not None else []
    judged = zxcvbn(password[:100], user_inputs=hints)
    if judged["score"] < LOWEST_PASSWORD_SCORE:
        why = (judged["feedback"]["warning"] or "it is close to a common password").rstrip(".").lower()
        raise RuleViolation(PASSWORD_TOO_COMMON.format(why=why), field="password")


def set_password(*, user: User, password: str) -> None:
    check_new_password(password, user=user)
    user.set_password(password)
    db.session.flush()


def request_password_reset(*, email: str) -> None:
    """Email a reset link if the account exists; say nothing either way, so the form can't be
    used to find out who has an account."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        return
    if not user.has_password:
        send_invitation(user=user)
        return
    link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.RESET))
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    send_email(to=user.email, kind="auth/reset_password", person=user, link=link, minutes=minutes)


def send_invitation(*, user: User, invited_by: User | None = None) -> None:
    from .sso import label, password_refused  # sso builds on these services

    days = current_app.config["INVITE_TOKEN_MAX_AGE"] // 86400
    if password_refused(user.email):  # the district account is the way in: no password to choose
        link, sso_label = external_url("auth.sso_start"), label()
    else:
        link, sso_label = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITE)), ""
    send_email(
        to=user.email,
        kind="auth/invitation",
        person=user,
        invited_by=invited_by,
        link=link,
        days=days,
        sso_label=sso_label,
    )
    user.invited_at = utcnow()
    db.session.flush()


def invite_person(*, email: str, name: str, roles: set[Role], school_id: int | None, actor: User) -> User:
    email = normalise_email(email)
    if {Role.ADMIN, Role.COACH} <= roles:
        raise RuleViolation(ADMIN_AND_COACH, field="roles")
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise RuleViolation(EMAIL_TAKEN, field="email")
    user = User(email=email, name=name.strip(), school_id=school_id)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit(actor, "person_invited", person=email, roles=sorted(role.value for role in roles))
    send_invitation(user=user, invited_by=actor)
    return user

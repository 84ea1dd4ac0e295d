"""Changing the email address of an account in use: only its owner, confirmed from the new address, with a
note to the old one that can undo it. An admin may only correct the address of an invitation nobody has
accepted yet (the address is how a reset link reaches a person, so changing it is taking the account)."""

from sqlalchemy import func, select

from ..audit.services import record as audit
from ..extensions import db
from ..outbox.services import send_email
from ..rules import RuleViolation
from ..urls import external_url
from . import sessions, tokens
from .models import User
from .services import EMAIL_TAKEN, normalise_email, send_invitation

WRONG_PASSWORD = "That isn't your current password."
SAME_EMAIL = "That is already your email address."
EMAIL_IN_USE = (
    "Only the person can change the email of an account they have set up; they can do it on their Account page."
)
NOT_BACK = "The old address now belongs to another account, so it can't be restored. Ask an admin for help."


def _taken(email: str, *, other_than: User) -> bool:
    query = select(func.count()).select_from(User).where(User.email == email, User.id != other_than.id)
    return bool(db.session.scalar(query))


def is_setup(person: User) -> bool:
    """Someone has accepted the invitation (chosen a password or signed in): the account is theirs."""
    return person.has_password or person.last_login_at is not None


def request_change(*, user: User, new_email: str, password: str) -> str:
    """Send a confirmation link to the new address; nothing changes until it is opened. Returns the address."""
    if not user.check_password(password):
        raise RuleViolation(WRONG_PASSWORD, field="password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise RuleViolation(SAME_EMAIL, field="email")
    if _taken(new_email, other_than=user):
        raise RuleViolation(EMAIL_TAKEN, field="email")
    link = external_url("auth.confirm_email", token=tokens.make_token(user, tokens.EMAIL_CHANGE, address=new_email))
    send_email(to=new_email, kind="auth/confirm_new_email", person=user, link=link)
    audit(user, "email_change_requested")
    return new_email


def confirm_change(*, token: str) -> tuple[User, str]:
    """Move the account to the confirmed address, end its sessions and tell the old address. Returns the
    person and the old address."""
    user, new_email = tokens.read_token(token, tokens.EMAIL_CHANGE)
    if not new_email or _taken(new_email, other_than=user):
        raise tokens.TokenRefused(tokens.TOKEN_INVALID)
    old_email = user.email
    user.email = new_email
    tokens.void_links(user)  # this link and any other sent before stop working
    sessions.end_sessions(user)
    undo = external_url("auth.revert_email", token=tokens.make_revert_token(user, old_address=old_email))
    send_email(to=old_email, kind="auth/email_changed", person=user, new_email=new_email, link=undo)
    audit(user, "email_changed", before=old_email, after=new_email)
    db.session.flush()
    return user, old_email


def revert_change(*, token: str) -> User:
    """ "This wasn't me": back to the old address, nobody signed in, and a new password chosen from there."""
    user, old_email = tokens.read_revert_token(token)
    if _taken(old_email, other_than=user):
        raise RuleViolation(NOT_BACK)
    taken_by = user.email
    user.email = old_email
    user.password_hash = None
    sessions.end_sessions(user)
    link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.RESET))
    send_email(to=old_email, kind="auth/email_restored", person=user, link=link)
    audit(user, "email_change_reverted", before=taken_by, after=old_email)
    db.session.flush()
    return user


def correct_invitation_email(*, person: User, new_email: str, actor: User) -> None:
    """An admin fixes a typo in an invitation nobody has accepted; the old invitation stops working and a new
    one goes to the corrected address."""
    new_email = normalise_email(new_email)
    if new_email == person.email:
        return
    if is_setup(person):
        raise RuleViolation(EMAIL_IN_USE, field="email")
    if _taken(new_email, other_than=person):
        raise RuleViolation(EMAIL_TAKEN, field="email")
    old_email = person.email
    person.email = new_email
    audit(actor, "invitation_email_corrected", person=new_email, before=old_email)
    if person.invited_at is not None:
        send_invitation(user=person, invited_by=actor)
    else:
        tokens.void_links(person)

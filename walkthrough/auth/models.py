import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class Role(StrEnum):
    TEACHER = "teacher"
    COACH = "coach"
    ADMIN = "admin"
    SUBSTITUTE = "substitute"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def plural(self) -> str:
        return {"coach": "Coaches"}.get(self.value, self.label + "s")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def new_link_nonce() -> str:
    return secrets.token_hex(8)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so that sign-in and roster matching ignore case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of every emailed link's fingerprint; a newer link, an email change or a password change
    # rotates it, so only the newest link works.
    link_nonce: Mapped[str] = mapped_column(String(32), default=new_link_nonce, server_default="")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    subjects: Mapped[str] = mapped_column(String(255), default="")
    grade_band: Mapped[str] = mapped_column(String(20), default="")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret in this person's calendar feed address; regenerating it cuts off old subscriptions.
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    # Minutes of release time a year; None means the school's default (team leaders often get more).
    release_minutes: Mapped[int | None] = mapped_column()
    # Written first when someone is booked to cover, so two admins booking the same person take turns.
    cover_lock: Mapped[int] = mapped_column(default=0)
    # When they last downloaded a copy of everything of theirs; the departure page shows it to the admin.
    data_copy_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when someone left and their personal data was erased; the row stays so counts stay right.
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school = relationship("School", lazy="joined")
    role_grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login keeps the id of this device's session (see auth/sessions.py), never the person's id,
    # so ending the session on the server ends the cookie too.
    def get_id(self) -> str | None:
        return self.__dict__.get("_device_token")

    # UserMixin compares people by get_id(), which is now a device's token (None for everyone not signed in
    # on this request). One row is one object in a session, so identity is the right equality.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def roles(self) -> frozenset[Role]:
        # Asked many times a request (menus, permission checks, a board's dozens of candidates).
        known = self.__dict__.get("_roles")
        if known is None:
            known = self.__dict__["_roles"] = frozenset(Role(grant.role) for grant in self.role_grants)
        return known

    def set_roles(self, roles: set[Role]) -> None:
        self.__dict__.pop("_roles", None)
        current = {grant.role: grant for grant in self.role_grants}
        for role, grant in current.items():
            if role not in roles:
                self.role_grants.remove(grant)
        for role in sorted(roles):
            if role.value not in current:
                self.role_grants.append(RoleGrant(role=role.value))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.link_nonce = new_link_nonce()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleGrant(db.Model):
    __tablename__ = "role_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_grants")


class DeviceSession(db.Model):
    """One signed-in browser. The cookie holds a random token; only its hash is stored, so a copy of the
    database can't sign anyone in. Deleting the row signs that browser out, remember-me cookie included."""

    __tablename__ = "device_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class SsoIdentity(db.Model):
    """A person's account at the district's OpenID Provider: its issuer and subject, the provider's own
    never-reused id for them, so a later change of email at the provider still finds the same person."""

    __tablename__ = "sso_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
        UniqueConstraint("user_id", "issuer", name="uq_sso_identities_user_issuer"),
    )

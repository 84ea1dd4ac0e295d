"""Single sign-on with the district's OpenID Provider (Google Workspace, Microsoft Entra ID, Clever, ClassLink or
any other), through Authlib: authorization code flow with PKCE, state and nonce, discovery from the issuer, and
the ID token's signature (keys fetched again when the provider rotates them), issuer, audience, expiry and
nonce checked.

SSO never creates anyone and never grants a role. A first sign-in links the provider's subject to the invited or
imported account whose address matches a verified email claim in one of the district's domains; from then on
the subject finds the person, whatever their email at the provider becomes."""

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record as audit
from ..db_types import utcnow
from ..extensions import db
from .models import SsoIdentity, User
from .services import find_user_by_email, normalise_email

PROVIDER = "district"


@dataclass
class SsoRefused(Exception):
    """Why a sign-in with the provider was refused: `reason` for the audit log, `message` for the person."""

    reason: str
    message: str
    email: str = ""


UNVERIFIED = "Your district account's email address isn't verified, so Walkthrough can't tell it is yours."
WRONG_DOMAIN = (
    "{email} isn't a {domains} address. Sign in with your district account, or with a password if your "
    "school gave you one."
)
UNKNOWN = "There is no Walkthrough account for {email} yet. Ask your school's office to add you."
DEACTIVATED = "Your Walkthrough account is turned off. If you still work here, ask your school's office."
LINKED_ELSEWHERE = (
    "The Walkthrough account for {email} is already linked to a different district account. Ask your school's "
    "office to check it."
)


def init_sso(app: Flask) -> None:
    """One Authlib registry per app: it keeps the provider's metadata and keys, which differ between apps."""
    if not app.config["OIDC_ISSUER"]:
        return
    # Imported here: Authlib brings requests and cryptography (0.3 s), which a district without SSO never needs.
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_ISSUER"] + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )


def enabled() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(PROVIDER)


def label() -> str:
    return current_app.config["OIDC_LABEL"]


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def district_domain(email: str) -> bool:
    return enabled() and _domain(normalise_email(email)) in current_app.config["OIDC_EMAIL_DOMAINS"]


def password_refused(email: str) -> bool:
    """Passwords are off for the district's own domains when the district says so; people from outside
    (substitutes from an agency, say) keep theirs."""
    return current_app.config["OIDC_PASSWORDS_OFF"] and district_domain(email)


def claims_options() -> dict:
    issuer = client().load_server_metadata()["issuer"]
    return {
        "iss": {"essential": True, "values": [issuer]},
        "sub": {"essential": True},
        "nonce": {"essential": True},
    }


def _verified(claims) -> bool:
    verified = claims.get("email_verified")
    return verified is True or verified == "true" or current_app.config["OIDC_TRUST_EMAIL"]


def _identity(issuer: str, subject) -> SsoIdentity | None:
    return db.session.scalar(
        select(SsoIdentity).where(SsoIdentity.issuer == issuer, SsoIdentity.subject == str(subject))
    )


def person_for(claims, issuer: str) -> User:
    """The Walkthrough account these (already checked) ID token claims belong to, or SsoRefused."""
    identity = _identity(issuer, claims["sub"])
    if identity is not None:
        person = db.session.get(User, identity.user_id)
        if not person.is_active_account:
            raise SsoRefused("deactivated", DEACTIVATED, person.email)
        identity.last_used_at = utcnow()
        return person
    email = normalise_email(str(claims.get("email") or ""))
    if not email or not _verified(claims):
        raise SsoRefused("unverified", UNVERIFIED, email)
    domains = current_app.config["OIDC_EMAIL_DOMAINS"]
    if _domain(email) not in domains:
        raise SsoRefused("wrong_domain", WRONG_DOMAIN.format(email=email, domains=" or ".join(domains)), email)
    person = find_user_by_email(email)
    if person is None:
        raise SsoRefused("unknown", UNKNOWN.format(email=email), email)
    if not person.is_active_account:
        raise SsoRefused("deactivated", DEACTIVATED, email)
    linked = select(SsoIdentity).where(SsoIdentity.issuer == issuer, SsoIdentity.user_id == person.id)
    if db.session.scalar(linked) is not None:
        raise SsoRefused("linked_elsewhere", LINKED_ELSEWHERE.format(email=email), email)
    try:
        with db.session.begin_nested():
            db.session.add(SsoIdentity(user_id=person.id, issuer=issuer, subject=str(claims["sub"])))
    except IntegrityError:
        # The same person's first sign-in on two devices at once: the other one linked it first.
        if _identity(issuer, claims["sub"]) is None or _identity(issuer, claims["sub"]).user_id != person.id:
            raise SsoRefused("linked_elsewhere", LINKED_ELSEWHERE.format(email=email), email) from None
        return person
    audit(person, "sso_linked", issuer=issuer)
    return person

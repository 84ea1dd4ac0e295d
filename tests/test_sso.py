"""Signing in with the district's account, against a real OpenID Provider (oidc-provider, tests/oidc_setup.py):
the whole flow, linking by verified email then by subject, and every forged or wrong ID token refused,
audited, and signing nobody in."""

import html
import time
import urllib.parse

import pytest
from joserfc import jwt
from sqlalchemy import select

from tests.oidc_setup import CLIENT_ID, CLIENT_SECRET, new_key
from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role, SsoIdentity
from walkthrough.extensions import db

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def sso_app(make_app, oidc_provider):
    return make_app(
        OIDC_ISSUER=oidc_provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_LABEL="District account",
        OIDC_EMAIL_DOMAINS=["district.example"],
    )


@pytest.fixture
def maya(make_user, oidc_provider):
    oidc_provider.set_account("maya-at-provider", "maya@district.example")
    return make_user(Role.TEACHER, email="maya@district.example", name="Maya Ortiz")


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start(client) -> str:
    response = client.get("/auth/sso")
    assert response.status_code == 302, text(response)
    return response.location


def sign_in(client, provider, email, **kwargs):
    """The whole trip: the app sends the browser to the provider, the person signs in there, and the provider
    sends the browser back to the app's callback."""
    back = provider.sign_in(start(client), email, **kwargs)
    assert back.startswith("http://127.0.0.1:5000/auth/sso/callback"), back
    return client.get(path_of(back))


def text(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def refusals(reason: str) -> list[AuditEvent]:
    db.session.expire_all()
    found = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sso_refused")).all()
    return [event for event in found if event.detail.get("reason") == reason]


def test_the_sign_in_page_offers_the_district_account(sso_app):
    page = text(sso_app.test_client().get("/auth/login"))
    assert "Sign in with District account" in page


def test_a_first_sign_in_links_the_account_and_later_ones_find_it_by_subject(sso_app, oidc_provider, maya):
    client = sso_app.test_client()
    authorize = urllib.parse.parse_qs(urllib.parse.urlsplit(start(client)).query)
    assert authorize["code_challenge_method"] == ["S256"] and authorize["code_challenge"][0]
    assert authorize["state"][0] and authorize["nonce"][0] and authorize["scope"] == ["openid email profile"]

    response = sign_in(client, oidc_provider, "maya@district.example")
    assert response.status_code == 302 and response.location == "/"
    assert signed_in(client)
    identity = db.session.scalar(select(SsoIdentity))
    assert (identity.user_id, identity.subject, identity.issuer) == (maya.id, "maya-at-provider", oidc_provider.issuer)

    # Her address changes at the provider; the subject still finds her.
    oidc_provider.set_account("maya-at-provider", "maya.ortiz@district.example")
    again = sso_app.test_client()
    assert sign_in(again, oidc_provider, "maya.ortiz@district.example").status_code == 302
    assert signed_in(again)


def test_sso_never_creates_anyone(sso_app, oidc_provider, make_user):
    oidc_provider.set_account("stranger", "new.teacher@district.example")
    client = sso_app.test_client()
    page = sign_in(client, oidc_provider, "new.teacher@district.example")
    assert page.status_code == 403 and "Ask your school's office to add you" in text(page)
    assert not signed_in(client)
    assert len(refusals("unknown")) == 1 and refusals("unknown")[0].actor_email == "new.teacher@district.example"
    assert db.session.scalar(select(SsoIdentity)) is None


@pytest.mark.parametrize(
    ("email", "verified", "reason"),
    [
        ("maya@district.example", False, "unverified"),
        ("maya@gmail.example", True, "wrong_domain"),
    ],
)
def test_an_unverified_or_outside_email_is_refused(sso_app, oidc_provider, make_user, email, verified, reason):
    make_user(Role.TEACHER, email=email)
    oidc_provider.set_account(f"someone-{reason}", email, verified=verified)
    client = sso_app.test_client()
    assert sign_in(client, oidc_provider, email).status_code == 403
    assert not signed_in(client) and len(refusals(reason)) == 1


def test_a_deactivated_account_is_refused_even_when_linked(sso_app, oidc_provider, maya):
    assert sign_in(sso_app.test_client(), oidc_provider, maya.email).status_code == 302
    maya.is_active_account = False
    db.session.commit()
    client = sso_app.test_client()
    page = sign_in(client, oidc_provider, maya.email)
    assert page.status_code == 403 and "turned off" in text(page)
    assert not signed_in(client) and len(refusals("deactivated")) == 1


def test_cancelling_at_the_provider_says_so(sso_app, oidc_provider, maya):
    client = sso_app.test_client()
    page = sign_in(client, oidc_provider, maya.email, cancel=True)
    assert page.status_code == 400 and "didn't finish signing in" in text(page)
    assert not signed_in(client) and len(refusals("cancelled")) == 1


def _forged(oidc_provider, authorize_url: str, key=None, **changes) -> str:
    nonce = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize_url).query)["nonce"][0]
    now = int(time.time())
    claims = {
        "iss": oidc_provider.issuer,
        "sub": "maya-at-provider",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": nonce,
        "email": "maya@district.example",
        "email_verified": True,
    } | changes
    key = key or oidc_provider.key
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def test_the_forgery_harness_signs_in_when_nothing_is_wrong(sso_app, oidc_provider, maya):
    """The control for the test below: the same token made right is accepted, so each refusal there is for the
    one thing that test changed."""
    client = sso_app.test_client()
    authorize_url = start(client)
    oidc_provider.forge_next_id_token(_forged(oidc_provider, authorize_url))
    assert client.get(path_of(oidc_provider.sign_in(authorize_url, maya.email))).status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize(
    "forgery",
    ["other key", "expired", "wrong audience", "wrong issuer", "not yet valid", "no nonce"],
)
def test_a_forged_or_wrong_id_token_is_refused_and_signs_nobody_in(sso_app, oidc_provider, maya, forgery):
    client = sso_app.test_client()
    authorize_url = start(client)
    now = int(time.time())
    changes = {
        "other key": {"key": new_key(oidc_provider.key.kid)},  # same key id, an attacker's key
        "expired": {"exp": now - 600, "iat": now - 900},  # past the minute of clock skew allowed
        "wrong audience": {"aud": "another-app"},
        "wrong issuer": {"iss": "https://accounts.attacker.example"},
        "not yet valid": {"iat": now + 900, "exp": now + 1200},
        "no nonce": {"nonce": None},
    }[forgery]
    token = _forged(oidc_provider, authorize_url, **changes)
    oidc_provider.forge_next_id_token(token)
    back = oidc_provider.sign_in(authorize_url, maya.email)
    page = client.get(path_of(back))
    assert page.status_code == 400, text(page)
    assert "couldn't confirm" in text(page)
    assert not signed_in(client) and len(refusals("bad_token")) == 1
    assert db.session.scalar(select(SsoIdentity)) is None


def test_a_replayed_id_token_fails_the_nonce(sso_app, oidc_provider, maya):
    first = sso_app.test_client()
    assert sign_in(first, oidc_provider, maya.email).status_code == 302
    stolen = oidc_provider.last_id_token()
    attacker = sso_app.test_client()
    authorize_url = start(attacker)
    oidc_provider.forge_next_id_token(stolen)
    page = attacker.get(path_of(oidc_provider.sign_in(authorize_url, maya.email)))
    assert page.status_code == 400 and not signed_in(attacker) and len(refusals("bad_token")) == 1


def test_a_callback_without_the_browsers_state_is_refused(sso_app, oidc_provider, maya):
    victim, attacker = sso_app.test_client(), sso_app.test_client()
    back = oidc_provider.sign_in(start(attacker), maya.email)
    page = victim.get(path_of(back))  # login CSRF: the attacker's code in the victim's browser
    assert page.status_code == 400 and not signed_in(victim)


def test_new_signing_keys_are_fetched_when_the_provider_rotates_them(sso_app, oidc_provider, maya):
    assert sign_in(sso_app.test_client(), oidc_provider, maya.email).status_code == 302
    oidc_provider.rotate_key()
    client = sso_app.test_client()
    assert sign_in(client, oidc_provider, maya.email).status_code == 302 and signed_in(client)


def test_an_unreachable_provider_gets_a_page_that_says_so(make_app, maya):
    from tests.smtp_setup import free_port

    dead = make_app(
        OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_EMAIL_DOMAINS=["district.example"],
    )
    page = dead.test_client().get("/auth/sso")
    assert page.status_code == 503 and "isn't answering" in text(page)
    assert len(refusals("unreachable")) == 1


def test_passwords_off_for_the_district_but_not_for_outsiders(make_app, oidc_provider, make_user):
    app = make_app(
        OIDC_ISSUER=oidc_provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_EMAIL_DOMAINS=["district.example"],
        OIDC_PASSWORDS_OFF=True,
        RATELIMIT_ENABLED=False,
    )
    from tests.conftest import PASSWORD

    make_user(Role.TEACHER, email="maya@district.example")
    make_user(Role.SUBSTITUTE, email="sid@agency.example")
    client = app.test_client()
    refused = client.post("/auth/login", data={"email": "maya@district.example", "password": PASSWORD})
    assert refused.status_code == 422 and "Staff sign in with" in text(refused)
    assert not signed_in(client)
    reset = client.post("/auth/forgot", data={"email": "Maya@District.example"})
    assert reset.status_code == 422 and "no password for district staff" in text(reset)
    outsider = client.post("/auth/login", data={"email": "sid@agency.example", "password": PASSWORD})
    assert outsider.status_code == 302 and signed_in(client)


def test_with_passwords_off_an_invitation_says_to_sign_in_with_the_district_account(
    make_app, make_user, oidc_provider, outbox
):
    from walkthrough.auth.models import User
    from walkthrough.auth.services import invite_person

    admin_id = make_user(Role.ADMIN, email="dee@district.example").id
    app = make_app(
        OIDC_ISSUER=oidc_provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_LABEL="Lakeside Schools",
        OIDC_EMAIL_DOMAINS=["district.example"],
        OIDC_PASSWORDS_OFF=True,
    )
    with app.app_context():
        admin = db.session.get(User, admin_id)
        for email, role in (("new@district.example", Role.TEACHER), ("sub@agency.example", Role.SUBSTITUTE)):
            invite_person(email=email, name="Someone New", roles={role}, school_id=None, actor=admin)
        db.session.commit()
    staff, outsider = outbox("new@district.example"), outbox("sub@agency.example")
    assert "Sign in with Lakeside Schools" in staff[0].body and "/auth/sso" in staff[0].body
    assert "Choose your password" not in staff[0].body
    assert "Choose your password" in outsider[0].body


def test_signing_out_offers_the_providers_sign_out(sso_app, oidc_provider, maya):
    client = sso_app.test_client()
    sign_in(client, oidc_provider, maya.email)
    client.post("/auth/logout")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign out of District account too" in page
    out = client.get("/auth/sso/sign-out")
    assert out.status_code == 302 and out.location.startswith(oidc_provider.issuer + "/session/end")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(out.location).query)
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:5000/auth/login"] and query["id_token_hint"]
    assert not signed_in(client)

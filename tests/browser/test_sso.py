"""Signing in with the district's account on a phone, against a real OpenID Provider (tests/oidc_setup.py): the
button on the sign-in page, the provider's page, back to Walkthrough signed in, and out of both again."""

import pytest

from tests.browser.conftest import new_tab, screenshot, serving
from tests.browser.test_phone import check_phone_fit
from tests.conftest import base_test_config
from tests.oidc_setup import CLIENT_ID, CLIENT_SECRET, OidcProvider
from tests.smtp_setup import free_port
from walkthrough import create_app

pytestmark = pytest.mark.browser

TEACHER = "maya.ortiz@district.example"


@pytest.fixture(scope="module")
def sso_server(live_app):
    """A second app on the demo district's database, with SSO on, and a provider that knows it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = OidcProvider(redirect_uris=[f"{base}/auth/sso/callback"], post_logout_uris=[f"{base}/auth/login"])
    provider.set_account("maya-sub", TEACHER, name="Maya Ortiz")
    provider.start()
    app = create_app(
        base_test_config(live_app.config["SQLALCHEMY_DATABASE_URI"])
        | {
            "WTF_CSRF_ENABLED": True,
            "TESTING": False,
            "BASE_URL": base,
            "OIDC_ISSUER": provider.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_LABEL": "Lakeside Schools",
            "OIDC_EMAIL_DOMAINS": ["district.example"],
        }
    )
    try:
        with serving(app, port) as served:
            yield served
    finally:
        provider.stop()


def test_a_teacher_signs_in_with_the_district_account_on_a_phone_and_out_of_both(chromium, sso_server):
    phone = new_tab(chromium, sso_server)
    try:
        phone.goto("/auth/login")
        check_phone_fit(phone)
        screenshot(phone, "sso-login")
        phone.get_by_role("link", name="Sign in with Lakeside Schools").click()
        phone.get_by_role("heading", name="District sign-in").wait_for()
        phone.get_by_label("Email").fill(TEACHER)
        phone.get_by_role("button", name="Continue").click()
        phone.wait_for_url(f"{sso_server}/")
        phone.get_by_role("heading", level=1).wait_for()
        assert "Maya" in phone.locator("body").inner_text()
        screenshot(phone, "sso-signed-in")

        phone.get_by_role("button", name="Sign out").first.click()
        phone.get_by_role("link", name="Sign out of Lakeside Schools too").click()
        screenshot(phone, "sso-provider-sign-out")
        phone.get_by_role("button", name="Yes, sign me out").click()
        phone.wait_for_url(f"{sso_server}/auth/login**")  # with the state the provider sends back
        phone.goto("/")
        assert phone.url.startswith(f"{sso_server}/auth/login")
        assert phone.console_errors == [], phone.console_errors
    finally:
        phone.context.close()

"""Headers, cookies, CSRF, rate limits, error pages and configuration."""

import logging
import uuid

import pytest

from tests.conftest import PASSWORD
from walkthrough.auth.models import Role
from walkthrough.auth.routes import LOGIN_RATE_LIMITED
from walkthrough.config import ConfigError, load_config, normalise_database_url


@pytest.mark.parametrize("path", ["/auth/login", "/", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    for path in ("/", "/admin/schools", "/admin/people", "/admin/roster", "/account"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " on" + "click=" not in page
        assert page.count("<script") == page.count('<script src="/static/') == 3  # htmx, app.js, offline.js


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(make_user, app):
    user = make_user()
    plain = app.test_client()
    plain.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = plain.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    secure = app.test_client()
    secure.post("/auth/login", data={"email": user.email, "password": PASSWORD}, base_url="https://localhost")
    cookie = secure.get_cookie("session")
    assert cookie.secure and cookie.http_only
    assert "Strict-Transport-Security" in secure.get("/", base_url="https://localhost").headers


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_a_form_post_without_the_csrf_token_is_refused_kindly(csrf_client, make_user):
    make_user(email="maya@school.example")
    response = csrf_client.post("/auth/login", data={"email": "maya@school.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_htmx_requests_carry_the_csrf_token_in_a_header(csrf_client, make_user, make_school):
    import re

    school = make_school()
    admin = make_user(Role.ADMIN)
    login_page = csrf_client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    csrf_client.post("/auth/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    page = csrf_client.get(f"/admin/schools/{school.id}").get_data(as_text=True)
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    data = {
        "new-period-name": "Period 1",
        "new-period-starts_at": "08:00",
        "new-period-ends_at": "08:50",
        "new-period-days": ["mon", "tue"],
    }
    refused = csrf_client.post(f"/admin/schools/{school.id}/periods", data=data, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = csrf_client.post(
        f"/admin/schools/{school.id}/periods", data=data, headers={"HX-Request": "true", "X-CSRFToken": header_token}
    )
    assert accepted.status_code == 200 and "Period 1" in accepted.get_data(as_text=True)


@pytest.fixture
def limited_app(app, make_app):
    return make_app(
        RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes", LOGIN_LIMIT_PER_ADDRESS="5 per 5 minutes"
    )


def test_sign_in_attempts_are_limited_per_account(app, limited_app, make_user):
    user = make_user(email="maya@school.example")
    client = limited_app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"email": user.email, "password": "wrong password"}).status_code == 422
    response = client.post("/auth/login", data={"email": "MAYA@school.example", "password": PASSWORD})
    assert response.status_code == 429
    assert LOGIN_RATE_LIMITED.replace("'", "&#39;") in response.get_data(as_text=True)
    other = make_user(email="other@school.example")
    assert client.post("/auth/login", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_sign_in_attempts_are_limited_per_address(app, limited_app, make_user):
    client = limited_app.test_client()
    statuses = [
        client.post("/auth/login", data={"email": f"p{n}@school.example", "password": "x"}).status_code
        for n in range(6)
    ]
    assert statuses == [422] * 5 + [429]
    from_elsewhere = client.post(
        "/auth/login", data={"email": "p9@school.example", "password": "x"}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert from_elsewhere.status_code == 422


def test_unexpected_errors_show_a_friendly_page_and_are_logged(make_app, caplog):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.route("/explode")
    def explode():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/auth/login")
        assert response.status_code == 200
        app.view_functions["explode"].is_public = True
        response = app.test_client().get("/explode")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page and "boom" not in page
    assert any("Unhandled error" in r.getMessage() for r in caplog.records)


def test_not_found_keeps_the_layout_and_offers_a_way_on(client):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "<h1" in page and "Go to sign in" in page


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("WALKTHROUGH_ENV", "production")
    monkeypatch.delenv("WALKTHROUGH_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config(tmp_path)


def test_a_local_install_generates_and_keeps_its_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("WALKTHROUGH_ENV", raising=False)
    monkeypatch.delenv("WALKTHROUGH_SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32 and load_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("WALKTHROUGH_ENV", "production")
    monkeypatch.setenv("WALKTHROUGH_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("WALKTHROUGH_BASE_URL", "https://walkthrough.district.example")
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_urls_from_hosting_providers_are_accepted(given, expected):
    assert normalise_database_url(given) == expected


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example", "/\\evil.example", "/\\/evil.example", "\\\\evil.example", "/\tevil"],
)
def test_no_redirect_or_in_app_link_leads_off_the_site(target):
    from walkthrough.urls import is_in_app_path

    assert not is_in_app_path(target)
    assert is_in_app_path("/visits/mine?x=1")


def test_the_cancel_button_never_follows_next_off_the_site(district, client, auth):
    from tests.visit_setup import book, open_slot

    [slot] = open_slot(district)
    observer = district["teachers"][0]
    signup = book(slot, observer)
    auth.login(observer)
    response = client.post(f"/visits/signups/{signup.id}/cancel", data={"next": "https://evil.example/x"})
    assert response.status_code == 302 and response.location == "/visits/mine"


def test_a_goal_evidence_link_that_only_looks_in_app_is_refused(app):
    from walkthrough.coaching.records import _is_safe_link

    assert not _is_safe_link("/\\evil.example") and not _is_safe_link("javascript:alert(1)")
    assert _is_safe_link("/observations/3") and _is_safe_link("https://example.org/video")


def test_downloading_my_data_is_a_post_because_it_records_when(client, auth, make_user):
    auth.login(make_user())
    assert client.get("/reports/my-data.zip").status_code == 405
    assert client.post("/reports/my-data.zip").status_code == 200


def test_production_warns_when_sign_in_limits_are_counted_per_process(make_app, caplog):
    make_app(WALKTHROUGH_PRODUCTION=True, RATELIMIT_STORAGE_URI="memory://")
    assert "Set WALKTHROUGH_RATELIMIT_STORAGE_URI to a Redis URL" in caplog.text
    caplog.clear()
    make_app(WALKTHROUGH_PRODUCTION=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379")
    assert "RATELIMIT_STORAGE_URI" not in caplog.text


def test_sign_in_limits_are_shared_through_redis_when_configured(make_app, make_user):
    """The production setting the README gives works: two app processes count one person's attempts together."""
    import redis

    store = "redis://127.0.0.1:6379/15"
    prefix = f"walkthrough-test-{uuid.uuid4().hex}"  # other test processes may use the same Redis
    limits = dict(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=store,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes",
    )
    first, second = make_app(**limits), make_app(**limits)
    person = make_user()
    for app in (first, second):
        app.test_client().post("/auth/login", data={"email": person.email, "password": "wrong guess"})
    refused = first.test_client().post("/auth/login", data={"email": person.email, "password": "wrong guess"})
    assert refused.status_code == 429
    client = redis.Redis.from_url(store)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)

"""No account can be taken over: links come from the configured base URL, sessions end on the server,
links are bound to the address they were sent to, and only the owner moves an account to a new address."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.people_setup import link_in
from walkthrough.audit.models import AuditEvent
from walkthrough.auth import email_change, services
from walkthrough.auth.models import DeviceSession, Role, User
from walkthrough.db_types import utcnow
from walkthrough.extensions import db

BASE = "https://walkthrough.district.example"


def _login(app, email, password=PASSWORD, remember=False):
    client = app.test_client()
    data = {"email": email, "password": password} | ({"remember": "y"} if remember else {})
    assert client.post("/auth/login", data=data).status_code == 302
    return client


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"Host": "evil.example:443"}])
def test_a_request_for_another_host_is_refused_and_sends_nothing(app, client, make_user, outbox, headers):
    person = make_user()
    response = client.post("/auth/forgot", data={"email": person.email}, headers=headers)
    assert response.status_code == 400 and outbox() == []


def test_behind_a_proxy_a_forged_forwarded_host_is_refused(make_app, make_user, outbox):
    proxied = make_app(PROXY_COUNT=1)
    person = make_user()
    with proxied.test_client() as client:
        response = client.post(
            "/auth/forgot", data={"email": person.email}, headers={"X-Forwarded-Host": "evil.example"}
        )
    assert response.status_code == 400 and outbox() == []


def test_every_emailed_link_is_built_from_the_base_url_whatever_host_asked(make_app, make_user, outbox):
    configured = make_app(BASE_URL=BASE, TRUSTED_HOSTS=["walkthrough.district.example", "localhost", "other.local"])
    person = make_user()
    with configured.test_client() as client:
        client.post("/auth/forgot", data={"email": person.email}, headers={"Host": "other.local"})
    [email] = outbox(person.email, base_url=BASE)
    assert f"{BASE}/auth/reset/" in email.body and "other.local" not in email.body


def test_production_refuses_to_start_without_a_base_url(monkeypatch, tmp_path):
    from walkthrough.config import ConfigError, load_config

    monkeypatch.setenv("WALKTHROUGH_ENV", "production")
    monkeypatch.delenv("WALKTHROUGH_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="WALKTHROUGH_BASE_URL"):
        load_config(tmp_path)
    monkeypatch.setenv("WALKTHROUGH_BASE_URL", BASE + "/")
    config = load_config(tmp_path)
    assert config["BASE_URL"] == BASE and config["TRUSTED_HOSTS"][0] == "walkthrough.district.example"


def test_signing_out_ends_the_session_for_a_copied_cookie_too(app, make_user):
    person = make_user()
    client = _login(app, person.email, remember=True)
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert copied.get("/").status_code == 200 and remembered.get("/").status_code == 200
    client.post("/auth/logout")
    assert copied.get("/").status_code == 302 and remembered.get("/").status_code == 302


def test_a_remembered_cookie_stops_working_when_the_session_is_ended(app, make_user):
    person = make_user()
    client = _login(app, person.email, remember=True)
    remember = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/").status_code == 200  # a browser that restarted
    db.session.execute(update(DeviceSession).values(last_seen_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    client.post("/account/devices/sign-out-others")
    client.post("/auth/logout")
    again = app.test_client()
    again.set_cookie("remember_token", remember)
    assert again.get("/").status_code == 302


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app, make_user):
    admin, person = make_user(Role.ADMIN), make_user()
    person_client, admin_client = _login(app, person.email, remember=True), _login(app, admin.email)
    form = {"name": person.name, "email": person.email, "roles": ["teacher"], "school_id": 0}
    admin_client.post(f"/admin/people/{person.id}", data=form)  # active left unticked
    admin_client.post(f"/admin/people/{person.id}", data=form | {"active": "y"})
    assert person_client.get("/").status_code == 302


def test_sessions_end_after_being_idle_and_after_their_lifetime(app, make_user):
    person = make_user()
    client = _login(app, person.email)
    db.session.execute(update(DeviceSession).values(last_seen_at=utcnow() - timedelta(hours=13)))
    db.session.commit()
    assert client.get("/").status_code == 302
    remembered = _login(app, person.email, remember=True)
    db.session.execute(update(DeviceSession).values(last_seen_at=utcnow() - timedelta(hours=13)))
    db.session.commit()
    assert remembered.get("/").status_code == 200  # "keep me signed in" allows a longer idle time
    db.session.execute(update(DeviceSession).values(created_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert remembered.get("/").status_code == 302


def test_the_account_page_lists_devices_and_signs_out_the_others(app, make_user):
    person = make_user()
    phone, laptop = app.test_client(), _login(app, person.email)
    phone.post(
        "/auth/login",
        data={"email": person.email, "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/140.0 Mobile"},
    )
    page = laptop.get("/account").get_data(as_text=True)
    assert "Chrome on Android" in page and "this device" in page and "Sign out everywhere else" in page
    laptop.post("/account/devices/sign-out-others")
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signed_out_everywhere"))


def test_one_device_signs_out_another_but_never_someone_elses(app, make_user):
    person, other = make_user(), make_user()
    mine, theirs = _login(app, person.email), _login(app, other.email)
    their_session = db.session.scalar(select(DeviceSession).where(DeviceSession.user_id == other.id))
    mine.post(f"/account/devices/{their_session.id}/sign-out")
    assert theirs.get("/").status_code == 200


def test_a_newer_reset_link_voids_the_older_and_a_link_is_bound_to_its_address(app, client, make_user, outbox):
    person = make_user()
    client.post("/auth/forgot", data={"email": person.email})
    client.post("/auth/forgot", data={"email": person.email})
    older, newer = (link_in(m.body) for m in outbox(person.email))
    assert client.get(older).status_code == 400 and client.get(newer).status_code == 200
    db.session.get(User, person.id).email = "moved@school.example"
    db.session.commit()
    assert client.get(newer).status_code == 400


def test_the_owner_changes_their_email_confirmed_from_the_new_address(app, make_user, outbox):
    person = make_user(name="Maya Ortiz")
    original = person.email
    client, other_device = _login(app, person.email), _login(app, person.email)
    refused = client.post(
        "/account", data={"email-email": "maya@new.example", "email-password": "not it", "email-submit": "y"}
    )
    assert refused.status_code == 422 and outbox("maya@new.example") == []
    client.post("/account", data={"email-email": "maya@new.example", "email-password": PASSWORD, "email-submit": "y"})
    db.session.expire_all()
    assert db.session.get(User, person.id).email == original  # nothing changes until confirmed
    confirm = link_in(outbox("maya@new.example")[-1].body)
    assert "Use this address" in client.get(confirm).get_data(as_text=True)
    client.post(confirm)
    db.session.expire_all()
    assert db.session.get(User, person.id).email == "maya@new.example"
    assert other_device.get("/").status_code == 302
    assert client.post(confirm).status_code == 400  # once only
    notice = outbox(original)[-1]
    assert notice.subject == "Your Walkthrough email address was changed" and "maya@new.example" in notice.body
    _login(app, "maya@new.example")


def test_this_wasnt_me_puts_the_account_back_and_locks_out_whoever_changed_it(app, make_user, outbox):
    person = make_user()
    original = person.email
    thief = _login(app, person.email)
    thief.post("/account", data={"email-email": "thief@evil.example", "email-password": PASSWORD, "email-submit": "y"})
    thief.post(link_in(outbox("thief@evil.example")[-1].body))
    thief = _login(app, "thief@evil.example")
    thief.post("/auth/forgot", data={"email": "thief@evil.example"})  # a newer link must not void the undo
    undo = link_in(outbox(original)[-1].body)
    owner = app.test_client()
    owner.post(undo)
    db.session.expire_all()
    restored = db.session.get(User, person.id)
    assert restored.email == original and restored.password_hash is None
    assert thief.get("/").status_code == 302
    assert outbox(original)[-1].subject == "Your Walkthrough account is back on this address"
    assert owner.get(link_in(outbox(original)[-1].body)).status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "email_change_reverted"))


def test_changing_the_password_signs_out_every_other_device(app, make_user):
    person = make_user()
    mine, other = _login(app, person.email), _login(app, person.email)
    form = {
        "password-current_password": PASSWORD,
        "password-password": "a brand new password",
        "password-confirm": "a brand new password",
        "password-submit": "y",
    }
    assert mine.post("/account", data=form).status_code == 302
    assert mine.get("/").status_code == 200 and other.get("/").status_code == 302


@pytest.mark.parametrize("password", ["password12", "1234567890", "qwertyuiop"])
def test_common_passwords_are_refused_with_a_reason(app, make_user, password):
    person = make_user()
    client = _login(app, person.email)
    form = {
        "password-current_password": PASSWORD,
        "password-password": password,
        "password-confirm": password,
        "password-submit": "y",
    }
    response = client.post("/account", data=form)
    assert response.status_code == 422 and "too easy to guess" in response.get_data(as_text=True)


def test_sign_in_takes_as_long_for_a_missing_account_as_for_a_wrong_password(app, make_user, monkeypatch):
    """Both check a password hash, so timing doesn't reveal who has an account."""
    person = make_user()
    checked = []
    original = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checked.append(p) or original(h, p))
    client = app.test_client()
    client.post("/auth/login", data={"email": "nobody@school.example", "password": "guess one"})
    client.post("/auth/login", data={"email": person.email, "password": "guess two"})
    assert checked[:1] == ["guess one"]


def test_a_password_typed_into_the_email_box_is_not_kept_in_the_audit_log(app, client):
    client.post("/auth/login", data={"email": "hunter2 secret words", "password": "x"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert "hunter2" not in str(event.detail) + event.actor_email


def test_someone_guessing_from_elsewhere_cannot_lock_a_teacher_out(make_app, make_user):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
    person = make_user()
    attacker = limited.test_client()
    for _ in range(5):
        attacker.post(
            "/auth/login",
            data={"email": person.email, "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
    blocked = attacker.post(
        "/auth/login", data={"email": person.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert blocked.status_code == 429
    teacher = limited.test_client()
    assert (
        teacher.post(
            "/auth/login",
            data={"email": person.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "198.51.100.4"},
        ).status_code
        == 302
    )


def test_an_admin_cannot_change_a_signed_up_persons_email_but_sees_why(app, make_user):
    admin, person = make_user(Role.ADMIN), make_user()
    page = _login(app, admin.email).get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert f"Only {person.name} can change it" in page and "readonly" in page
    assert email_change.is_setup(person)


def test_sessions_that_ended_by_time_are_removed_at_the_next_sign_in(app, make_user):
    person = make_user()
    _login(app, person.email)
    db.session.execute(update(DeviceSession).values(last_seen_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    _login(app, person.email)
    db.session.expire_all()
    assert len(db.session.scalars(select(DeviceSession).where(DeviceSession.user_id == person.id)).all()) == 1

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.people_setup import link_in
from walkthrough.auth import services, tokens
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db


@pytest.mark.parametrize("typed", ["maya@school.example", "MAYA@School.Example", "  maya@school.example  "])
def test_sign_in_ignores_case_and_spaces_in_email(make_user, auth, client, typed):
    """People type their email however their phone capitalises it."""
    make_user(email="maya@school.example")
    response = auth.login(typed)
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_the_email_kept(make_user, auth):
    make_user(email="maya@school.example")
    response = auth.login("maya@school.example", password="not it at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert services.BAD_CREDENTIALS.replace("'", "&#39;") in page
    assert 'value="maya@school.example"' in page


def test_unknown_email_gets_the_same_message_as_a_wrong_password(auth, app):
    response = auth.login("nobody@school.example")
    assert response.status_code == 422
    assert services.BAD_CREDENTIALS.replace("'", "&#39;") in response.get_data(as_text=True)


def test_an_invited_person_gets_the_same_message_as_a_stranger_which_points_to_the_invitation(make_user, auth):
    """Sign-in never tells whether an account exists; the one message says what an invited person should do."""
    make_user(email="new@school.example", password=None)
    invited = auth.login("new@school.example", password="anything at all").get_data(as_text=True)
    stranger = auth.login("nobody@school.example", password="anything at all").get_data(as_text=True)
    message = services.BAD_CREDENTIALS.replace("'", "&#39;")
    assert message in invited and message in stranger and "invitation" in message


def test_deactivated_account_cannot_sign_in(make_user, auth):
    make_user(email="gone@school.example", active=False)
    assert auth.login("gone@school.example").status_code == 422


def test_remember_me_sets_a_lasting_cookie_only_when_asked(make_user, auth, client):
    user = make_user()
    auth.login(user)
    assert client.get_cookie("remember_token") is None
    auth.logout()
    auth.login(user, remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_remember_cookie_alone_signs_you_back_in(make_user, app, auth):
    user = make_user()
    first = app.test_client()
    Auth = type(auth)
    Auth(first).login(user, remember=True)
    remember = first.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/").status_code == 200


def test_sign_out_ends_the_session_and_needs_post(make_user, auth, client):
    auth.login(make_user())
    assert client.get("/auth/logout").status_code == 405
    auth.logout()
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/auth/login")


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(make_user, client):
    user = make_user()
    response = client.post(
        "/auth/login?next=/account", data={"email": user.email, "password": PASSWORD, "next": "/account"}
    )
    assert response.location == "/account"
    client.post("/auth/logout")
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "next": evil})
        assert response.location == "/"
        client.post("/auth/logout")


def test_password_reset_by_emailed_link(make_user, auth, client, outbox):
    user = make_user(email="maya@school.example")
    response = client.post("/auth/forgot", data={"email": "Maya@School.example"})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    [email] = outbox("maya@school.example")
    link = link_in(email.body)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302 and response.location == "/"
    auth.logout()
    assert auth.login(user.email, password=PASSWORD).status_code == 422
    assert auth.login(user.email, password="a brand new password").status_code == 302


def test_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, outbox, app):
    response = client.post("/auth/forgot", data={"email": "nobody@school.example"})
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox() == []


def test_reset_link_works_once(make_user, client, outbox):
    make_user(email="maya@school.example")
    client.post("/auth/forgot", data={"email": "maya@school.example"})
    link = link_in(outbox()[-1].body)
    client.post(link, data={"password": "first new password", "confirm": "first new password"})
    client.post("/auth/logout")
    response = client.get(link)
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    response = client.post(link, data={"password": "second new password", "confirm": "second new password"})
    assert response.status_code == 400


def test_expired_reset_link_is_refused(make_user, app, client):
    user = make_user()
    token = tokens.make_token(user, tokens.RESET)
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "not-a-token",
    ],
)
def test_tampered_reset_link_is_refused(make_user, client, tamper):
    token = tokens.make_token(make_user(), tokens.RESET)
    response = client.get(f"/auth/reset/{tamper(token)}")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_an_invitation_link_cannot_be_used_as_a_reset_link(make_user, client):
    user = make_user(password=None)
    invitation = tokens.make_token(user, tokens.INVITE)
    assert client.get(f"/auth/reset/{invitation}").status_code == 400
    assert client.get(f"/auth/invitation/{invitation}").status_code == 200


def test_mismatched_new_passwords_re_render_with_errors(make_user, client):
    token = tokens.make_token(make_user(), tokens.RESET)
    response = client.post(f"/auth/reset/{token}", data={"password": "long enough one", "confirm": "different"})
    assert response.status_code == 422
    assert "don&#39;t match" in response.get_data(as_text=True)
    response = client.post(f"/auth/reset/{token}", data={"password": "short", "confirm": "short"})
    assert services.PASSWORD_TOO_SHORT in response.get_data(as_text=True)


def test_admin_invites_a_person_who_sets_their_own_password(make_user, make_school, auth, client, outbox, app):
    school = make_school()
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post(
        "/admin/people/invite",
        data={
            "name": "Nia Okafor",
            "email": "Nia.Okafor@School.example",
            "roles": ["teacher", "coach"],
            "school_id": school.id,
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "nia.okafor@school.example"))
    assert person.roles == {Role.TEACHER, Role.COACH} and not person.has_password and person.invited_at
    [invitation] = outbox("nia.okafor@school.example")
    link = link_in(invitation.body)
    auth.logout()
    page = client.get(link).get_data(as_text=True)
    assert "Welcome, Nia Okafor" in page
    response = client.post(link, data={"password": "my own password", "confirm": "my own password"})
    assert response.location == "/"
    auth.logout()
    assert auth.login("nia.okafor@school.example", password="my own password").status_code == 302
    auth.logout()
    assert client.get(link).status_code == 400  # used once


def test_inviting_an_existing_email_is_refused_beside_the_field(make_user, auth, client):
    make_user(email="taken@school.example")
    auth.login(make_user(Role.ADMIN))
    response = client.post(
        "/admin/people/invite",
        data={"name": "Someone", "email": "TAKEN@school.example", "roles": ["teacher"], "school_id": 0},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and services.EMAIL_TAKEN in page and 'value="Someone"' in page


def test_changing_password_signs_out_other_devices(make_user, app, auth):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    type(auth)(phone).login(user)
    type(auth)(laptop).login(user)
    response = laptop.post(
        "/account",
        data={
            "password-current_password": PASSWORD,
            "password-password": "a different password",
            "password-confirm": "a different password",
            "password-submit": "Change password",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_changing_password_needs_the_current_one(make_user, auth, client):
    auth.login(make_user())
    response = client.post(
        "/account",
        data={
            "password-current_password": "wrong one",
            "password-password": "a different password",
            "password-confirm": "a different password",
            "password-submit": "Change password",
        },
    )
    assert response.status_code == 422 and "isn&#39;t your current password" in response.get_data(as_text=True)


def test_two_people_are_never_equal_however_they_are_signed_in(make_user):
    """Flask-Login's UserMixin compares get_id(), which names a device session: None for everyone not
    signed in on this request. People compare by identity, so lists and dicts of people stay right."""
    one, two = make_user(), make_user()
    assert one != two and one not in [two] and len({one, two}) == 2 and one == db.session.get(User, one.id)

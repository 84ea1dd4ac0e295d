"""Making people and schools, signing in, and reading the mail the app sent: fixtures for every test file."""

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, PASSWORD_HASH
from tests.mail_checks import assert_well_formed
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage


def school_maker():
    """make(name=None, **settings) -> a committed school; names count up from "Test School 1"."""
    from datetime import date

    from walkthrough.schools.models import Rotation, SchoolLevel
    from walkthrough.schools.services import save_school

    counter = iter(range(1, 1000))

    def make(
        name=None,
        *,
        rotation=Rotation.WEEKLY,
        timezone="America/Chicago",
        level=SchoolLevel.MIDDLE,
        first_day=date(2026, 8, 17),
        last_day=date(2027, 5, 28),
    ):
        school = save_school(
            school=None,
            name=name or f"Test School {next(counter)}",
            level=level,
            region="North",
            timezone=timezone,
            rotation=rotation,
            year_first_day=first_day,
            year_last_day=last_day,
        )
        db.session.commit()
        return school

    return make


def user_maker():
    """make(*roles, email=None, name=None, school=None, password=PASSWORD, active=True) -> a committed person."""
    counter = iter(range(1, 10000))

    def make(*roles: Role, email=None, name=None, school=None, password: str | None = PASSWORD, active=True):
        n = next(counter)
        user = User(
            email=email or f"person{n}@school.example",
            name=name or f"Person {n}",
            school_id=school.id if school else None,
            is_active_account=active,
        )
        user.set_roles(set(roles) or {Role.TEACHER})
        if password == PASSWORD:
            user.password_hash = PASSWORD_HASH
        elif password is not None:
            user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_school(app):
    return school_maker()


@pytest.fixture
def make_user(app):
    return user_maker()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=PASSWORD, remember=False):
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/auth/login", data=data)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def outbox(app):
    """Emails sent so far, newest last; each is checked to be a message mail clients read right."""

    def messages(to: str | None = None, *, base_url: str | None = None) -> list[OutboxMessage]:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            query = query.where(OutboxMessage.recipient == to)
        found = list(db.session.scalars(query))
        for record in found:
            assert_well_formed(record, base_url or app.config["BASE_URL"])
        return found

    return messages


def link_in(body: str) -> str:
    """The path of the first link to this app in an email body."""
    for word in body.split():
        if word.startswith(("http://", "https://")):
            return "/" + word.split("/", 3)[3]
    raise AssertionError(f"no link in email:\n{body}")

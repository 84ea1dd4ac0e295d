from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db, login_manager
from .models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        # One query for the person, their school and their roles: every signed-in request starts here.
        return (
            db.session.scalars(
                select(User)
                .where(User.session_token == session_token, User.is_active_account.is_(True))
                .options(joinedload(User.role_grants))
            )
            .unique()
            .one_or_none()
        )

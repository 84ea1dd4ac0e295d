from flask import Flask
from sqlalchemy import select

from ..extensions import db, login_manager
from .models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(
            select(User).where(User.session_token == session_token, User.is_active_account.is_(True))
        )

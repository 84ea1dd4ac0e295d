from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..access import public
from ..audit.services import record as audit
from ..extensions import db, limiter
from ..rules import RuleViolation
from . import bp, services, tokens
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm

LOGIN_RATE_LIMITED = "Too many sign-in attempts. Wait a few minutes before trying again, or reset your password."


def _account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _safe_next(target: str | None) -> str:
    """Only follow a ?next= that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], error_message=LOGIN_RATE_LIMITED
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_account_key,
    error_message=LOGIN_RATE_LIMITED,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(email=form.email.data, password=form.password.data)
        except RuleViolation as violation:
            form.password.errors.append(violation.message)
            db.session.rollback()
            audit(
                None, "login_failed", email=(form.email.data or "").strip().lower()[:254], address=request.remote_addr
            )
            db.session.commit()
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(form.next.data))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], error_message=LOGIN_RATE_LIMITED
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = tokens.user_for_token(token, purpose)
    except tokens.TokenRefused as refused:
        return render_template("auth/link_refused.html", message=refused.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.set_password(user=user, password=form.password.data)
        db.session.commit()
        login_user(user)
        flash("Your password is saved and you are signed in.", "success")
        return redirect(url_for("home.index"))
    return render_template(template, form=form, user=user), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _set_password_page(token, tokens.RESET, "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _set_password_page(token, tokens.INVITE, "auth/invitation.html")

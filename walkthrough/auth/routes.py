from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..access import public
from ..audit.services import record as audit
from ..extensions import db, limiter
from ..forms import commit_or_show_errors
from ..rules import RuleViolation
from ..urls import safe_next
from . import bp, email_change, services, sessions, sso, sso_routes, tokens
from .forms import ConfirmForm, ForgotPasswordForm, LoginForm, NewPasswordForm

# Set at sign-out so the next page (the sign-in page) tells the phone to forget what it kept offline.
SIGNED_OUT = "signed_out"

NO_RESET_FOR_SSO = (
    "Walkthrough has no password for district staff: sign in with {label}. To change that password, ask your "
    "district's help desk."
)
SSO_ONLY = "Staff sign in with {label}: use the button above. Your district manages that password."
LOGIN_RATE_LIMITED = "Too many sign-in attempts. Wait a few minutes before trying again, or reset your password."


def _account_key() -> str:
    # Per account *and* address: someone guessing from elsewhere can't lock the real person out.
    return f"login-account:{services.normalise_email(request.form.get('email', ''))}:{request.remote_addr}"


def _what_was_typed_as_email(typed: str) -> str:
    """What the audit log keeps of a failed sign-in's email box: an address, never a password typed there."""
    typed = (typed or "").strip().lower()
    looks_like_address = "@" in typed and " " not in typed and len(typed) <= 254
    return typed if looks_like_address else "(not an email address)"


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
            if sso.password_refused(form.email.data):
                raise RuleViolation(SSO_ONLY.format(label=sso.label()))
            user = services.authenticate(email=form.email.data, password=form.password.data)
        except RuleViolation as violation:
            form.password.errors.append(violation.message)
            db.session.rollback()
            audit(None, "login_failed", email=_what_was_typed_as_email(form.email.data), address=request.remote_addr)
            db.session.commit()
        else:
            sessions.sign_in(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(form.next.data))
    signed_out = session.pop(SIGNED_OUT, False)
    return render_template(
        "auth/login.html",
        form=form,
        signed_out=signed_out,
        sso_label=sso.label() if sso.enabled() else None,
        sso_sign_out=signed_out and bool(session.get(sso_routes.ID_TOKEN)),
        passwords_off=current_app.config["OIDC_PASSWORDS_OFF"],
    ), 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    sessions.end_this_session(current_user)
    db.session.commit()
    logout_user()
    flash("You have signed out.", "info")
    session[SIGNED_OUT] = True
    response = redirect(url_for("auth.login"))
    # Notes, photos and pages kept on this phone for offline use go with the person (shared phones).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], error_message=LOGIN_RATE_LIMITED
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit() and sso.password_refused(form.email.data):
        form.email.errors.append(NO_RESET_FOR_SSO.format(label=sso.label()))
    elif form.validate_on_submit():
        services.request_password_reset(email=form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = tokens.user_for_token(token, purpose)
    except tokens.TokenRefused as refused:
        return render_template("auth/link_refused.html", message=refused.message), 400
    if sso.password_refused(user.email):
        # An invitation or reset link from before passwords were turned off: the district account is the way in.
        return render_template(
            "auth/sso_refused.html", message=NO_RESET_FOR_SSO.format(label=sso.label()), label=sso.label()
        ), 400
    form = NewPasswordForm()
    if form.validate_on_submit() and commit_or_show_errors(form, lambda: _choose_password(user, form.password.data)):
        flash("Your password is saved and you are signed in.", "success")
        return redirect(url_for("home.index"))
    return render_template(template, form=form, user=user), 422 if form.errors else 200


def _choose_password(user, password: str) -> bool:
    services.set_password(user=user, password=password)
    sessions.end_sessions(user)  # whoever knew the old password is signed out everywhere
    sessions.sign_in(user)
    return True


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _set_password_page(token, tokens.RESET, "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _set_password_page(token, tokens.INVITE, "auth/invitation.html")


def _token_page(read, template: str, act, done_message: str):
    """A link from an email shows a page with one button (so a mail scanner opening it changes nothing);
    pressing it does the change."""
    try:
        user = read()
    except tokens.TokenRefused as refused:
        return render_template("auth/link_refused.html", message=refused.message), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            act()
        except tokens.TokenRefused as refused:
            db.session.rollback()
            return render_template("auth/link_refused.html", message=refused.message), 400
        except RuleViolation as violation:
            db.session.rollback()
            return render_template("auth/link_refused.html", message=violation.message), 409
        db.session.commit()
        logout_user()
        flash(done_message, "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    return _token_page(
        lambda: tokens.user_for_token(token, tokens.EMAIL_CHANGE),
        "auth/confirm_email.html",
        lambda: email_change.confirm_change(token=token),
        "Your new email address is saved. Every device was signed out: sign in with the new address.",
    )


@bp.route("/email/undo/<token>", methods=["GET", "POST"])
@public
def revert_email(token: str):
    return _token_page(
        lambda: tokens.read_revert_token(token)[0],
        "auth/revert_email.html",
        lambda: email_change.revert_change(token=token),
        "Your account is back on your old address and everyone is signed out. We've emailed you a link to "
        "choose a new password.",
    )

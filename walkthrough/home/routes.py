from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from ..auth.models import Role
from ..coverage.budget import release_time
from ..coverage.queries import assignments_for
from ..extensions import db
from ..schools import queries as school_queries
from . import bp
from .forms import ChangePasswordForm, ProfileForm

WRONG_CURRENT_PASSWORD = "That isn't your current password."


@bp.route("/")
def index():
    today = school_queries.today_at(current_user.school) if current_user.school else None
    week = school_queries.weekly_schedule(current_user)
    return render_template(
        "home/page.html",
        today=today,
        day_type=school_queries.day_type_on(current_user.school, today) if today else None,
        todays_periods=school_queries.schedule_on(current_user, today, week) if today else [],
        weekly_schedule=week,
        admin_summary=school_queries.admin_summary(current_user),
        release=release_time(current_user) if current_user.has_role(Role.TEACHER) else None,
        covering=assignments_for(current_user) if current_user.has_role(Role.TEACHER) else [],
    )


@bp.route("/account", methods=["GET", "POST"])
def account():
    profile = ProfileForm(prefix="profile", obj=current_user)
    password = ChangePasswordForm(prefix="password")
    status = 200
    if profile.submit.data and profile.validate_on_submit():
        current_user.name = profile.name.data.strip()
        db.session.commit()
        flash("Your name is saved.", "success")
        return redirect(url_for("home.account"))
    if password.submit.data and password.validate_on_submit():
        if current_user.check_password(password.current_password.data):
            current_user.set_password(password.password.data)
            db.session.commit()
            login_user(current_user._get_current_object())  # the session token changed; keep this device signed in
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("home.account"))
        password.current_password.errors.append(WRONG_CURRENT_PASSWORD)
    if profile.errors or password.errors:
        status = 422
    return render_template("home/account.html", profile=profile, password=password), status

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth import email_change, sessions
from ..auth.models import Role
from ..auth.services import set_password
from ..coverage.budget import minutes_away_question, release_time
from ..coverage.queries import assignments_for, assignments_question
from ..extensions import db
from ..forms import commit_or_show_errors
from ..outbox import preferences
from ..probes import ask_together
from ..rules import RuleViolation
from ..schools import queries as school_queries
from ..schools.calendar import school_day
from ..surveys import queries as survey_queries
from ..walks import queries as walk_queries
from . import bp
from .forms import ChangeEmailForm, ChangePasswordForm, ProfileForm, RemindersForm

WRONG_CURRENT_PASSWORD = "That isn't your current password."


@bp.route("/")
def index():
    today = school_queries.today_at(current_user.school) if current_user.school else None
    week = school_queries.weekly_schedule(current_user)
    teaches = current_user.has_role(Role.TEACHER)
    # Most people have none of these most days: one round trip finds which sections have anything to read,
    # and the release time a teacher has used.
    has_walks, has_summaries, has_surveys, is_covering, minutes_away = ask_together(
        walk_queries.walks_around_question(current_user),
        walk_queries.recent_summaries_question(current_user, today) if today else None,
        survey_queries.waiting_question(current_user),
        assignments_question(current_user) if teaches else None,
        minutes_away_question(current_user) if teaches else None,
    )
    return render_template(
        "home/page.html",
        today=today,
        school_day=school_day(current_user.school, today) if today else None,
        todays_periods=[
            (assignment, school_queries.period_times_on(assignment.period, assignment.period.school, today))
            for assignment in school_queries.schedule_on(current_user, today, week)
        ]
        if today
        else [],
        weekly_schedule=week,
        admin_summary=school_queries.admin_summary(current_user),
        release=release_time(current_user, used=minutes_away) if teaches else None,
        covering=assignments_for(current_user) if is_covering else [],
        walking=walk_queries.walks_to_capture(current_user) if has_walks else [],
        surveys_to_answer=survey_queries.to_answer(current_user) if has_surveys else [],
        walk_summaries=walk_queries.recent_summaries(current_user, today) if has_summaries else [],
    )


@bp.route("/account", methods=["GET", "POST"])
def account():
    me = current_user._get_current_object()
    profile = ProfileForm(prefix="profile", obj=me)
    password = ChangePasswordForm(prefix="password")
    email = ChangeEmailForm(prefix="email")
    reminders = _reminders_form(me)
    if reminders.submit.data and reminders.validate_on_submit():
        preferences.save_settings(
            user_id=me.id,
            wanted=_wanted_nudges(me, reminders),
            quiet_hours=reminders.quiet_hours.data,
            quiet_from=reminders.quiet_from.data,
            quiet_until=reminders.quiet_until.data,
        )
        db.session.commit()
        flash("Your reminders are saved.", "success")
        return redirect(url_for("home.account", _anchor="reminders"))
    if profile.submit.data and profile.validate_on_submit():
        me.name = profile.name.data.strip()
        db.session.commit()
        flash("Your name is saved.", "success")
        return redirect(url_for("home.account"))
    if (
        password.submit.data
        and password.validate_on_submit()
        and commit_or_show_errors(password, lambda: _change_password(me, password))
    ):
        flash("Your password is changed. Other devices have been signed out.", "success")
        return redirect(url_for("home.account"))
    if (
        email.submit.data
        and email.validate_on_submit()
        and commit_or_show_errors(
            email,
            lambda: email_change.request_change(user=me, new_email=email.email.data, password=email.password.data),
        )
    ):
        flash(f"We've sent a link to {email.email.data.strip()}. Open it to start using that address.", "success")
        return redirect(url_for("home.account"))
    return render_template(
        "home/account.html",
        profile=profile,
        password=password,
        email=email,
        reminders=reminders,
        devices=sessions.devices(me),
    ), 422 if (profile.errors or password.errors or email.errors or reminders.errors) else 200


def _reminders_form(me) -> RemindersForm:
    setting = preferences.settings_for(me.id)
    off = preferences.muted(setting)
    form = RemindersForm(
        prefix="reminders",
        data={kind: kind not in off for kind in preferences.NUDGES}
        | {"quiet_hours": setting.quiet_hours, "quiet_from": setting.quiet_from, "quiet_until": setting.quiet_until},
    )
    return form


def _wanted_nudges(me, form: RemindersForm) -> set[str]:
    """What the form ticked; a kind the page doesn't offer this person (caseload, to a non-coach) keeps its
    setting, so it is as they left it if they become a coach."""
    offered = set(preferences.NUDGES) if me.has_role(Role.COACH) else set(preferences.NUDGES) - {"caseload"}
    kept = preferences.wanted(preferences.settings_for(me.id)) - offered
    return {kind for kind in offered if form[kind].data} | kept


def _change_password(me, form: ChangePasswordForm) -> bool:
    if not me.check_password(form.current_password.data):
        raise RuleViolation(WRONG_CURRENT_PASSWORD, field="current_password")
    set_password(user=me, password=form.password.data)
    sessions.end_sessions(me, keep_current=True)
    return True


@bp.route("/account/devices/<int:device_id>/sign-out", methods=["POST"])
def sign_out_device(device_id: int):
    if sessions.end_one(current_user, device_id):
        db.session.commit()
        flash("That device is signed out.", "success")
    return redirect(url_for("home.account", _anchor="devices"))


@bp.route("/account/devices/sign-out-others", methods=["POST"])
def sign_out_other_devices():
    sessions.sign_out_other_devices(current_user)
    db.session.commit()
    flash("Every other device is signed out.", "success")
    return redirect(url_for("home.account", _anchor="devices"))

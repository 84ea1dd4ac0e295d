from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField, TimeField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from ..auth.services import MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT
from ..forms import Form
from ..outbox.preferences import NUDGES


class ProfileForm(Form):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    submit = SubmitField("Save name")


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a password."),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_TOO_SHORT),
        ],
    )
    confirm = PasswordField(
        "Type it again",
        validators=[DataRequired("Type the password again."), EqualTo("password", "The two passwords don't match.")],
    )
    submit = SubmitField("Change password")


class ChangeEmailForm(Form):
    email = EmailField(
        "New email",
        validators=[DataRequired("Enter the new address."), Email("Enter a valid email address."), Length(max=254)],
    )
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm it's you.")])
    submit = SubmitField("Send a confirmation link")


class RemindersForm(Form):
    """Which nudges to get, and the hours to hold them back (in the person's school's time zone)."""

    reflect = BooleanField(NUDGES["reflect"])
    reply = BooleanField(NUDGES["reply"])
    caseload = BooleanField(NUDGES["caseload"])
    cohort = BooleanField(NUDGES["cohort"])
    walk = BooleanField(NUDGES["walk"])
    quiet_hours = BooleanField("Hold reminders back during quiet hours")
    quiet_from = TimeField("Quiet from", validators=[InputRequired("Enter a time, like 7:00 pm.")])
    quiet_until = TimeField("Quiet until", validators=[InputRequired("Enter a time, like 7:00 am.")])
    submit = SubmitField("Save reminders")

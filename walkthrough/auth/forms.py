from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import Form
from .services import MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
    submit = SubmitField("Sign in")


class ForgotPasswordForm(Form):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email."), Email("Enter a valid email address."), Length(max=254)],
    )
    submit = SubmitField("Email me a link")


class NewPasswordForm(Form):
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
    submit = SubmitField("Save password")


class ConfirmForm(Form):
    submit = SubmitField("Confirm")

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import Form
from ..ids import coerce_id


class StartForm(Form):
    host_id = SelectField(
        "Whose class are you visiting?",
        coerce=coerce_id,
        validators=[DataRequired("Choose the colleague you're visiting.")],
    )
    protocol_id = SelectField("Protocol", coerce=int, validators=[DataRequired("Choose a protocol.")])
    focus_question = TextAreaField(
        "Focus question (optional)",
        validators=[Optional(), Length(max=500)],
        description="If your colleague asked you to look for something, write their question here.",
    )


class ShareForm(Form):
    reflection = TextAreaField(
        "Your reflection",
        validators=[Optional(), Length(max=20_000)],
        description="What did you learn? What will you take back to your own classroom?",
    )
    share_with_host = BooleanField("Share my notes, photos and reflection with the teacher I visited")
    coach_id = SelectField("Also share with a coach", coerce=int, validators=[Optional()])


class ReplyForm(Form):
    reply = TextAreaField(
        "Your reply",
        validators=[DataRequired("Write your reply before sending it."), Length(max=20_000)],
        description="What did you take from these notes? What will you try next?",
    )


class PhotoForm(Form):
    field_key = HiddenField()
    photo = FileField("Add a photo", validators=[FileRequired("Choose a photo.")])
    caption = StringField("Caption (optional)", validators=[Optional(), Length(max=300)])

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import Form


class ProtocolForm(Form):
    name = StringField("Name", validators=[DataRequired("Give the protocol a name."), Length(max=120)])
    purpose = TextAreaField(
        "What it is for", validators=[DataRequired("Say what the protocol is for."), Length(max=2000)]
    )
    before = TextAreaField("Before the visit", validators=[Length(max=2000)])
    during = TextAreaField("During the visit", validators=[Length(max=2000)])
    after = TextAreaField("After the visit", validators=[Length(max=2000)])

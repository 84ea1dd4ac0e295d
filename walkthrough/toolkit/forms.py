from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import Form
from ..ids import coerce_id
from .models import ResourceKind


class ResourceForm(Form):
    title = StringField("Title", validators=[InputRequired("Give the resource a title."), Length(max=200)])
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in ResourceKind])
    summary = StringField("In one line", validators=[Optional(), Length(max=500)])
    body = TextAreaField(
        "Text",
        validators=[Optional(), Length(max=20000)],
        description="The guide or norms themselves, if written here.",
    )
    link = StringField(
        "Web address", validators=[Optional(), Length(max=500)], description="A video, a file or a page."
    )
    protocol_id = SelectField("Protocol", coerce=coerce_id, validate_choice=False)
    tags = StringField(
        "Goals it serves",
        validators=[Optional(), Length(max=400)],
        description="Tags separated by commas, such as student discourse, trust, feedback.",
    )

from wtforms import DateField, DecimalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form
from ..ids import coerce_id
from ..learning.models import TrainingAudience


class TrainingForm(Form):
    title = StringField("Training", validators=[InputRequired("Name the training."), Length(max=200)])
    description = TextAreaField("What it covers and where to take it", validators=[Optional(), Length(max=2000)])
    hours = DecimalField(
        "Hours required",
        places=2,
        validators=[InputRequired("Enter the hours."), NumberRange(0.25, 200, "Enter between 0.25 and 200 hours.")],
    )
    due_on = DateField("Due by", validators=[InputRequired("Choose the date it is due.")])
    school_id = SelectField("For", coerce=coerce_id, validate_choice=False)
    audience = SelectField("Who", choices=[SelectChoice(a.value, a.label) for a in TrainingAudience])

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import Form
from ..ids import coerce_id


class ProposalForm(Form):
    title = StringField("Title", validators=[InputRequired("Give it a title."), Length(max=120)])
    excerpt = TextAreaField(
        "Excerpt",
        validators=[InputRequired("Write or paste the excerpt to show.")],
        description="A few lines from your notes: what students said and did. No student names.",
    )
    photo_id = SelectField("Photo", coerce=coerce_id, validate_choice=False)
    agree = BooleanField(
        "I agree to publish this in the district gallery with my name, until I or the host withdraw it",
        validators=[DataRequired("Tick to agree; the host is asked next.")],
    )

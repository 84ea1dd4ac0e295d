from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import Form
from .models import QuestionKind, SurveyKind


class SurveyForm(Form):
    title = StringField("Title", validators=[InputRequired("Give the survey a title."), Length(max=200)])
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in SurveyKind])
    audience = SelectField("Ask", validate_choice=False, validators=[InputRequired("Choose whom to ask.")])
    intro = TextAreaField(
        "A line for those asked",
        validators=[Optional(), Length(max=1000)],
        description="Why you ask and what you will do with the answers.",
    )
    closes_on = DateField("Closes after", validators=[Optional()], description="Leave empty to close it yourself.")
    suggested = BooleanField("Start with suggested questions for this kind", default=True)


class QuestionForm(Form):
    kind = SelectField("Kind of question", choices=[SelectChoice(k.value, k.label) for k in QuestionKind])
    prompt = StringField("Question", validators=[InputRequired("Write the question."), Length(max=300)])
    choices = TextAreaField(
        "Choices, one a line",
        validators=[Optional(), Length(max=2000)],
        description="For “choose one”: the answers to choose from. For a scale: what 1 and 5 mean, one a line.",
    )
    required = BooleanField("Everyone must answer it")


class AnswerForm(Form):
    """The questions are the survey's own; this carries the CSRF token."""

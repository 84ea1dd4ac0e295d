from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import CheckboxesField, Form, options
from .models import KIND_LABELS


class WalkForm(Form):
    kind = RadioField(
        "Kind of walk",
        choices=options((kind.value, label) for kind, label in KIND_LABELS.items()),
        default="blast",
        validators=[InputRequired("Choose the kind of walk.")],
    )
    tool_id = SelectField("Tool", coerce=int, validators=[InputRequired("Choose a tool.")])
    focus = StringField(
        "Focus",
        validators=[InputRequired("Say what the walk looks at."), Length(max=200)],
        description="What the team looks at, from the school's goals, e.g. “Empowered learning: student choice”.",
    )
    starts_on = DateField("First day", validators=[InputRequired("Choose the first day.")])
    ends_on = DateField("Last day", validators=[InputRequired("Choose the last day.")])
    # Checked by the service, which says who may walk rather than "not a valid choice".
    team = CheckboxesField(
        "Team", coerce=int, validate_choice=False, validators=[InputRequired("Choose at least one person.")]
    )


class TeamForm(Form):
    team = CheckboxesField(
        "Team", coerce=int, validate_choice=False, validators=[InputRequired("Choose at least one person.")]
    )


class SummaryForm(Form):
    noticed = TextAreaField(
        "What we noticed",
        validators=[Optional(), Length(max=4000)],
        description="About the building, never a classroom or a person: “In most classrooms students…”.",
    )
    wondered = TextAreaField(
        "What we wonder",
        validators=[Optional(), Length(max=4000)],
        description="Questions for the staff to take up, e.g. “How might we…?”.",
    )


class ToolForm(Form):
    name = StringField("Name", validators=[InputRequired("Give the tool a name."), Length(max=120)])
    goal = StringField("School goal", validators=[Optional(), Length(max=300)])
    purpose = TextAreaField("What it is for", validators=[Optional(), Length(max=2000)])
    look_fors = TextAreaField(
        "Look-fors",
        validators=[InputRequired("List at least one look-for, one a line.")],
        description="One a line; each is marked seen, not seen or not applicable in every classroom.",
    )

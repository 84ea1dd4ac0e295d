from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form
from .models import ActivityKind, CyclePhase, GoalStatus


class GoalForm(Form):
    text = TextAreaField(
        "Growth goal",
        validators=[InputRequired("Write the goal in a sentence."), Length(max=500)],
        description="What you want to grow in this year, in your own words.",
    )
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in GoalStatus])


class EvidenceForm(Form):
    label = StringField("What it shows", validators=[InputRequired("Say what the link shows."), Length(max=200)])
    url = StringField(
        "Link",
        validators=[InputRequired("Paste the link."), Length(max=500)],
        description="https://… or a Walkthrough page such as a shared visit.",
    )


class CycleForm(Form):
    focus = StringField(
        "Focus of the cycle", validators=[InputRequired("Say what the cycle focuses on."), Length(max=300)]
    )
    started_on = DateField("Started on", validators=[InputRequired("Choose the day it started.")])


class PhaseForm(Form):
    phase = SelectField("Phase", choices=[SelectChoice(p.value, p.label) for p in CyclePhase])


class ActivityForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    kind = SelectField("Kind of coaching", choices=[SelectChoice(k.value, k.label) for k in ActivityKind])
    minutes = IntegerField(
        "Minutes",
        validators=[InputRequired("Enter how many minutes."), NumberRange(1, 600, "Enter between 1 and 600 minutes.")],
    )
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=2000)],
        description="Yours alone unless you share this entry with the teacher.",
    )
    next_step = StringField("Next step", validators=[Optional(), Length(max=500)])
    shared_with_coachee = BooleanField("Share this entry's notes and next step with the teacher")


class AddCoacheeForm(Form):
    coachee_id = IntegerField("Teacher", validators=[InputRequired("Choose a teacher.")])

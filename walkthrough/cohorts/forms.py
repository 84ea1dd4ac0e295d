from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form
from ..ids import coerce_id
from ..learning.models import LearningKind, LearningSetting
from ..schools.models import SchoolLevel
from .models import MeetingMode


class CohortForm(Form):
    name = StringField("Name", validators=[InputRequired("Name the cohort."), Length(max=120)])
    level = SelectField("School level", choices=[SelectChoice(lv.value, lv.value.capitalize()) for lv in SchoolLevel])
    region = StringField("Region", validators=[Optional(), Length(max=80)])
    team_leader_id = SelectField("Team leader", coerce=coerce_id, validate_choice=False)
    meetings_required = IntegerField(
        "Meetings each member attends",
        default=4,
        validators=[InputRequired("Enter a number."), NumberRange(0, 20, "Enter between 0 and 20.")],
    )
    hours_required = IntegerField(
        "Hours of professional learning",
        default=8,
        validators=[InputRequired("Enter a number."), NumberRange(0, 200, "Enter between 0 and 200.")],
    )
    plan_due = DateField(
        "Growth plans due",
        validators=[Optional()],
        description="Members who haven't uploaded are reminded a week before and the day before; the team "
        "leader is told who is missing the day after.",
    )


class MemberForm(Form):
    user_id = SelectField(
        "Teacher", coerce=coerce_id, validate_choice=False, validators=[InputRequired("Choose a teacher.")]
    )


class MeetingForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    mode = SelectField("How", choices=[SelectChoice(m.value, m.label) for m in MeetingMode])
    place = StringField(
        "Where", validators=[Optional(), Length(max=300)], description="A room and address, or the video link."
    )
    topic = StringField("Topic", validators=[Optional(), Length(max=300)])


class ReflectionForm(Form):
    reflection = TextAreaField(
        "Your reflection on this meeting",
        validators=[InputRequired("Write your reflection before saving it."), Length(max=4000)],
        description="What you took away and what you will try. Your team leader reads it; admins don't.",
    )


class LearningForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in LearningKind])
    title = StringField("What it was", validators=[InputRequired("Say what the learning was."), Length(max=200)])
    minutes = IntegerField(
        "Minutes",
        validators=[InputRequired("Enter how many minutes."), NumberRange(1, 1440, "Enter between 1 and 1,440.")],
    )
    setting = SelectField(
        "When",
        choices=[SelectChoice(s.value, s.label) for s in LearningSetting],
        default=LearningSetting.CONTRACT_TIME.value,
    )
    place = StringField("Where", validators=[Optional(), Length(max=200)], description="A building, a city, or online.")
    training_id = SelectField("Counts toward", coerce=coerce_id, validate_choice=False)

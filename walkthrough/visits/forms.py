from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form, options


class OpenClassroomForm(Form):
    day = DateField("Date", validators=[InputRequired("Choose a date.")])
    period_id = SelectField("Period", coerce=int, description="Or choose “Other time” and give the times.")
    local_start = TimeField("Starts", validators=[Optional()])
    local_end = TimeField("Ends", validators=[Optional()])
    room = StringField("Room", validators=[Optional(), Length(max=40)])
    capacity = IntegerField(
        "Visitors at most",
        default=2,
        validators=[InputRequired("How many visitors?"), NumberRange(1, 10, "1 to 10 visitors.")],
    )
    protocol_id = SelectField("Protocol visitors use", coerce=int)
    focus_question = TextAreaField(
        "Your focus question",
        validators=[Optional(), Length(max=500)],
        description="What would you like evidence about? Visitors collect evidence for it.",
    )
    note_for_visitors = TextAreaField(
        "A note for visitors",
        validators=[Optional(), Length(max=500)],
        description="e.g. “Sit by the reading corner; we start with partner talk.”",
    )
    repeat = SelectField(
        "Repeat",
        choices=options(
            [
                ("none", "Just this once"),
                ("weekly", "Every week on this day"),
                ("period_days", "Every day this period runs (e.g. every A-day)"),
            ]
        ),
    )
    weeks = IntegerField("For how many weeks", default=4, validators=[Optional(), NumberRange(1, 12, "1 to 12 weeks.")])
    cutoff_hours = IntegerField(
        "Close sign-ups this many hours before",
        default=0,
        validators=[Optional(), NumberRange(0, 168, "0 to 168 hours.")],
    )
    per_person_limit = IntegerField(
        "Visits one colleague may book in this series",
        validators=[Optional(), NumberRange(1, 50, "1 to 50.")],
        description="Leave empty for no limit.",
    )


class ChangeSlotForm(Form):
    local_start = TimeField("Starts", validators=[InputRequired("Give a start time.")])
    local_end = TimeField("Ends", validators=[InputRequired("Give an end time.")])
    room = StringField("Room", validators=[Optional(), Length(max=40)])


class BookForForm(Form):
    observer_id = SelectField("Book this visit for", coerce=int)


class PairForm(Form):
    first_slot_id = SelectField("First colleague's open classroom", coerce=int)
    second_slot_id = SelectField("Second colleague's open classroom", coerce=int)

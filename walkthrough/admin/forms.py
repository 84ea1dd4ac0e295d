from zoneinfo import available_timezones

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..auth.models import Role
from ..forms import CheckboxesField, Form, options
from ..schools.models import ROTATION_DAYS, Rotation, SchoolLevel, day_type_label

US_FIRST = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]


def timezone_choices() -> list[SelectChoice]:
    others = sorted(available_timezones() - set(US_FIRST) - {"localtime"})
    return options((zone, zone.replace("_", " ")) for zone in US_FIRST + others)


class SchoolForm(Form):
    name = StringField("School name", validators=[DataRequired("Enter the school's name."), Length(max=120)])
    level = SelectField("Level", choices=options((level.value, level.value.capitalize()) for level in SchoolLevel))
    region = StringField(
        "Region",
        validators=[Optional(), Length(max=80)],
        description="Used to group schools, e.g. for cohorts. Optional.",
    )
    timezone = SelectField("Time zone", choices=timezone_choices(), default="America/Chicago")
    rotation = SelectField(
        "Schedule rotation",
        choices=options(
            [
                (Rotation.WEEKLY.value, "Named weekdays"),
                (Rotation.AB.value, "A/B day rotation"),
                (Rotation.SIX_DAY.value, "Six-day rotation (Day 1–6)"),
            ]
        ),
    )
    year_first_day = DateField("First day of the school year", validators=[InputRequired("Enter a date.")])
    year_last_day = DateField("Last day of the school year", validators=[InputRequired("Enter a date.")])
    address = StringField(
        "Address", validators=[Optional(), Length(max=300)], description="Shown to substitutes with their assignments."
    )
    release_hours_default = DecimalField(
        "Release time per teacher (hours a year)",
        default=8,
        places=1,
        validators=[Optional(), NumberRange(0, 200, "0 to 200 hours.")],
    )
    weekly_cover_cap = IntegerField(
        "Covers one colleague may do in a week", default=3, validators=[Optional(), NumberRange(0, 40, "0 to 40.")]
    )
    requires_visit_approval = BooleanField("Visits in teaching time need an admin's approval")
    submit = SubmitField("Save school")


WEEKDAY_CHOICES = options(
    [("mon", "Mon"), ("tue", "Tue"), ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri"), ("sat", "Sat"), ("sun", "Sun")]
)
ROTATION_CHOICES = {
    rotation: options((day, day_type_label(day).replace(" day", " days")) for day in days)
    for rotation, days in ROTATION_DAYS.items()
}


class PeriodForm(Form):
    name = StringField("Period name", validators=[DataRequired("Name the period, e.g. Period 3."), Length(max=60)])
    starts_at = TimeField("Starts", validators=[InputRequired("Enter a start time.")])
    ends_at = TimeField("Ends", validators=[InputRequired("Enter an end time.")])
    days = CheckboxesField("Runs on", choices=WEEKDAY_CHOICES)
    submit = SubmitField("Save period")

    def use_rotation(self, rotation: str) -> "PeriodForm":
        self.days.choices = ROTATION_CHOICES.get(rotation, WEEKDAY_CHOICES)
        return self


ROLE_CHOICES = options((role.value, role.label) for role in Role)


class PersonForm(Form):
    name = StringField("Name", validators=[DataRequired("Enter the person's name."), Length(max=120)])
    email = EmailField(
        "Email", validators=[DataRequired("Enter an email."), Email("Enter a valid email address."), Length(max=254)]
    )
    roles = CheckboxesField("Roles", choices=ROLE_CHOICES, validators=[DataRequired("Choose at least one role.")])
    school_id = SelectField("Home school", coerce=int)
    subjects = StringField(
        "Subjects",
        validators=[Optional(), Length(max=255)],
        description="Separate several with semicolons, e.g. Math; Science.",
    )
    grade_band = StringField("Grade band", validators=[Optional(), Length(max=20)], description="e.g. K-2, 6-8, 9-12")
    release_hours = DecimalField(
        "Release time (hours a year)",
        places=1,
        validators=[Optional(), NumberRange(0, 200, "0 to 200 hours.")],
        description="Leave empty for the school's default; team leaders often have 16.",
    )
    active = BooleanField("Account is active", default=True)
    submit = SubmitField("Save")


class InviteForm(Form):
    name = StringField("Name", validators=[DataRequired("Enter the person's name."), Length(max=120)])
    email = EmailField(
        "Email", validators=[DataRequired("Enter an email."), Email("Enter a valid email address."), Length(max=254)]
    )
    roles = CheckboxesField("Roles", choices=ROLE_CHOICES, validators=[DataRequired("Choose at least one role.")])
    school_id = SelectField("Home school", coerce=int)
    submit = SubmitField("Send invitation")


class RosterUploadForm(Form):
    file = FileField(
        "Roster file (CSV)",
        validators=[FileRequired("Choose a CSV file to upload."), FileAllowed(["csv", "txt"], "Upload a .csv file.")],
    )
    submit = SubmitField("Check the file")


class RosterApplyForm(Form):
    invite_new = BooleanField("Email an invitation to each new person", default=True)
    submit = SubmitField("Import")


class DepartureForm(Form):
    confirm_name = StringField(
        "Type their name to confirm",
        validators=[DataRequired(message="Type their name to confirm."), Length(max=120)],
    )
    submit = SubmitField("Erase their data")


class CloseDayForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    name = StringField("Why (everyone affected is told)", validators=[Length(max=120)])
    every_school = BooleanField("Every school in the district")


class ReopenDayForm(Form):
    day = DateField("Day", validators=[InputRequired("Choose the day.")])
    every_school = BooleanField("Every school in the district")


class CalendarUploadForm(Form):
    file = FileField(
        "Calendar file (.ics or .csv)",
        validators=[FileRequired("Choose a file."), FileAllowed(["ics", "csv"], "Use an .ics or .csv file.")],
    )

"""One small district with every kind of user and one of every object, for the permission matrix.

School A holds the visit: the host's slot, the observer's sign-up, notes (shared with the host and
with the observer's coach), a photo, a cover request with plans, a coaching record, a cohort the
observer belongs to (the host leads it) and a logged learning entry. School B has an admin of its own."""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from PIL import Image
from sqlalchemy import select, text

from tests.coaching_setup import coach_with_consent
from walkthrough.auth import sessions
from walkthrough.auth.models import Role, User
from walkthrough.coaching import records
from walkthrough.cohorts import services as cohorts
from walkthrough.coverage import plans
from walkthrough.coverage import services as coverage
from walkthrough.coverage.models import SubstitutePool
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry
from walkthrough.observations import changes, photos
from walkthrough.observations import services as observations
from walkthrough.outbox.models import OutboxMessage
from walkthrough.protocols import services as protocols
from walkthrough.protocols.models import Protocol
from walkthrough.roster.models import RosterUpload
from walkthrough.schools.models import PeriodAssignment
from walkthrough.schools.services import save_period
from walkthrough.schools.times import local_today
from walkthrough.showcase import services as showcase
from walkthrough.surveys import services as surveys
from walkthrough.toolkit import services as toolkit
from walkthrough.trainings import services as trainings
from walkthrough.visits import hosting
from walkthrough.visits import services as visits
from walkthrough.walks import capture as walk_capture
from walkthrough.walks import services as walk_services
from walkthrough.walks import tools as walk_tools
from walkthrough.walks.models import WalkTool

KINDS = (
    "anonymous",
    "teacher",
    "host",
    "observer",
    "coach",  # the observer's coach
    "other_coach",  # coaches someone else
    "school_admin",  # admin of school A, where the visit happens
    "other_admin",  # admin of school B
    "district_admin",
    "substitute",
)
NOTE_TEXT = "Pairs explained their strategy to each other"


@dataclass
class World:
    people: dict[str, User]
    ids: dict[str, int] = field(default_factory=dict)


def _weekday_ahead(weekday: int = 1) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(out, "PNG")
    return out.getvalue()


def build_world(make_school, make_user) -> World:
    year = dict(first_day=date.today() - timedelta(days=60), last_day=date.today() + timedelta(days=200))
    school, other_school = make_school("School A", **year), make_school("School B", **year)
    people = {
        "teacher": make_user(Role.TEACHER, school=school, name="Tess Teacher"),
        "host": make_user(Role.TEACHER, school=school, name="Hana Host"),
        "observer": make_user(Role.TEACHER, school=school, name="Omar Observer"),
        "coach": make_user(Role.COACH, school=school, name="Cara Coach"),
        "other_coach": make_user(Role.COACH, school=school, name="Otto Coach"),
        "school_admin": make_user(Role.ADMIN, school=school, name="Sal Principal"),
        "other_admin": make_user(Role.ADMIN, school=other_school, name="Bea Elsewhere"),
        "district_admin": make_user(Role.ADMIN, name="Dee District"),
        "substitute": make_user(Role.SUBSTITUTE, name="Sid Sub"),
    }
    week = ["mon", "tue", "wed", "thu", "fri"]
    period = save_period(school=school, period=None, name="Period 2", starts_at=time(9), ends_at=time(9, 50), days=week)
    db.session.add_all(
        [
            PeriodAssignment(
                user_id=people["observer"].id, period_id=period.id, kind="teaching", course="Math", room="1"
            ),
            SubstitutePool(substitute_id=people["substitute"].id, school_id=school.id),
        ]
    )
    db.session.flush()

    builtin = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    [slot] = hosting.open_classroom(
        host=people["host"],
        day=_weekday_ahead(),
        period_id=period.id,
        local_start=None,
        local_end=None,
        room="12",
        capacity=3,
        focus_question="Who does the talking?",
        protocol=builtin,
        note_for_visitors="",
        cutoff_hours=0,
        per_person_limit=None,
    )
    caseload_member = coach_with_consent(coach=people["coach"], coachee=people["observer"])
    coach_with_consent(coach=people["other_coach"], coachee=people["teacher"])
    signup = visits.sign_up(slot=slot, observer=people["observer"], actor=people["coach"])  # booked by the coach
    [cover] = coverage.request_coverage(
        teacher=people["observer"], day=_weekday_ahead(3), period_ids=[period.id], reason="conference", notes=""
    )
    plans.add_plans(
        requests=[cover], teacher=people["observer"], notes="Worksheet on desk", filename="p.pdf", raw=b"%PDF-1.4 plan"
    )

    observation = observations.start_observation(observer=people["observer"], host=people["host"], protocol=builtin)
    [written] = changes.apply_changes(
        observation=observation,
        changes=[
            {"key": "first-note-key", "op": "text", "slot": "focus", "value": NOTE_TEXT, "base": "", "base_revision": 0}
        ],
    )
    assert "error" not in written, written
    photo = photos.add_photo(observation=observation, field_key="photos", raw=_png())
    observations.share(observation=observation, actor=people["observer"], with_host=True, coach=people["coach"])

    start_year = school.year_first_day.year
    record = records.record_for(people["observer"], start_year)
    goal = records.add_goal(record=record, text="More student talk")
    evidence = records.add_evidence(goal=goal, actor=people["coach"], label="Video", url="https://example.org/v")
    cycle = records.start_cycle(record=record, coach=people["coach"], focus="Discourse", started_on=date.today())
    activity = records.log_activity(
        record=record, coach=people["coach"], day=date.today(), kind="planning", minutes=30, today=date.today()
    )

    cohort = cohorts.save_cohort(
        cohort=None,
        name="New teachers",
        level=school.level.value if hasattr(school.level, "value") else school.level,
        region="North",
        start_year=start_year,
        leader=people["host"],
        meetings_required=4,
        hours_required=10,
    )
    cohorts.add_member(cohort=cohort, person=people["observer"])
    meeting = cohorts.schedule_meeting(
        cohort=cohort, day=date.today(), mode="in_person", place="Library", topic="Goals"
    )
    cohorts.upload_growth_plan(cohort=cohort, member=people["observer"], filename="plan.pdf", raw=b"%PDF-1.4 goals")
    learning = LearningEntry(
        user_id=people["observer"].id, day=date.today(), kind="webinar", title="Talk moves", minutes=60
    )
    protocol_copy = protocols.copy_protocol(protocol=builtin, actor=people["coach"])
    walk_tool = db.session.scalar(select(WalkTool).where(WalkTool.slug.is_not(None)))
    tool_copy = walk_tools.copy_tool(tool=walk_tool, actor=people["coach"])
    walk = walk_services.plan_walk(
        actor=people["coach"],
        school=school,
        tool=walk_tool,
        kind="blast",
        focus="Student talk",
        starts_on=local_today(school),
        ends_on=local_today(school),
        team_ids=[people["coach"].id, people["observer"].id],
    )
    classroom, _ = walk_capture.capture_classroom(
        walk=walk,
        walker=people["observer"],
        client_key="world",
        visited_on=None,
        grade_band="6-8",
        subject_area="",
        marks={walk.look_fors[0]["key"]: "seen"},
        tallies={},
        evidence=NOTE_TEXT,
    )
    resource = toolkit.save_resource(
        actor=people["coach"],
        resource=None,
        title="Norms for visiting",
        kind="norms",
        summary="",
        body="We describe what we see.",
        link="",
        protocol_id=None,
        tags="trust",
    )
    training = trainings.save_training(
        actor=people["district_admin"],
        training=None,
        title="Mandated reporter",
        description="",
        hours=2,
        due_on=date.today() + timedelta(days=30),
        school_id=None,
        audience="teachers",
    )
    survey = surveys.create_survey(
        actor=people["school_admin"],
        title="After the PD day",
        kind="exit_slip",
        intro="",
        audience=f"school:{school.id}",
        closes_on=None,
        suggested=True,
    )
    surveys.send(survey=survey, actor=people["school_admin"])
    showcase_item = showcase.propose(
        observation=observation, actor=people["observer"], title="Pairs", excerpt="Pairs compared", photo_id=photo.id
    )
    showcase.consent(item=showcase_item, actor=people["host"])
    upload = RosterUpload(uploaded_by_id=people["school_admin"].id, filename="r.csv", content="email,name\n")
    db.session.add_all([learning, upload])
    db.session.commit()
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == people["observer"].email).order_by(OutboxMessage.id)
    )

    ids = {
        "school": school.id,
        "other_school": other_school.id,
        "period": period.id,
        "slot": slot.id,
        "signup": signup.id,
        "cover": cover.id,
        "observation": observation.id,
        "photo": photo.id,
        "record": record.id,
        "goal": goal.id,
        "evidence": evidence.id,
        "cycle": cycle.id,
        "activity": activity.id,
        "cohort": cohort.id,
        "meeting": meeting.id,
        "learning": learning.id,
        "protocol": protocol_copy.id,
        "walk": walk.id,
        "walk_classroom": classroom.id,
        "walk_tool": tool_copy.id,
        "walk_tool_builtin": walk_tool.id,
        "look_for": walk.look_fors[0]["key"],
        "builtin_protocol": builtin.id,
        "upload": upload.id,
        "showcase_item": showcase_item.id,  # published with the observer's photo
        "training": training.id,  # district-wide, for teachers
        "resource": resource.id,
        "survey": survey.id,  # sent to school A's staff by its admin, not yet answered
        "question": survey.questions[0].id,
        "caseload_member": caseload_member.id,
        "message": message.id,  # an email to the observer, in school A
        "device": 1,  # someone's signed-in device; each kind of user may only sign out their own
    }
    ids |= {name: person.id for name, person in people.items()}
    return World(people=people, ids=ids)


# Which world object each URL argument names.
URL_ARGUMENTS = {
    "school_id": "school",
    "period_id": "period",
    "person_id": "observer",
    "upload_id": "upload",
    "goal_id": "goal",
    "coachee_id": "observer",
    "activity_id": "activity",
    "evidence_id": "evidence",
    "cycle_id": "cycle",
    "cohort_id": "cohort",
    "entry_id": "learning",
    "user_id": "observer",
    "meeting_id": "meeting",
    "request_id": "cover",
    "observation_id": "observation",
    "photo_id": "photo",
    "protocol_id": "protocol",
    "slot_id": "slot",
    "signup_id": "signup",
    "member_id": "caseload_member",
    "device_id": "device",
    "message_id": "message",
    "preference_id": "device",
    "day_off_id": "device",
    "substitute_id": "substitute",
    "walk_id": "walk",
    "classroom_id": "walk_classroom",
    "tool_id": "walk_tool",
    "survey_id": "survey",
    "resource_id": "resource",
    "training_id": "training",
    "item_id": "showcase_item",
    "question_id": "question",
}


def url_in_world(app, endpoint: str, ids: dict) -> str:
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    values = {}
    for name, converter in rule._converters.items():
        if name in URL_ARGUMENTS:
            values[name] = ids[URL_ARGUMENTS[name]]
        else:
            values[name] = sorted(converter.items)[0]  # the export kinds
    return rule.build(values, append_unknown=False)[1]


def sign_in_as(client, person) -> None:
    """Straight into the session: the matrix signs in hundreds of times, and a password check is slow."""
    token = sessions.start(person)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def database_fingerprint() -> str:
    """Every row of every table, so a refused request can be shown to have changed nothing."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        # Logs, mail and sessions record reads too; the roll-ups are counts a dashboard read brings up to date.
        if table.name in {"audit_events", "outbox_messages", "device_sessions"} or table.name.startswith("rollup_"):
            continue
        order = ", ".join(c.name for c in table.primary_key.columns) or "1"
        for row in db.session.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}")):
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()
    return digest.hexdigest()


_BUILT: dict[str, tuple[World, str]] = {}


def reused_world(app) -> World:
    """The world for tests that change nothing, built once per database and reused while its rows are as built
    (checked by fingerprint before each use, and built again if a test did change it). Call inside an app
    context; the rows stay afterwards, and the next test that wants an empty database empties it first."""
    from tests.conftest import LEFT_WITH_ROWS, _empty_every_table
    from tests.people_setup import school_maker, user_maker

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    known = _BUILT.get(url)
    if known is None or url not in LEFT_WITH_ROWS or database_fingerprint() != known[1]:
        _empty_every_table()
        built = build_world(school_maker(), user_maker())
        LEFT_WITH_ROWS.add(url)
        known = _BUILT[url] = (built, database_fingerprint())
    world = known[0]
    people = {kind: db.session.get(User, world.ids[kind]) for kind in world.people}
    return World(people=people, ids=world.ids)

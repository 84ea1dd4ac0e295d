"""The protocols every district starts with, in our own words. Coaches and admins copy and adapt them."""

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, column, insert, select, table

from ..db_types import utcnow

BUILT_IN_PROTOCOLS = [
    {
        "slug": "noticings-wonderings",
        "name": "Noticings and wonderings",
        "purpose": "Open curiosity about a colleague's classroom. You write down what you notice (things you can "
        "see and hear) and what you wonder (questions they raise for you), and leave the meaning "
        "for the conversation afterwards.",
        "before": "Ask the host if there is anything they'd like you to notice. Agree where to sit.",
        "during": "Write noticings as plain description: who said or did what. Turn any judgment you catch "
        "yourself making into a wondering.",
        "after": "Share your noticings first, then your wonderings, and let the host choose what to talk about.",
        "fields": [
            {
                "key": "noticings",
                "kind": "prompt",
                "label": "I noticed…",
                "help": "What you saw and heard, as a camera would record it.",
            },
            {"key": "log", "kind": "evidence_log", "label": "Moments", "help": "Tap + for each moment worth noting."},
            {
                "key": "wonderings",
                "kind": "prompt",
                "label": "I wonder…",
                "help": "Questions your noticings raise, e.g. “I wonder how students decided…”.",
            },
            {
                "key": "photos",
                "kind": "photo",
                "label": "Photos of student work or the room",
                "help": "No student faces.",
            },
        ],
    },
    {
        "slug": "focus-question",
        "name": "Evidence for the host's focus question",
        "purpose": "The host chooses one question about their own practice. You collect evidence that speaks to "
        "it, and nothing else: the host decides what the evidence means.",
        "before": "Read the host's focus question and ask what evidence would help them most.",
        "during": "Record only what bears on the question: quotes, actions, counts, student work.",
        "after": "Give the host the evidence, then listen. Offer a wondering only if they ask for one.",
        "fields": [
            {
                "key": "focus",
                "kind": "focus_question",
                "label": "The host's focus question",
                "help": "Evidence that speaks to the question the host asked.",
            },
            {
                "key": "log",
                "kind": "evidence_log",
                "label": "Evidence",
                "help": "Tap + each time you see or hear something that bears on the question.",
            },
            {
                "key": "student_voice",
                "kind": "prompt",
                "label": "What students said",
                "help": "Exact words where you can.",
            },
            {"key": "photos", "kind": "photo", "label": "Photos of student work", "help": "No student faces."},
        ],
    },
    {
        "slug": "learning-walk",
        "name": "Learning walk with look-fors",
        "purpose": "A short visit, ten minutes or so, focused on what students are learning and doing. A small "
        "team agrees on look-fors beforehand and notes whether each was seen.",
        "before": "Agree the look-fors as a team. Keep them about student learning, not teacher moves.",
        "during": "Talk to students if the host is happy for you to: “What are you learning? How will you know "
        "you've got it?”",
        "after": "Pool what the team saw across classrooms. Talk about patterns in the school, never one room.",
        "fields": [
            {
                "key": "lookfors",
                "kind": "look_fors",
                "label": "Look-fors",
                "tally": True,
                "help": "Mark each as seen, not seen or not applicable; tap the counter each time you see it.",
                "items": [
                    "Students can say what they are learning",
                    "Students talk with each other about the task",
                    "Student work is displayed with feedback",
                    "Students ask questions",
                ],
            },
            {
                "key": "student_talk",
                "kind": "prompt",
                "label": "What students told us",
                "help": "Answers to “What are you learning?” in students' own words.",
            },
            {"key": "log", "kind": "evidence_log", "label": "Evidence", "help": "Tap + for each moment."},
        ],
    },
    {
        "slug": "instructional-rounds",
        "name": "Instructional rounds",
        "purpose": "A network of educators studies a problem of practice the school has named, by gathering "
        "low-inference description in several classrooms. The debrief is about the school's "
        "instructional core, never about one teacher.",
        "before": "Read the school's problem of practice. Agree what evidence would speak to it.",
        "during": "Write low-inference description only: what the teacher and students said and did, and the "
        "task students were working on. Leave out adjectives.",
        "after": "Debrief in steps: description, then patterns across rooms, then predictions (if you were a "
        "student here, what would you learn?), then the next level of work for the school.",
        "fields": [
            {
                "key": "problem",
                "kind": "focus_question",
                "label": "Problem of practice",
                "help": "The school's question; evidence goes below.",
            },
            {
                "key": "task",
                "kind": "prompt",
                "label": "The task students were doing",
                "help": "What were students actually asked to do?",
            },
            {"key": "teacher", "kind": "prompt", "label": "What the teacher said and did"},
            {"key": "students", "kind": "prompt", "label": "What students said and did"},
            {"key": "log", "kind": "evidence_log", "label": "Timed evidence"},
        ],
    },
    {
        "slug": "lesson-study",
        "name": "Lesson study: following students' thinking",
        "purpose": "A team plans a research lesson together; one teaches and the others each follow one or two "
        "students closely, to learn how students' thinking develops through the lesson.",
        "before": "Choose which students you will follow and note what the team predicted they would do.",
        "during": "Stay with your students. Record their words, their work and their moves, with times.",
        "after": "Compare what students did with what the team predicted, and revise the lesson, not the teacher.",
        "fields": [
            {
                "key": "students",
                "kind": "prompt",
                "label": "The students I followed",
                "help": "First names or initials only.",
            },
            {
                "key": "log",
                "kind": "evidence_log",
                "label": "Their thinking, moment by moment",
                "help": "Tap + and note what they said, wrote or did.",
            },
            {"key": "predictions", "kind": "prompt", "label": "Compared with our predictions…"},
            {"key": "photos", "kind": "photo", "label": "Photos of their work", "help": "No student faces."},
        ],
    },
]


# Plain table descriptions, not the models, so the migration that first installs these keeps working
# however the models change later.
_protocols = table(
    "protocols",
    column("id", Integer),
    column("slug", String),
    column("name", String),
    column("purpose", Text),
    column("before", Text),
    column("during", Text),
    column("after", Text),
    column("archived", Boolean),
    column("created_at", DateTime),
)
_versions = table(
    "protocol_versions",
    column("protocol_id", Integer),
    column("number", Integer),
    column("fields", JSON),
    column("created_at", DateTime),
)


def install_builtin_protocols(connection) -> int:
    """Insert any built-in protocol missing from the database; used by the migration and the tests."""
    existing = set(connection.execute(select(_protocols.c.slug).where(_protocols.c.slug.is_not(None))).scalars())
    added = 0
    for spec in BUILT_IN_PROTOCOLS:
        if spec["slug"] in existing:
            continue
        now = utcnow().replace(tzinfo=None)  # stored as naive UTC, like every instant
        protocol_id = connection.execute(
            insert(_protocols)
            .values(
                slug=spec["slug"],
                name=spec["name"],
                purpose=spec["purpose"],
                before=spec["before"],
                during=spec["during"],
                after=spec["after"],
                archived=False,
                created_at=now,
            )
            .returning(_protocols.c.id)
        ).scalar_one()
        connection.execute(
            insert(_versions).values(protocol_id=protocol_id, number=1, fields=spec["fields"], created_at=now)
        )
        added += 1
    return added

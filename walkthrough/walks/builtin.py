"""The walkthrough tools every district starts with, in our own words, from the strategic plan's focus
areas (../shared/domain/district-professional-learning-plan.txt). Coaches and admins copy and adapt them."""

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text, column, insert, select, table

from ..db_types import utcnow

BUILT_IN_TOOLS = [
    {
        "slug": "strategic-plan-focus",
        "name": "Strategic plan focus",
        "purpose": "A Blast Walkthrough of a few minutes a classroom, looking for the assured practices of the "
        "strategic plan across the building: equitable, empowered and social-emotional learning, and the "
        "Profile of the Graduate. It tells a school how often a practice is present, never who does it.",
        "goal": "Goal 1: equitable, empowered and social-emotional learning for every student",
        "look_fors": [
            {"key": "eq_access", "text": "Equitable: every student can reach the task (supports, choices, language)"},
            {"key": "eq_voices", "text": "Equitable: many different students' voices are heard"},
            {"key": "em_choice", "text": "Empowered: students make choices about how they learn or show learning"},
            {"key": "em_goals", "text": "Empowered: students can say what they are learning and why"},
            {"key": "em_feedback", "text": "Empowered: students give or use feedback on their work"},
            {"key": "sel_belong", "text": "Social-emotional: routines and norms for belonging are visible"},
            {"key": "sel_peers", "text": "Social-emotional: students work through a problem with peers"},
            {"key": "pog_collab", "text": "Profile of the Graduate: collaborative work with shared roles"},
            {"key": "pog_curious", "text": "Profile of the Graduate: students ask their own questions"},
            {"key": "pog_creative", "text": "Profile of the Graduate: students create something new"},
            {"key": "pog_culture", "text": "Profile of the Graduate: students' cultures and experiences are drawn on"},
        ],
    },
    {
        "slug": "learning-walk-tool",
        "name": "Learning walk",
        "purpose": "A learning walk: a small team visits classrooms for five to ten minutes each with a few "
        "look-fors the school chose, then writes what it noticed and wonders about the building.",
        "goal": "The school improvement plan goal the walk is about",
        "look_fors": [
            {"key": "lw_target", "text": "The learning target is posted or stated"},
            {"key": "lw_talk", "text": "Students talk about the content with each other"},
            {"key": "lw_task", "text": "The task asks students to think, not only to recall"},
            {"key": "lw_check", "text": "The teacher checks for understanding during the lesson"},
            {"key": "lw_work", "text": "Student work is on display or in use"},
        ],
    },
]

_tools = table(
    "walk_tools",
    column("id", Integer),
    column("slug", String),
    column("name", String),
    column("purpose", Text),
    column("goal", Text),
    column("look_fors", JSON),
    column("archived", Boolean),
    column("created_at", DateTime),
)


def install_builtin_tools(connection) -> int:
    """Insert any built-in tool missing from the database; used by the migration and the tests."""
    existing = set(connection.execute(select(_tools.c.slug).where(_tools.c.slug.is_not(None))).scalars())
    added = 0
    for spec in BUILT_IN_TOOLS:
        if spec["slug"] in existing:
            continue
        connection.execute(
            insert(_tools).values(
                slug=spec["slug"],
                name=spec["name"],
                purpose=spec["purpose"],
                goal=spec["goal"],
                look_fors=spec["look_fors"],
                archived=False,
                created_at=utcnow().replace(tzinfo=None),
            )
        )
        added += 1
    return added

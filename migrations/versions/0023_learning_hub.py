"""learning hub: surveys with answers kept apart from who answered, required trainings, the toolkit and the showcase

Revision ID: 0023_learning_hub
Revises: 0022_building_walks
Create Date: 2026-12-06 01:23:45.509130

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_learning_hub"
down_revision = "0022_building_walks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "required_trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("audience", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("minutes BETWEEN 15 AND 12000", name=op.f("ck_required_trainings_minutes_range")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_required_trainings_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_required_trainings_school_id_schools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_required_trainings")),
    )
    with op.batch_alter_table("required_trainings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_required_trainings_school_id"), ["school_id"], unique=False)

    op.create_table(
        "toolkit_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["protocols.id"],
            name=op.f("fk_toolkit_resources_protocol_id_protocols"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_toolkit_resources_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toolkit_resources")),
    )
    with op.batch_alter_table("toolkit_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_toolkit_resources_protocol_id"), ["protocol_id"], unique=False)

    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=12), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("training_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("shared_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_surveys_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["cohort_meetings.id"],
            name=op.f("fk_surveys_meeting_id_cohort_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_surveys_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["required_trainings.id"],
            name=op.f("fk_surveys_training_id_required_trainings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_surveys_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_surveys_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_surveys_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_surveys_training_id"), ["training_id"], unique=False)

    op.create_table(
        "toolkit_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["toolkit_resources.id"],
            name=op.f("fk_toolkit_tags_resource_id_toolkit_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toolkit_tags")),
        sa.UniqueConstraint("resource_id", "tag", name="uq_toolkit_tags_resource_tag"),
    )
    with op.batch_alter_table("toolkit_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_toolkit_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_survey_invitations_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_survey_invitations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("survey_id", "user_id", name="uq_survey_invitations_survey_user"),
    )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_invitations_survey_id"), ["survey_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_invitations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("prompt", sa.String(length=300), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_survey_questions_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_questions_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_survey_responses_survey_id_surveys"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_responses_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "showcase_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("observer_consented_at", sa.DateTime(), nullable=False),
        sa.Column("host_consented_at", sa.DateTime(), nullable=True),
        sa.Column("host_declined_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_showcase_items_host_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_showcase_items_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"], ["users.id"], name=op.f("fk_showcase_items_observer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["photos.id"], name=op.f("fk_showcase_items_photo_id_photos"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["users.id"], name=op.f("fk_showcase_items_withdrawn_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_showcase_items")),
    )
    with op.batch_alter_table("showcase_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_showcase_items_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_showcase_items_observation_id"), ["observation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_showcase_items_observer_id"), ["observer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_showcase_items_withdrawn_at"), ["withdrawn_at"], unique=False)

    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=200), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint("scale IS NULL OR scale BETWEEN 1 AND 5", name=op.f("ck_survey_answers_scale_range")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_answers_question_id_survey_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name=op.f("pk_survey_answers")),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answers_question_id"), ["question_id"], unique=False)

    with op.batch_alter_table("learning_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("setting", sa.String(length=16), nullable=False, server_default="contract_time"))
        batch_op.add_column(sa.Column("place", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("training_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_learning_entries_training_id"), ["training_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_learning_entries_training_id_required_trainings"),
            "required_trainings",
            ["training_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("learning_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_learning_entries_training_id_required_trainings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_learning_entries_training_id"))
        batch_op.drop_column("training_id")
        batch_op.drop_column("place")
        batch_op.drop_column("setting")

    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answers_question_id"))

    op.drop_table("survey_answers")
    with op.batch_alter_table("showcase_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_showcase_items_withdrawn_at"))
        batch_op.drop_index(batch_op.f("ix_showcase_items_observer_id"))
        batch_op.drop_index(batch_op.f("ix_showcase_items_observation_id"))
        batch_op.drop_index(batch_op.f("ix_showcase_items_host_id"))

    op.drop_table("showcase_items")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_survey_id"))

    op.drop_table("survey_responses")
    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_questions_survey_id"))

    op.drop_table("survey_questions")
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_user_id"))
        batch_op.drop_index(batch_op.f("ix_survey_invitations_survey_id"))

    op.drop_table("survey_invitations")
    with op.batch_alter_table("toolkit_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_toolkit_tags_tag"))

    op.drop_table("toolkit_tags")
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_surveys_training_id"))
        batch_op.drop_index(batch_op.f("ix_surveys_school_id"))
        batch_op.drop_index(batch_op.f("ix_surveys_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_surveys_created_by_id"))

    op.drop_table("surveys")
    with op.batch_alter_table("toolkit_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_toolkit_resources_protocol_id"))

    op.drop_table("toolkit_resources")
    with op.batch_alter_table("required_trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_required_trainings_school_id"))

    op.drop_table("required_trainings")

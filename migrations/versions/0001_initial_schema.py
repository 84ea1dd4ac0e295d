"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 05:42:44.829350

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_recipient"), ["recipient"], unique=False)

    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("rotation", sa.String(length=10), nullable=False),
        sa.Column("year_first_day", sa.Date(), nullable=False),
        sa.Column("year_last_day", sa.Date(), nullable=False),
        sa.CheckConstraint("year_first_day < year_last_day", name=op.f("ck_schools_year_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("name", name=op.f("uq_schools_name")),
    )
    op.create_table(
        "bell_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("days", sa.String(length=40), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_bell_periods_times_in_order")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_bell_periods_school_id_schools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bell_periods")),
        sa.UniqueConstraint("school_id", "name", name="uq_bell_periods_school_name"),
    )
    with op.batch_alter_table("bell_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bell_periods_school_id"), ["school_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("subjects", sa.String(length=255), nullable=False),
        sa.Column("grade_band", sa.String(length=20), nullable=False),
        sa.Column("is_active_account", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_users_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("session_token", name=op.f("uq_users_session_token")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_school_id"), ["school_id"], unique=False)

    op.create_table(
        "period_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("course", sa.String(length=120), nullable=False),
        sa.Column("room", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["bell_periods.id"],
            name=op.f("fk_period_assignments_period_id_bell_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_period_assignments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_assignments")),
        sa.UniqueConstraint("user_id", "period_id", name="uq_period_assignments_user_period"),
    )
    with op.batch_alter_table("period_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_period_assignments_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_period_assignments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "role_grants",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_role_grants")),
    )
    op.create_table(
        "roster_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_roster_uploads_uploaded_by_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_uploads")),
    )
    with op.batch_alter_table("roster_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_uploads_uploaded_by_id"), ["uploaded_by_id"], unique=False)


def downgrade():
    with op.batch_alter_table("roster_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_uploads_uploaded_by_id"))

    op.drop_table("roster_uploads")
    op.drop_table("role_grants")
    with op.batch_alter_table("period_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_assignments_user_id"))
        batch_op.drop_index(batch_op.f("ix_period_assignments_period_id"))

    op.drop_table("period_assignments")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_school_id"))

    op.drop_table("users")
    with op.batch_alter_table("bell_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bell_periods_school_id"))

    op.drop_table("bell_periods")
    op.drop_table("schools")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_recipient"))

    op.drop_table("outbox_messages")

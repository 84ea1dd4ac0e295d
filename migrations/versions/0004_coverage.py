"""coverage

Revision ID: 0004_coverage
Revises: 0003_visits
Create Date: 2026-11-22 06:52:30.917569

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_coverage"
down_revision = "0003_visits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "substitute_pool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_substitute_pool_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["substitute_id"], ["users.id"], name=op.f("fk_substitute_pool_substitute_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitute_pool")),
        sa.UniqueConstraint("substitute_id", "school_id", name="uq_substitute_pool_substitute_school"),
    )
    with op.batch_alter_table("substitute_pool", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_substitute_pool_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_substitute_pool_substitute_id"), ["substitute_id"], unique=False)

    op.create_table(
        "coverage_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("signup_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("room", sa.String(length=40), nullable=False),
        sa.Column("course", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_coverage_requests_assigned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["users.id"], name=op.f("fk_coverage_requests_cover_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["bell_periods.id"],
            name=op.f("fk_coverage_requests_period_id_bell_periods"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_coverage_requests_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signup_id"], ["signups.id"], name=op.f("fk_coverage_requests_signup_id_signups"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["users.id"], name=op.f("fk_coverage_requests_teacher_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_requests")),
    )
    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_requests_cover_id"), ["cover_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_requests_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_requests_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_requests_signup_id"), ["signup_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_requests_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_requests_teacher_id"), ["teacher_id"], unique=False)

    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("release_minutes_default", sa.Integer(), nullable=False, server_default="480"))
        batch_op.add_column(sa.Column("weekly_cover_cap", sa.Integer(), nullable=False, server_default="3"))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cover_lock", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("cover_lock")
        batch_op.drop_column("release_minutes")

    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("weekly_cover_cap")
        batch_op.drop_column("release_minutes_default")
        batch_op.drop_column("address")

    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_requests_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_requests_status"))
        batch_op.drop_index(batch_op.f("ix_coverage_requests_signup_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_requests_school_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_requests_day"))
        batch_op.drop_index(batch_op.f("ix_coverage_requests_cover_id"))

    op.drop_table("coverage_requests")
    with op.batch_alter_table("substitute_pool", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_substitute_pool_substitute_id"))
        batch_op.drop_index(batch_op.f("ix_substitute_pool_school_id"))

    op.drop_table("substitute_pool")

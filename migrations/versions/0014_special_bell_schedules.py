"""special bell schedules: a period's times on an early release or late start day

Revision ID: 0014_special_bell_schedules
Revises: 0013_school_calendar
Create Date: 2026-12-04 19:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_special_bell_schedules"
down_revision = "0013_school_calendar"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "special_period_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.String(length=60), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_special_period_times_special_times_in_order")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["bell_periods.id"],
            name=op.f("fk_special_period_times_period_id_bell_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_special_period_times_school_id_schools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_period_times")),
        sa.UniqueConstraint("period_id", "schedule", name="uq_special_period_times_period_schedule"),
    )
    with op.batch_alter_table("special_period_times", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_special_period_times_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_special_period_times_period_id"), ["period_id"], unique=False)


def downgrade():
    with op.batch_alter_table("special_period_times", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_special_period_times_period_id"))
        batch_op.drop_index(batch_op.f("ix_special_period_times_school_id"))
    op.drop_table("special_period_times")

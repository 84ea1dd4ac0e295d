"""roll-ups: dashboard counts by school or person and month, and which months changed since

Also when bookings whose time passed were last counted, and an index on observations by day for the days
a dashboard's dates cut, which are counted live.

Revision ID: 0024_rollups
Revises: 0023_learning_hub
Create Date: 2026-12-06 05:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0024_rollups"
down_revision = "0023_learning_hub"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rollup_school_visits",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "month", "protocol_id", name=op.f("pk_rollup_school_visits")),
    )
    op.create_table(
        "rollup_school_cover",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "month", name=op.f("pk_rollup_school_cover")),
    )
    op.create_table(
        "rollup_person_months",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("made", sa.Integer(), nullable=False),
        sa.Column("hosted", sa.Integer(), nullable=False),
        sa.Column("release_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "month", name=op.f("pk_rollup_person_months")),
    )
    op.create_table(
        "rollup_stale",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key_id", "month", name=op.f("pk_rollup_stale")),
    )
    op.create_table(
        "rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.Column("bookings_counted_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_state")),
    )


    op.create_index("ix_observations_day", "observations", ["day"])


def downgrade():
    op.drop_index("ix_observations_day", table_name="observations")
    for table in ("rollup_state", "rollup_stale", "rollup_person_months", "rollup_school_cover", "rollup_school_visits"):
        op.drop_table(table)

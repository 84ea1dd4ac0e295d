"""the school calendar: closures, special days and day-type overrides, district-wide or per school

Revision ID: 0013_school_calendar
Revises: 0012_offline_keys
Create Date: 2026-12-04 18:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_school_calendar"
down_revision = "0012_offline_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("day_type", sa.String(length=10), nullable=True),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_calendar_days_school_id_schools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_days")),
        sa.UniqueConstraint("school_id", "day", name="uq_calendar_days_school_day"),
    )
    with op.batch_alter_table("calendar_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_days_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendar_days_day"), ["day"], unique=False)
        batch_op.create_index(
            "uq_calendar_days_district_day",
            ["day"],
            unique=True,
            sqlite_where=sa.text("school_id IS NULL"),
            postgresql_where=sa.text("school_id IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("calendar_days", schema=None) as batch_op:
        batch_op.drop_index("uq_calendar_days_district_day")
        batch_op.drop_index(batch_op.f("ix_calendar_days_day"))
        batch_op.drop_index(batch_op.f("ix_calendar_days_school_id"))
    op.drop_table("calendar_days")

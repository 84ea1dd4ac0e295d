"""cover verified after the day (periods, half or full day, adjustments), for the payroll file

Revision ID: 0020_cover_verifications
Revises: 0019_absence_reasons
Create Date: 2026-12-05 08:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0020_cover_verifications"
down_revision = "0019_absence_reasons"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cover_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("adjustment_minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_cover_verifications_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["users.id"], name=op.f("fk_cover_verifications_cover_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["users.id"], name=op.f("fk_cover_verifications_teacher_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["users.id"],
            name=op.f("fk_cover_verifications_verified_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cover_verifications")),
        sa.UniqueConstraint("cover_id", "teacher_id", "day", name="uq_cover_verifications_who_when"),
    )
    op.create_index(op.f("ix_cover_verifications_school_id"), "cover_verifications", ["school_id"], unique=False)
    op.create_index(op.f("ix_cover_verifications_cover_id"), "cover_verifications", ["cover_id"], unique=False)
    op.create_index(op.f("ix_cover_verifications_day"), "cover_verifications", ["day"], unique=False)


def downgrade():
    op.drop_table("cover_verifications")

"""substitute call-out: when jobs were announced, colleagues' acknowledgements, days off, preferred
substitutes and the do-not-send list

Revision ID: 0018_substitute_callout
Revises: 0017_sso_identities
Create Date: 2026-12-05 07:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_substitute_callout"
down_revision = "0017_sso_identities"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_requests") as batch:
        batch.add_column(sa.Column("called_out_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("called_again_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))
    op.create_table(
        "substitute_days_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["substitute_id"], ["users.id"], name=op.f("fk_substitute_days_off_substitute_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitute_days_off")),
        sa.UniqueConstraint("substitute_id", "day", name="uq_substitute_days_off_substitute_day"),
    )
    op.create_index(
        op.f("ix_substitute_days_off_substitute_id"), "substitute_days_off", ["substitute_id"], unique=False
    )
    op.create_table(
        "preferred_substitutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_preferred_substitutes_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["users.id"], name=op.f("fk_preferred_substitutes_teacher_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["substitute_id"],
            ["users.id"],
            name=op.f("fk_preferred_substitutes_substitute_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preferred_substitutes")),
        sa.UniqueConstraint("school_id", "teacher_id", "substitute_id", name="uq_preferred_substitutes_who"),
    )
    op.create_index(op.f("ix_preferred_substitutes_school_id"), "preferred_substitutes", ["school_id"], unique=False)
    op.create_index(
        op.f("ix_preferred_substitutes_substitute_id"), "preferred_substitutes", ["substitute_id"], unique=False
    )
    op.create_table(
        "do_not_send",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_do_not_send_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["substitute_id"], ["users.id"], name=op.f("fk_do_not_send_substitute_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_do_not_send_added_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_do_not_send")),
        sa.UniqueConstraint("school_id", "substitute_id", name="uq_do_not_send_school_substitute"),
    )
    op.create_index(op.f("ix_do_not_send_school_id"), "do_not_send", ["school_id"], unique=False)
    op.create_index(op.f("ix_do_not_send_substitute_id"), "do_not_send", ["substitute_id"], unique=False)


def downgrade():
    op.drop_table("do_not_send")
    op.drop_table("preferred_substitutes")
    op.drop_table("substitute_days_off")
    with op.batch_alter_table("coverage_requests") as batch:
        batch.drop_column("acknowledged_at")
        batch.drop_column("called_again_at")
        batch.drop_column("called_out_at")

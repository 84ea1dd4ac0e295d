"""server-side sessions, links bound to their address, coaching by consent; report role-rule breaks

Revision ID: 0011_trust_round_two
Revises: 0010_board_and_report_indexes
Create Date: 2026-12-04 15:00:00

"""

import logging

import sqlalchemy as sa
from alembic import op

from walkthrough.trust.checks import problems

revision = "0011_trust_round_two"
down_revision = "0010_board_and_report_indexes"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    op.create_table(
        "device_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_device_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_device_sessions_token_hash")),
    )
    with op.batch_alter_table("device_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_sessions_user_id"), ["user_id"], unique=False)

    # Everyone signs in again: old cookies carried a token that no longer exists.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_nonce", sa.String(length=32), server_default="", nullable=False))
        batch_op.drop_constraint("uq_users_session_token", type_="unique")
        batch_op.drop_column("session_token")

    # Coaching that already exists was set up before consent was asked; it stays, and the teacher can end it.
    with op.batch_alter_table("caseload_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE caseload_members SET accepted_at = added_at")

    for problem in problems(op.get_bind()):
        log.warning("Role rule broken (fix by hand; `flask trust check` lists these again): %s", problem)


def downgrade():
    with op.batch_alter_table("caseload_members", schema=None) as batch_op:
        batch_op.drop_column("accepted_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    # Each person needs a distinct token again; their id is distinct and nobody's cookie holds it.
    op.execute("UPDATE users SET session_token = 'reset-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_users_session_token", ["session_token"])
        batch_op.drop_column("link_nonce")
    with op.batch_alter_table("device_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_sessions_user_id"))
    op.drop_table("device_sessions")

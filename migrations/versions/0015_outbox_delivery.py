"""transactional outbox: messages wait for the worker, retry with back-off; nudge settings and history

Revision ID: 0015_outbox_delivery
Revises: 0014_special_bell_schedules
Create Date: 2026-12-04 23:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_outbox_delivery"
down_revision = "0014_special_bell_schedules"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("mime", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("message_id", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False, server_default="queued"))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
    # Messages from before were sent (or logged, or failed) in their request; none is waiting, so the worker
    # must not send any of them again.
    op.execute(
        "UPDATE outbox_messages SET status = CASE delivery WHEN 'smtp' THEN 'sent' WHEN 'log' THEN 'logged' "
        "ELSE 'failed' END, sent_at = CASE WHEN delivery = 'smtp' THEN created_at END, "
        "attempts = 1"
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("delivery")
        batch_op.create_index(batch_op.f("ix_outbox_messages_status"), ["status"], unique=False)

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("muted", sa.String(length=200), nullable=False),
        sa.Column("quiet_hours", sa.Boolean(), nullable=False),
        sa.Column("quiet_from", sa.Time(), nullable=False),
        sa.Column("quiet_until", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "worker_beats",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_beats")),
    )
    op.create_table(
        "sent_nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sent_nudges_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_nudges")),
        sa.UniqueConstraint("kind", "key", name="uq_sent_nudges_kind_key"),
    )
    with op.batch_alter_table("sent_nudges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_nudges_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("sent_nudges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_nudges_user_id"))
    op.drop_table("sent_nudges")
    op.drop_table("worker_beats")
    op.drop_table("notification_settings")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_status"))
        batch_op.add_column(sa.Column("delivery", sa.String(length=10), nullable=False, server_default="log"))
    op.execute(
        "UPDATE outbox_messages SET delivery = CASE status WHEN 'sent' THEN 'smtp' WHEN 'failed' THEN 'failed' "
        "ELSE 'log' END"
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("sent_at")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("status")
        batch_op.drop_column("message_id")
        batch_op.drop_column("mime")
        batch_op.drop_column("kind")

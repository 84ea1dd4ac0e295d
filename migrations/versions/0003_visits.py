"""visits

Revision ID: 0003_visits
Revises: 0002_observations
Create Date: 2026-11-22 06:36:05.643762

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_visits"
down_revision = "0002_observations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visit_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("local_start", sa.Time(), nullable=False),
        sa.Column("local_end", sa.Time(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("room", sa.String(length=40), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("focus_question", sa.Text(), nullable=False),
        sa.Column("note_for_visitors", sa.Text(), nullable=False),
        sa.Column("cutoff_hours", sa.Integer(), nullable=False),
        sa.Column("per_person_limit", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("capacity BETWEEN 1 AND 10", name=op.f("ck_visit_slots_capacity_range")),
        sa.CheckConstraint("local_start < local_end", name=op.f("ck_visit_slots_times_in_order")),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_visit_slots_host_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["period_id"], ["bell_periods.id"], name=op.f("fk_visit_slots_period_id_bell_periods"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["protocol_id"], ["protocols.id"], name=op.f("fk_visit_slots_protocol_id_protocols")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_visit_slots_school_id_schools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_slots")),
    )
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_slots_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slots_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slots_protocol_id"), ["protocol_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slots_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slots_series_key"), ["series_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slots_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["users.id"], name=op.f("fk_signups_booked_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_signups_observation_id_observations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"], ["users.id"], name=op.f("fk_signups_observer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["visit_slots.id"], name=op.f("fk_signups_slot_id_visit_slots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signups")),
        sa.UniqueConstraint("slot_id", "observer_id", name="uq_signups_slot_observer"),
    )
    with op.batch_alter_table("signups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signups_observer_id"), ["observer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signups_slot_id"), ["slot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signups_status"), ["status"], unique=False)

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=False, server_default=""))

    # Existing people each get their own calendar-feed secret before the column becomes required.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("calendar_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(calendar_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("calendar_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_calendar_token"), ["calendar_token"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("calendar")

    with op.batch_alter_table("signups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signups_status"))
        batch_op.drop_index(batch_op.f("ix_signups_slot_id"))
        batch_op.drop_index(batch_op.f("ix_signups_observer_id"))

    op.drop_table("signups")
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_slots_starts_at"))
        batch_op.drop_index(batch_op.f("ix_visit_slots_series_key"))
        batch_op.drop_index(batch_op.f("ix_visit_slots_school_id"))
        batch_op.drop_index(batch_op.f("ix_visit_slots_protocol_id"))
        batch_op.drop_index(batch_op.f("ix_visit_slots_host_id"))
        batch_op.drop_index(batch_op.f("ix_visit_slots_day"))

    op.drop_table("visit_slots")

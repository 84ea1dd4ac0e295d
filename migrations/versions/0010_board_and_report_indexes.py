"""indexes for the coverage board (each candidate's bookings), district reports (bookings without notes)
and a school's open visit times

Revision ID: 0010_board_and_report_indexes
Revises: 0009_departures
Create Date: 2026-11-23 13:05:00

"""

from alembic import op

revision = "0010_board_and_report_indexes"
down_revision = "0009_departures"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.create_index("ix_coverage_requests_cover_starts", ["cover_id", "starts_at"], unique=False)
        batch_op.drop_index("ix_coverage_requests_cover_id")
    with op.batch_alter_table("signups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_signups_status_observation_slot", ["status", "observation_id", "slot_id"], unique=False
        )
        batch_op.drop_index("ix_signups_status")
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.create_index("ix_visit_slots_school_starts", ["school_id", "starts_at"], unique=False)
        batch_op.drop_index("ix_visit_slots_school_id")


def downgrade():
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.create_index("ix_visit_slots_school_id", ["school_id"], unique=False)
        batch_op.drop_index("ix_visit_slots_school_starts")
    with op.batch_alter_table("signups", schema=None) as batch_op:
        batch_op.create_index("ix_signups_status", ["status"], unique=False)
        batch_op.drop_index("ix_signups_status_observation_slot")
    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.create_index("ix_coverage_requests_cover_id", ["cover_id"], unique=False)
        batch_op.drop_index("ix_coverage_requests_cover_starts")

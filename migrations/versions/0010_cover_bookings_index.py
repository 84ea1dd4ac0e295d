"""coverage requests indexed by cover and start: the board checks each candidate's bookings

Revision ID: 0010_cover_bookings_index
Revises: 0009_departures
Create Date: 2026-11-23 13:05:00

"""
from alembic import op


revision = '0010_cover_bookings_index'
down_revision = '0009_departures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coverage_requests', schema=None) as batch_op:
        batch_op.create_index('ix_coverage_requests_cover_starts', ['cover_id', 'starts_at'], unique=False)
        batch_op.drop_index('ix_coverage_requests_cover_id')


def downgrade():
    with op.batch_alter_table('coverage_requests', schema=None) as batch_op:
        batch_op.create_index('ix_coverage_requests_cover_id', ['cover_id'], unique=False)
        batch_op.drop_index('ix_coverage_requests_cover_starts')

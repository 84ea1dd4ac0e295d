"""departures: when someone downloaded their data and when they left

Revision ID: 0009_departures
Revises: 0008_visit_history_indexes
Create Date: 2026-11-23 07:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_departures"
down_revision = "0008_visit_history_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_copy_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("departed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("departed_at")
        batch_op.drop_column("data_copy_at")

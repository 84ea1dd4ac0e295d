"""a cohort's growth plan due date, for the reminders before it and the leader's list after it

Revision ID: 0016_growth_plan_due
Revises: 0015_outbox_delivery
Create Date: 2026-12-05 07:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_growth_plan_due"
down_revision = "0015_outbox_delivery"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("plan_due", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("plan_due")

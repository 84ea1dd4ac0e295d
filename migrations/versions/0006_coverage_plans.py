"""coverage plans

Revision ID: 0006_coverage_plans
Revises: 0005_visit_approval
Create Date: 2026-11-22 07:10:04.464398

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_coverage_plans"
down_revision = "0005_visit_approval"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_file", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("plan_name", sa.String(length=200), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("coverage_requests", schema=None) as batch_op:
        batch_op.drop_column("plan_name")
        batch_op.drop_column("plan_file")

"""visit approval

Revision ID: 0005_visit_approval
Revises: 0004_coverage
Create Date: 2026-11-22 07:02:08.446618

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_visit_approval"
down_revision = "0004_coverage"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requires_visit_approval", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_column("requires_visit_approval")

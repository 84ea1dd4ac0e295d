"""absence reasons the district configures: label, approval rule and payroll account code

Revision ID: 0019_absence_reasons
Revises: 0018_substitute_callout
Create Date: 2026-12-05 08:00:00

"""

import sqlalchemy as sa
from alembic import op

from walkthrough.coverage.reasons import install_default_reasons

revision = "0019_absence_reasons"
down_revision = "0018_substitute_callout"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "absence_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("account_code", sa.String(length=40), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_reasons")),
        sa.UniqueConstraint("key", name=op.f("uq_absence_reasons_key")),
    )
    # The reasons every request so far was made with (the old fixed list), under the same keys.
    install_default_reasons(op.get_bind())


def downgrade():
    op.drop_table("absence_reasons")

"""cover minutes in the roll-ups: the summary export's cover hours come from them

Each school month already counted is marked stale, so the next dashboard or export counts its minutes
(and only those months: a state's roll-ups are not built again from nothing).

Revision ID: 0025_cover_minutes
Revises: 0024_rollups
Create Date: 2026-12-06 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_cover_minutes"
down_revision = "0024_rollups"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rollup_school_cover", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minutes", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "INSERT INTO rollup_stale (kind, key_id, month) "
        "SELECT 'school', cover.school_id, cover.month FROM rollup_school_cover AS cover "
        "WHERE NOT EXISTS (SELECT 1 FROM rollup_stale AS stale "
        "WHERE stale.kind = 'school' AND stale.key_id = cover.school_id AND stale.month = cover.month)"
    )


def downgrade():
    with op.batch_alter_table("rollup_school_cover", schema=None) as batch_op:
        batch_op.drop_column("minutes")

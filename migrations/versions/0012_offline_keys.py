"""keys made on the phone, so a note or photo made offline is created exactly once

Revision ID: 0012_offline_keys
Revises: 0011_trust_round_two
Create Date: 2026-12-04 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_offline_keys"
down_revision = "0011_trust_round_two"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_observations_observer_id_client_key", ["observer_id", "client_key"])
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_photos_observation_id_client_key", ["observation_id", "client_key"])


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_constraint("uq_photos_observation_id_client_key", type_="unique")
        batch_op.drop_column("client_key")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_observations_observer_id_client_key", type_="unique")
        batch_op.drop_column("client_key")

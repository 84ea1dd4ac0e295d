"""protocols and observations

Revision ID: 0002_observations
Revises: 0001_initial
Create Date: 2026-11-22 06:09:08.953851

"""

import sqlalchemy as sa
from alembic import op

from walkthrough.protocols.builtin import install_builtin_protocols

# revision identifiers, used by Alembic.
revision = "0002_observations"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "protocols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("during", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["copied_from_id"],
            ["protocols.id"],
            name=op.f("fk_protocols_copied_from_id_protocols"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_protocols_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocols")),
        sa.UniqueConstraint("slug", name=op.f("uq_protocols_slug")),
    )
    with op.batch_alter_table("protocols", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocols_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "protocol_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["protocols.id"],
            name=op.f("fk_protocol_versions_protocol_id_protocols"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_versions")),
        sa.UniqueConstraint("protocol_id", "number", name="uq_protocol_versions_protocol_number"),
    )
    with op.batch_alter_table("protocol_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocol_versions_protocol_id"), ["protocol_id"], unique=False)

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("protocol_version_id", sa.Integer(), nullable=False),
        sa.Column("focus_question", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("shared_with_host_at", sa.DateTime(), nullable=True),
        sa.Column("shared_with_coach_id", sa.Integer(), nullable=True),
        sa.Column("host_reply", sa.Text(), nullable=False),
        sa.Column("host_replied_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_observations_host_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"], ["users.id"], name=op.f("fk_observations_observer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["protocol_version_id"],
            ["protocol_versions.id"],
            name=op.f("fk_observations_protocol_version_id_protocol_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["shared_with_coach_id"],
            ["users.id"],
            name=op.f("fk_observations_shared_with_coach_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_observer_id"), ["observer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_protocol_version_id"), ["protocol_version_id"], unique=False)

    op.create_table(
        "applied_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_applied_changes_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applied_changes")),
        sa.UniqueConstraint("observation_id", "key", name="uq_applied_changes_observation_key"),
    )
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applied_changes_observation_id"), ["observation_id"], unique=False)

    op.create_table(
        "evidence_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=24), nullable=False),
        sa.Column("client_id", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_evidence_entries_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_entries")),
        sa.UniqueConstraint("observation_id", "client_id", name="uq_evidence_entries_observation_client"),
    )
    with op.batch_alter_table("evidence_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_entries_observation_id"), ["observation_id"], unique=False)

    op.create_table(
        "note_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_note_slots_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_slots")),
        sa.UniqueConstraint("observation_id", "name", name="uq_note_slots_observation_name"),
    )
    with op.batch_alter_table("note_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_slots_observation_id"), ["observation_id"], unique=False)

    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("field_key", sa.String(length=24), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_photos_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_photos_stored_name")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_observation_id"), ["observation_id"], unique=False)

    install_builtin_protocols(op.get_bind())


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_observation_id"))

    op.drop_table("photos")
    with op.batch_alter_table("note_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_slots_observation_id"))

    op.drop_table("note_slots")
    with op.batch_alter_table("evidence_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_entries_observation_id"))

    op.drop_table("evidence_entries")
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_changes_observation_id"))

    op.drop_table("applied_changes")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_protocol_version_id"))
        batch_op.drop_index(batch_op.f("ix_observations_observer_id"))
        batch_op.drop_index(batch_op.f("ix_observations_host_id"))

    op.drop_table("observations")
    with op.batch_alter_table("protocol_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protocol_versions_protocol_id"))

    op.drop_table("protocol_versions")
    with op.batch_alter_table("protocols", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_protocols_owner_id"))

    op.drop_table("protocols")

"""substitute profiles: certifications, languages and preferred schools beside the account's subjects and
grade band

Revision ID: 0021_substitute_profiles
Revises: 0020_cover_verifications
Create Date: 2026-12-05 08:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021_substitute_profiles"
down_revision = "0020_cover_verifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "substitute_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("certifications", sa.String(length=255), nullable=False),
        sa.Column("languages", sa.String(length=255), nullable=False),
        sa.Column("preferred_schools", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_substitute_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_substitute_profiles")),
    )


def downgrade():
    op.drop_table("substitute_profiles")

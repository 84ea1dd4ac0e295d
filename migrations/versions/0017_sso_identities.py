"""single sign-on: each person's subject at the district's OpenID Provider

Revision ID: 0017_sso_identities
Revises: 0016_growth_plan_due
Create Date: 2026-12-05 07:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_sso_identities"
down_revision = "0016_growth_plan_due"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sso_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sso_identities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_identities")),
        sa.UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
        sa.UniqueConstraint("user_id", "issuer", name="uq_sso_identities_user_issuer"),
    )
    op.create_index(op.f("ix_sso_identities_user_id"), "sso_identities", ["user_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_sso_identities_user_id"), table_name="sso_identities")
    op.drop_table("sso_identities")

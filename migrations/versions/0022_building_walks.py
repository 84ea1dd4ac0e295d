"""building walkthroughs: tools, walks, teams, classroom visits with no teacher in them, and summaries

Revision ID: 0022_building_walks
Revises: 0021_substitute_profiles
Create Date: 2026-12-05 12:30:00

"""

import sqlalchemy as sa
from alembic import op

from walkthrough.walks.builtin import install_builtin_tools

revision = "0022_building_walks"
down_revision = "0021_substitute_profiles"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "walk_tools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("look_fors", sa.JSON(), nullable=False),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("walk_tools", "copied_from_id", "walk_tools", "SET NULL"),
        _fk("walk_tools", "owner_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk_tools")),
        sa.UniqueConstraint("slug", name=op.f("uq_walk_tools_slug")),
    )
    op.create_index(op.f("ix_walk_tools_owner_id"), "walk_tools", ["owner_id"])
    op.create_table(
        "walks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("focus", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("look_fors", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("announced_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        _fk("walks", "school_id", "schools", "CASCADE"),
        _fk("walks", "tool_id", "walk_tools", "SET NULL"),
        _fk("walks", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walks")),
    )
    op.create_index(op.f("ix_walks_school_id"), "walks", ["school_id"])
    op.create_index(op.f("ix_walks_tool_id"), "walks", ["tool_id"])
    op.create_table(
        "walk_team",
        sa.Column("walk_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("walk_team", "walk_id", "walks", "CASCADE"),
        _fk("walk_team", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("walk_id", "user_id", name=op.f("pk_walk_team")),
    )
    op.create_index(op.f("ix_walk_team_user_id"), "walk_team", ["user_id"])
    op.create_table(
        "walk_classrooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("walk_id", sa.Integer(), nullable=False),
        sa.Column("walker_id", sa.Integer(), nullable=True),
        sa.Column("client_key", sa.String(length=40), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("grade_band", sa.String(length=10), nullable=True),
        sa.Column("subject_area", sa.String(length=40), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        _fk("walk_classrooms", "walk_id", "walks", "CASCADE"),
        _fk("walk_classrooms", "walker_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk_classrooms")),
        sa.UniqueConstraint("walk_id", "client_key", name="uq_walk_classrooms_walk_client_key"),
        sa.UniqueConstraint("id", "walk_id", name="uq_walk_classrooms_id_walk_id"),
    )
    op.create_index(op.f("ix_walk_classrooms_walk_id"), "walk_classrooms", ["walk_id"])
    op.create_index(op.f("ix_walk_classrooms_walker_id"), "walk_classrooms", ["walker_id"])
    op.create_table(
        "walk_marks",
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("look_for_key", sa.String(length=24), nullable=False),
        sa.Column("walk_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("tally", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["classroom_id", "walk_id"],
            ["walk_classrooms.id", "walk_classrooms.walk_id"],
            name="fk_walk_marks_classroom_walk",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("classroom_id", "look_for_key", name=op.f("pk_walk_marks")),
    )
    op.create_index(op.f("ix_walk_marks_walk_id"), "walk_marks", ["walk_id"])
    op.create_table(
        "walk_summaries",
        sa.Column("walk_id", sa.Integer(), nullable=False),
        sa.Column("noticed", sa.Text(), nullable=False),
        sa.Column("wondered", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        _fk("walk_summaries", "walk_id", "walks", "CASCADE"),
        _fk("walk_summaries", "written_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("walk_id", name=op.f("pk_walk_summaries")),
    )
    install_builtin_tools(op.get_bind())


def downgrade():
    for name in ("walk_summaries", "walk_marks", "walk_classrooms", "walk_team", "walks", "walk_tools"):
        op.drop_table(name)

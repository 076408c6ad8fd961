"""Sidebar app tables: agents' overrides and the app action log.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from integration.store.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("first", sa.String(20), nullable=False),
        sa.Column("last", sa.String(20), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agent_id", sa.BigInteger(), nullable=True),
        sa.Column("force", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_overrides")),
    )
    op.create_index(op.f("ix_app_overrides_ticket_id"), "app_overrides", ["ticket_id"])
    op.create_table(
        "app_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.BigInteger(), nullable=False),
        sa.Column("agent_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_actions")),
    )
    op.create_index(op.f("ix_app_actions_ticket_id"), "app_actions", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_app_actions_ticket_id"), table_name="app_actions")
    op.drop_table("app_actions")
    op.drop_index(op.f("ix_app_overrides_ticket_id"), table_name="app_overrides")
    op.drop_table("app_overrides")

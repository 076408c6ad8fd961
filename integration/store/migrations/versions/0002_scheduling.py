"""Scheduling tables: cutovers, their proposals (holds) and the partners' responses.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from integration.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cutovers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_b", sa.BigInteger(), nullable=False),
        sa.Column("ticket_a", sa.BigInteger(), nullable=True),
        sa.Column("partner_a", sa.String(100), nullable=True),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=True),
        sa.Column("end", UTCDateTime(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("reminder_sent_on", sa.String(10), nullable=True),
        sa.Column("dayof_sent_on", sa.String(10), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cutovers"),
        sa.UniqueConstraint("ticket_b", name="uq_cutovers_ticket_b"),
    )
    op.create_index("ix_cutovers_ticket_a", "cutovers", ["ticket_a"])
    op.create_index("ix_cutovers_state", "cutovers", ["state"])
    op.create_table(
        "cutover_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cutover_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("end", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("hold_until", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cutover_proposals"),
        sa.ForeignKeyConstraint(
            ["cutover_id"],
            ["cutovers.id"],
            name="fk_cutover_proposals_cutover_id_cutovers",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("cutover_id", "round", "idx", name="uq_cutover_proposals_slot"),
    )
    op.create_index("ix_cutover_proposals_cutover_id", "cutover_proposals", ["cutover_id"])
    op.create_index("ix_cutover_proposals_state", "cutover_proposals", ["state"])
    op.create_table(
        "cutover_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cutover_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(1), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cutover_responses"),
        sa.ForeignKeyConstraint(
            ["cutover_id"],
            ["cutovers.id"],
            name="fk_cutover_responses_cutover_id_cutovers",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_cutover_responses_cutover_id", "cutover_responses", ["cutover_id"])


def downgrade() -> None:
    op.drop_table("cutover_responses")
    op.drop_table("cutover_proposals")
    op.drop_table("cutovers")

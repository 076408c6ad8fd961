"""The signed content of a delivery is unique: a replay fails the insert, no look-up first.

A signed request can only be accepted within the signature window, so "unique within
the window" and "unique" are the same here.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_content_sha256")
        batch.create_unique_constraint("uq_deliveries_content_sha256", ["content_sha256"])


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("uq_deliveries_content_sha256", type_="unique")
        batch.create_index("ix_deliveries_content_sha256", ["content_sha256"])

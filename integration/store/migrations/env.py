"""Alembic environment: runs on the connection that integration.store.migrate passes in."""

from __future__ import annotations

from alembic import context

from integration.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only integration.store.migrate runs migrations
    raise RuntimeError("run migrations through `partnerdesk migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

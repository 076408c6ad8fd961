"""Agents' overrides from the sidebar app, and an audit trail of every app action.

Revision "0003" creates these tables. An override is kept for good: the relocation
handler passes every override of the ticket to ``decide`` on each evaluation, so a new
document re-evaluates the case without losing the agent's word.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from handlers.relocation.decision import Override
from integration.sidebar.view import OverrideEntry
from integration.store.base import Base
from integration.store.models import UTCDateTime
from integration.store.repo import Repo
from parsers.model import NumberRange

__all__ = ["AppAction", "AppOverride", "OverrideRepo"]


class AppOverride(Base):
    """One agent's approve/reject of a number or block, with the reason they gave."""

    __tablename__ = "app_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger, index=True)
    first: Mapped[str] = mapped_column(String(20))
    last: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))  # approve, reject
    reason: Mapped[str] = mapped_column(Text)
    agent_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    force: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppAction(Base):
    """Who did what through the app, when (reevaluate, override, propose, cutover)."""

    __tablename__ = "app_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger, index=True)
    agent_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))  # done, refused, failed
    detail: Mapped[Any] = mapped_column(JSON)  # ids and codes only, never document text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _entry(row: AppOverride) -> OverrideEntry:
    return OverrideEntry(
        range=NumberRange(row.first, row.last),
        action=row.action,
        reason=row.reason,
        agent_id=row.agent_id,
        force=row.force,
        created_at=row.created_at,
    )


class OverrideRepo(Repo):
    """Overrides and the action log on the database behind a Store (or an engine)."""

    def add(self, ticket_id: int, override: Override, *, now: datetime) -> OverrideEntry:
        with self._session() as s:
            row = AppOverride(
                ticket_id=ticket_id,
                first=override.range.first,
                last=override.range.last,
                action=override.action,
                reason=override.reason,
                agent_id=override.agent_id,
                force=override.force,
                created_at=now,
            )
            s.add(row)
            s.flush()
            return _entry(row)

    def entries(self, ticket_id: int) -> list[OverrideEntry]:
        """The ticket's overrides, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(AppOverride)
                .where(AppOverride.ticket_id == ticket_id)
                .order_by(AppOverride.id)
            )
            return [_entry(r) for r in rows]

    def overrides(self, ticket_id: int) -> list[Override]:
        """The ticket's overrides as ``decide`` takes them, oldest first (later ones win)."""
        return [
            Override(e.range, e.action, e.reason, e.agent_id, e.force)
            for e in self.entries(ticket_id)
        ]

    def log(
        self,
        ticket_id: int,
        *,
        agent_id: int | None,
        action: str,
        outcome: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        with self._session() as s:
            s.add(
                AppAction(
                    ticket_id=ticket_id,
                    agent_id=agent_id,
                    action=action,
                    outcome=outcome,
                    detail=detail,
                    created_at=now,
                )
            )

    def actions(self, ticket_id: int) -> list[dict[str, Any]]:
        with self._session() as s:
            rows = s.scalars(
                select(AppAction).where(AppAction.ticket_id == ticket_id).order_by(AppAction.id)
            )
            return [
                {
                    "agent_id": r.agent_id,
                    "action": r.action,
                    "outcome": r.outcome,
                    "detail": r.detail,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]

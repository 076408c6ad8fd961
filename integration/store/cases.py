"""Cases (one per ticket and process, with the latest decision) and their documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from handlers.relocation.decision import Override
from integration.store.models import Case, DocumentRow
from integration.store.records import CaseRecord, DocumentRecord, case_record, document_record
from integration.store.sessions import SessionOwner

__all__ = ["CaseStore"]


class CaseStore(SessionOwner):
    """The ``cases`` and ``documents`` tables, and the agents' overrides of a case."""

    def get_case(self, ticket_id: int, process: str) -> CaseRecord | None:
        with self.session() as s:
            row = s.scalar(select(Case).where(Case.ticket_id == ticket_id, Case.process == process))
            return case_record(row) if row else None

    def upsert_case(
        self,
        ticket_id: int,
        process: str,
        *,
        requested: Sequence[dict[str, Any]],
        invalid: Sequence[str],
        now: datetime,
    ) -> CaseRecord:
        """Create the case or refresh what the ticket requests."""
        for _ in range(2):  # a concurrent insert of the same case loses once, then updates
            try:
                with self.session() as s:
                    row = s.scalar(
                        select(Case).where(Case.ticket_id == ticket_id, Case.process == process)
                    )
                    if row is None:
                        row = Case(
                            ticket_id=ticket_id,
                            process=process,
                            state="open",
                            created_at=now,
                        )
                        s.add(row)
                    row.requested = list(requested)
                    row.invalid = list(invalid)
                    row.updated_at = now
                    s.flush()
                    return case_record(row)
            except IntegrityError:
                continue
        raise RuntimeError("the case could not be stored")  # pragma: no cover

    def save_decision(
        self,
        case_id: int,
        *,
        decision: dict[str, Any],
        fingerprint: str,
        state: str,
        now: datetime,
    ) -> None:
        with self.session() as s:
            s.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(decision=decision, fingerprint=fingerprint, state=state, updated_at=now)
            )

    def add_document(
        self,
        *,
        case_id: int,
        ticket_id: int,
        attachment_id: int,
        file_name: str,
        sha256: str | None,
        parsed: dict[str, Any] | None,
        error_code: str | None,
        now: datetime,
    ) -> bool:
        """Record an attachment once; False when it was recorded already."""
        try:
            with self.session() as s:
                s.add(
                    DocumentRow(
                        case_id=case_id,
                        ticket_id=ticket_id,
                        attachment_id=attachment_id,
                        file_name=file_name,
                        sha256=sha256,
                        parsed=parsed,
                        error_code=error_code,
                        created_at=now,
                    )
                )
            return True
        except IntegrityError:
            return False

    def documents(self, case_id: int) -> list[DocumentRecord]:
        with self.session() as s:
            rows = s.scalars(
                select(DocumentRow).where(DocumentRow.case_id == case_id).order_by(DocumentRow.id)
            )
            return [document_record(r) for r in rows]

    def seen_attachment_ids(self, ticket_id: int) -> set[int]:
        with self.session() as s:
            return set(
                s.scalars(
                    select(DocumentRow.attachment_id).where(DocumentRow.ticket_id == ticket_id)
                )
            )

    def app_overrides(self, ticket_id: int) -> list[Override]:
        """Agents' overrides from the sidebar app for ``decide``, oldest first."""
        from integration.store.overrides import OverrideRepo  # the app's table (rev. 0003)

        return OverrideRepo(self).overrides(ticket_id)

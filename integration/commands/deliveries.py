"""``partnerdesk deliveries [--failed]`` and ``partnerdesk deliveries retry ID``.

The list shows what is stuck (waiting or running longer than the sweeper's grace or the
lease) or failed, with the stored error code. ``retry`` puts one delivery back to
``queued`` and runs it here and now through the queue's own ``process_delivery``: the same
claim, the same routers and the same write-once records as a webhook, so a write that
already landed is not repeated. Follow-up events go onto the shared queue.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from config.errors import UsageError
from config.settings import Settings
from integration.store.models import Delivery

if TYPE_CHECKING:
    from integration.queue import Queue
    from integration.runtime import Runtime

__all__ = ["HELP", "Row", "add_arguments", "list_rows", "requeue", "run"]

HELP = "list stuck or failed deliveries; retry one"


@dataclass(frozen=True)
class Row:
    id: int
    state: str
    kind: str
    ticket_id: int | None
    attempts: int
    error: str
    age_seconds: float
    stuck: bool

    def line(self) -> str:
        ticket = str(self.ticket_id) if self.ticket_id is not None else "-"
        status = "stuck" if self.stuck else self.state
        return (
            f"{self.id:>8}  {status:<10} {self.kind[:28]:<28} {ticket:>12}  "
            f"{self.attempts:>3}  {_age(self.age_seconds):>6}  {self.error or '-'}"
        )


HEADER = f"{'id':>8}  {'state':<10} {'kind':<28} {'ticket':>12}  {'try':>3}  {'age':>6}  reason"


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    if seconds < 172800:
        return f"{seconds / 3600:.0f}h"
    return f"{seconds / 86400:.0f}d"


def list_rows(runtime: Runtime, *, failed_only: bool, now: datetime) -> list[Row]:
    """Failed deliveries, and unless ``failed_only`` the stuck ones, oldest first."""
    q = runtime.settings.queue
    quiet = now - timedelta(seconds=q.sweep_grace_seconds)
    stale_claim = now - timedelta(seconds=q.lease_seconds)
    stuck_clause = or_(
        Delivery.state.in_(("received", "queued")) & (Delivery.updated_at < quiet),
        (Delivery.state == "processing") & (Delivery.claimed_at < stale_claim),
    )
    wanted = Delivery.state == "failed"
    if not failed_only:
        wanted = or_(wanted, stuck_clause)
    with runtime.store.session() as s:
        rows = s.scalars(select(Delivery).where(wanted).order_by(Delivery.id)).all()
        return [
            Row(
                id=r.id,
                state=r.state,
                kind=r.event_kind,
                ticket_id=r.ticket_id,
                attempts=r.attempts,
                error=r.last_error or "",
                age_seconds=max(0.0, (now - r.created_at).total_seconds()),
                stuck=r.state != "failed",
            )
            for r in rows
        ]


def requeue(runtime: Runtime, delivery_id: int, *, now: datetime) -> str:
    """Put a failed or stuck delivery back to ``queued`` with fresh attempts; its old state."""
    with runtime.store.session() as s:
        row = s.get(Delivery, delivery_id)
        if row is None:
            raise UsageError(f"There is no delivery {delivery_id}.")
        old = row.state
        if old in ("done", "ignored"):
            raise UsageError(f"Delivery {delivery_id} is {old}; there is nothing to retry.")
        s.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                state="queued", attempts=0, next_attempt_at=None, claimed_at=None, updated_at=now
            )
        )
    return old


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", nargs="?", choices=["list", "retry"], default="list", help="list (default)"
    )
    parser.add_argument("id", nargs="?", type=int, help="the delivery to retry")
    parser.add_argument("--failed", action="store_true", help="list failed deliveries only")


def run(
    args: argparse.Namespace,
    settings: Settings,
    *,
    runtime: Runtime | None = None,
    queue: Queue | None = None,
) -> int:
    from integration.queue import Queue, build_huey
    from integration.runtime import build_runtime
    from integration.store.migrate import upgrade

    if runtime is None:
        runtime = build_runtime(settings)
        upgrade(runtime.store.engine)
    now = runtime.clock()
    if args.action == "list":
        if args.id is not None:
            raise UsageError("`deliveries list` takes no id; use `deliveries retry ID`.")
        rows = list_rows(runtime, failed_only=args.failed, now=now)
        if not rows:
            print("no failed deliveries" if args.failed else "no stuck or failed deliveries")
            return 0
        print(HEADER)
        for row in rows:
            print(row.line())
        return 1
    if args.id is None:
        raise UsageError("`deliveries retry` needs the delivery id, e.g. deliveries retry 42.")
    from integration.tasks.deliveries import process_delivery

    queue = queue or Queue(build_huey(settings), runtime)
    old = requeue(runtime, args.id, now=now)
    outcome = process_delivery(queue, args.id)
    detail = f" ({outcome.error})" if outcome.error else ""
    print(f"delivery {args.id}: {old} -> {outcome.state}{detail}")
    if outcome.state in ("done", "skipped"):
        return 0
    print(
        "it did not finish; `partnerdesk deliveries` shows its reason.",
        file=sys.stderr,
    )
    return 1

"""Whether a Produktwechsel mit Neubestellung is possible, and on which terms (pure).

The rules come from the portal's product-change article (``docs/product_change.md``): the contract must be active and
not terminated, with no open order and no unfinished cart; after the minimum term the
change is always possible; within it an approval request goes into the cart and a
change fee is added as its own line; a leased line may be relocated only once 12 months
of minimum term have passed. Missing or contradictory facts give "needs information",
never a guess. The caller passes ``today`` (a date in Europe/Berlin, see
:func:`local_today`); nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from config.settings import ProductChangeSettings
from handlers.product_change.facts import (
    FACT_NAMES,
    ContractFacts,
    ContractStatus,
    FactProblem,
    MissingFacts,
    ProductGroup,
)

__all__ = [
    "EFFECTS",
    "MAX_TERM_MONTHS",
    "ContractFacts",
    "MissingFacts",
    "Outcome",
    "Reason",
    "Verdict",
    "evaluate",
    "local_today",
    "months_passed_on",
    "term_last_day",
]

# A longer minimum term is a typo (months entered as days), not a contract.
MAX_TERM_MONTHS = 120
# What every product change does, whatever the verdict (the note always lists them).
EFFECTS = ("new_contract_number", "components_kept", "old_product_terminated")


class Outcome(StrEnum):
    """The verdict in one word; also the suffix of the ticket tag."""

    POSSIBLE = "possible"
    APPROVAL_REQUIRED = "approval_required"
    BLOCKED = "blocked"
    NEEDS_INFO = "needs_info"


@dataclass(frozen=True)
class Reason:
    """One finding behind a verdict: a code, the fact it concerns, a raw detail, a date."""

    code: str
    fact: str = ""
    detail: str = ""
    on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "fact": self.fact,
            "detail": self.detail,
            "on": self.on.isoformat() if self.on else None,
        }


@dataclass(frozen=True)
class Verdict:
    """The outcome, the reasons, the fee line if due and what must happen first.

    ``prerequisites`` are codes of what must happen before the change can be ordered
    (``withdraw_termination``, ``finish_order``, ``finish_cart``,
    ``wait_leased_line_move``, ``supply_facts``). ``fee`` is set when the change falls
    within the minimum term (then ``approval_request`` is True too).
    """

    outcome: Outcome
    reasons: tuple[Reason, ...]
    facts: ContractFacts
    today: date
    prerequisites: tuple[str, ...] = ()
    approval_request: bool = False
    fee: str | None = None
    term_end: date | None = None
    earliest_leased_line_move: date | None = None
    leased_line: bool = False  # current or target is a leased line: may be adapted instead
    effects: tuple[str, ...] = field(default=EFFECTS)

    def as_dict(self, *, include_today: bool = True) -> dict[str, Any]:
        """JSON-able form; without ``today`` it is stable from day to day (a fingerprint)."""
        data: dict[str, Any] = {
            "outcome": self.outcome.value,
            "reasons": [r.as_dict() for r in self.reasons],
            "prerequisites": list(self.prerequisites),
            "approval_request": self.approval_request,
            "fee": self.fee,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "earliest_leased_line_move": (
                self.earliest_leased_line_move.isoformat()
                if self.earliest_leased_line_move
                else None
            ),
            "leased_line": self.leased_line,
            "effects": list(self.effects),
            "facts": self.facts.as_dict(),
        }
        if include_today:
            data["today"] = self.today.isoformat()
        return data


def local_today(now: datetime, *, tz: str = "Europe/Berlin") -> date:
    """The calendar date of the aware instant ``now`` in ``tz`` (23:30 UTC is tomorrow in Berlin)."""
    if now.tzinfo is None or now.utcoffset() is None:
        # A naive clock would silently shift every term boundary by the UTC offset.
        raise ValueError("the clock must return an aware datetime")
    return now.astimezone(ZoneInfo(tz)).date()


def term_last_day(start: date, months: int) -> date:
    """The last day of a term of ``months`` calendar months beginning on ``start``.

    As BGB §188(2)/(3): the day before the day of the same number in the last month, or
    that month's last day when it has no such day. 31.03.2025 + 24 → 30.03.2027;
    31.01.2025 + 1 → 28.02.2025; 29.02.2024 + 12 → 28.02.2025.
    """
    anniversary = start + relativedelta(months=months)
    if anniversary.day != start.day:  # relativedelta clamped to a shorter month
        return anniversary
    return anniversary - timedelta(days=1)


def months_passed_on(start: date, months: int) -> date:
    """The first day on which ``months`` calendar months since ``start`` have fully passed."""
    return term_last_day(start, months) + timedelta(days=1)


@dataclass
class _Findings:
    reasons: list[Reason] = field(default_factory=list)
    problems: int = 0
    blockers: list[str] = field(default_factory=list)

    def problem(self, p: FactProblem, *, on: date | None = None) -> None:
        self.problems += 1
        self.reasons.append(Reason(p.code, p.fact, p.detail, on))

    def block(
        self, code: str, prerequisite: str, *, on: date | None = None, detail: str = ""
    ) -> None:
        self.reasons.append(Reason(code, detail=detail, on=on))
        if prerequisite not in self.blockers:
            self.blockers.append(prerequisite)


def _check_missing(facts: ContractFacts, found: _Findings) -> None:
    invalid = {p.fact for p in facts.problems}
    for p in facts.problems:
        found.problem(p)
    known = {
        "status": facts.status,
        "customer_admin": facts.customer_admin,
        "open_order": facts.open_order,
        "open_cart": facts.open_cart,
        "contract_start": facts.contract_start,
        "term": facts.term_months if facts.term_months is not None else facts.term_end,
        "current_group": facts.current_group,
        "target_group": facts.target_group,
    }
    for name in FACT_NAMES:
        if name in known and known[name] is None and name not in invalid:
            found.problem(FactProblem(name, "missing"))
    if (
        facts.current_group is ProductGroup.LEASED_LINE
        and facts.leased_line_move is None
        and "leased_line_move" not in invalid
    ):
        # Only a leased line's relocation has its own rule; elsewhere the fact is moot.
        found.problem(FactProblem("leased_line_move", "missing"))


def _term_end(facts: ContractFacts, today: date, found: _Findings) -> date | None:
    """The last day of the minimum term, or None (with a problem) when it cannot be known."""
    start, months, end = facts.contract_start, facts.term_months, facts.term_end
    if any(p.fact in ("term", "contract_start") for p in facts.problems):
        return None  # one unreadable term value makes the other one unverifiable
    if start is not None and start > today:
        found.problem(FactProblem("contract_start", "start_in_future", start.isoformat()))
        return None
    if months is not None and not 1 <= months <= MAX_TERM_MONTHS:
        found.problem(FactProblem("term", "invalid", str(months)))
        return None
    if start is None:
        return None
    if end is not None and end < start:
        found.problem(FactProblem("term", "end_before_start", end.isoformat()))
        return None
    computed = term_last_day(start, months) if months is not None else None
    if computed is not None and end is not None and computed != end:
        found.problem(FactProblem("term", "term_mismatch", end.isoformat()), on=computed)
        return None
    return end if end is not None else computed


def evaluate(
    facts: ContractFacts | MissingFacts, *, today: date, settings: ProductChangeSettings
) -> Verdict:
    """The verdict on a product change for ``facts`` on the Berlin calendar day ``today``.

    Precedence: a certain blocker (terminated, open order or cart, leased-line move too
    early) → blocked, even when other facts are missing; then any missing or
    contradictory fact → needs_info; then within the minimum term → approval_required
    (with the fee); else possible.
    """
    if isinstance(facts, MissingFacts):
        found = _Findings()
        for p in facts.problems:
            found.problem(p)
        return Verdict(
            Outcome.NEEDS_INFO, tuple(found.reasons), ContractFacts(), today, ("supply_facts",)
        )

    found = _Findings()
    _check_missing(facts, found)

    if facts.status is ContractStatus.TERMINATED:
        found.block("terminated", "withdraw_termination")
    elif facts.status is ContractStatus.TERMINATION_PENDING:
        found.block("termination_pending", "withdraw_termination")
    if facts.customer_admin is False:
        found.block("customer_admin_inactive", "activate_customer_admin")
    if facts.open_order:
        found.block("open_order", "finish_order")
    if facts.open_cart:
        found.block("open_cart", "finish_cart")

    term_end = _term_end(facts, today, found)

    leased_line = ProductGroup.LEASED_LINE in (facts.current_group, facts.target_group)
    earliest_move: date | None = None
    if facts.leased_line_move and facts.current_group not in (None, ProductGroup.LEASED_LINE):
        found.problem(FactProblem("leased_line_move", "move_without_leased_line"))
    elif (
        facts.leased_line_move
        and facts.current_group is ProductGroup.LEASED_LINE
        and facts.contract_start is not None
        and facts.contract_start <= today
    ):
        earliest_move = months_passed_on(facts.contract_start, settings.leased_line_min_months)
        if today < earliest_move:
            found.block(
                "leased_line_move_too_early",
                "wait_leased_line_move",
                on=earliest_move,
                detail=str(settings.leased_line_min_months),
            )
        else:
            found.reasons.append(
                Reason(
                    "leased_line_move_allowed",
                    detail=str(settings.leased_line_min_months),
                    on=earliest_move,
                )
            )

    within_term = term_end is not None and today <= term_end
    if term_end is not None:
        code = "within_minimum_term" if within_term else "after_minimum_term"
        found.reasons.append(Reason(code, on=term_end))
    if leased_line:
        found.reasons.append(Reason("leased_line_adaptation"))

    prerequisites = list(found.blockers)
    if found.problems:
        prerequisites.append("supply_facts")
    if found.blockers:
        outcome = Outcome.BLOCKED
    elif found.problems:
        outcome = Outcome.NEEDS_INFO
    elif within_term:
        outcome = Outcome.APPROVAL_REQUIRED
    else:
        outcome = Outcome.POSSIBLE
    return Verdict(
        outcome=outcome,
        reasons=tuple(found.reasons),
        facts=facts,
        today=today,
        prerequisites=tuple(prerequisites),
        approval_request=within_term,
        # "" = due, amount not configured: the note says "laut Preisliste", never a number
        fee=settings.fee.strip() if within_term else None,
        term_end=term_end,
        earliest_leased_line_move=earliest_move,
        leased_line=leased_line,
    )

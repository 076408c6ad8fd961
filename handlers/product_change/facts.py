"""The contract facts a product-change verdict is built from, and how raw values become them.

Facts arrive as loose values (ticket custom fields, CLI options, later a contract-system
API). :func:`facts_from_values` turns them into :class:`ContractFacts` and records every
value it could not understand as a :class:`FactProblem`, so the verdict can name exactly
what is missing instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "FACT_NAMES",
    "ContractFacts",
    "ContractStatus",
    "FactProblem",
    "MissingFacts",
    "ProductGroup",
    "facts_from_values",
    "parse_flag",
    "parse_group",
    "parse_status",
]

# Every fact a verdict may depend on, in the order the note lists missing ones.
FACT_NAMES = (
    "status",
    "customer_admin",
    "open_order",
    "open_cart",
    "contract_start",
    "term",
    "current_group",
    "target_group",
    "leased_line_move",
    "sales_partner_poa",
)


class ContractStatus(StrEnum):
    """State of the existing contract."""

    ACTIVE = "active"
    TERMINATED = "terminated"
    TERMINATION_PENDING = "termination_pending"


class ProductGroup(StrEnum):
    """Product groups of the wholesale portal; the value is the display name."""

    ADSL = "ADSL"
    VDSL = "VDSL"
    SDSL = "SDSL"
    FTTH = "FTTH"
    LEASED_LINE = "Leased Line"


# Spellings seen in portals, tickets and German usage, after _key() normalisation.
# FTTB and cable are deliberately absent: they are other products, and an unknown group
# must lead to "needs information", not to the nearest guess.
_GROUP_ALIASES: dict[str, ProductGroup] = {
    "adsl": ProductGroup.ADSL,
    "adsl2": ProductGroup.ADSL,
    "adsl2+": ProductGroup.ADSL,
    "vdsl": ProductGroup.VDSL,
    "vdsl2": ProductGroup.VDSL,
    "vdsl vectoring": ProductGroup.VDSL,
    "vdsl supervectoring": ProductGroup.VDSL,
    "sdsl": ProductGroup.SDSL,
    "shdsl": ProductGroup.SDSL,
    "g.shdsl": ProductGroup.SDSL,
    "ftth": ProductGroup.FTTH,
    "glasfaser": ProductGroup.FTTH,
    "glasfaser ftth": ProductGroup.FTTH,
    "leased line": ProductGroup.LEASED_LINE,
    "leasedline": ProductGroup.LEASED_LINE,
    "standleitung": ProductGroup.LEASED_LINE,
    "festverbindung": ProductGroup.LEASED_LINE,
    "datenstandleitung": ProductGroup.LEASED_LINE,
}

_STATUS_ALIASES: dict[str, ContractStatus] = {
    "active": ContractStatus.ACTIVE,
    "aktiv": ContractStatus.ACTIVE,
    "ungekündigt": ContractStatus.ACTIVE,
    "ungekuendigt": ContractStatus.ACTIVE,
    "laufend": ContractStatus.ACTIVE,
    "terminated": ContractStatus.TERMINATED,
    "gekündigt": ContractStatus.TERMINATED,
    "gekuendigt": ContractStatus.TERMINATED,
    "beendet": ContractStatus.TERMINATED,
    "termination pending": ContractStatus.TERMINATION_PENDING,
    "kündigung vorgemerkt": ContractStatus.TERMINATION_PENDING,
    "kuendigung vorgemerkt": ContractStatus.TERMINATION_PENDING,
    "kündigung eingeleitet": ContractStatus.TERMINATION_PENDING,
    "kuendigung eingeleitet": ContractStatus.TERMINATION_PENDING,
    "in kündigung": ContractStatus.TERMINATION_PENDING,
    "in kuendigung": ContractStatus.TERMINATION_PENDING,
}

_TRUE = frozenset({"true", "yes", "ja", "1", "x", "y", "j"})
_FALSE = frozenset({"false", "no", "nein", "0", "n"})


def _key(text: str) -> str:
    """Case-, separator- and vendor-prefix-insensitive lookup key."""
    key = re.sub(r"[\s_\-/()]+", " ", text.casefold()).strip()
    return key.removeprefix("plusnet ").strip()


def parse_group(value: object) -> ProductGroup | None:
    """The product group a spelling names (``"Standleitung"`` → Leased Line), else None."""
    if isinstance(value, ProductGroup):
        return value
    if not isinstance(value, str):
        return None
    return _GROUP_ALIASES.get(_key(value))


def parse_status(value: object) -> ContractStatus | None:
    """The contract status a spelling names (``"gekündigt"`` → terminated), else None."""
    if isinstance(value, ContractStatus):
        return value
    if not isinstance(value, str):
        return None
    return _STATUS_ALIASES.get(_key(value))


def parse_flag(value: object) -> bool | None:
    """A yes/no value from a checkbox (bool) or a text/dropdown field, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        key = _key(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return None


@dataclass(frozen=True)
class FactProblem:
    """One fact that is missing, unreadable or contradicts another.

    ``code`` is ``missing``, ``invalid`` or ``contradictory``; ``detail`` is the raw
    value or what it contradicts, shown to the agent on the internal note only.
    """

    fact: str
    code: str
    detail: str = ""


@dataclass(frozen=True)
class MissingFacts:
    """A source could not supply contract facts at all; the problems say why."""

    problems: tuple[FactProblem, ...]


@dataclass(frozen=True)
class ContractFacts:
    """What is known about the contract and the requested change; None means unknown.

    ``term_end`` is the last day of the minimum term. ``problems`` carries values a
    source read but could not understand (they make the verdict "needs information").
    """

    status: ContractStatus | None = None
    # "Kunden-Administration aktiv" for the customer: step 2 of the portal needs it
    customer_admin: bool | None = None
    open_order: bool | None = None
    open_cart: bool | None = None
    contract_start: date | None = None
    term_months: int | None = None
    term_end: date | None = None
    current_group: ProductGroup | None = None
    target_group: ProductGroup | None = None
    leased_line_move: bool | None = None
    sales_partner_poa: bool | None = None  # Vertriebspartner-Vollmacht: no offer needed
    problems: tuple[FactProblem, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form (dates as ISO strings)."""
        return {
            "status": self.status.value if self.status else None,
            "customer_admin": self.customer_admin,
            "open_order": self.open_order,
            "open_cart": self.open_cart,
            "contract_start": self.contract_start.isoformat() if self.contract_start else None,
            "term_months": self.term_months,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "current_group": self.current_group.value if self.current_group else None,
            "target_group": self.target_group.value if self.target_group else None,
            "leased_line_move": self.leased_line_move,
            "sales_partner_poa": self.sales_partner_poa,
            "problems": [
                {"fact": p.fact, "code": p.code, "detail": p.detail} for p in self.problems
            ],
        }


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def _parse_months(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,4}\s*", value):
        return int(value)
    return None


def facts_from_values(values: Mapping[str, object]) -> ContractFacts:
    """Build facts from raw values keyed by fact name; absent keys stay unknown.

    Keys: ``status``, ``customer_admin``, ``open_order``, ``open_cart``, ``contract_start``, ``term_months``,
    ``term_end``, ``current_group``, ``target_group``, ``leased_line_move``,
    ``sales_partner_poa``. A present but unreadable value becomes an ``invalid`` problem.
    """
    problems: list[FactProblem] = []

    def read(name: str, parse: Any, *, fact: str | None = None) -> Any:
        if name not in values or _blank(values[name]):
            return None
        parsed = parse(values[name])
        if parsed is None:
            problems.append(FactProblem(fact or name, "invalid", str(values[name])[:80]))
        return parsed

    return ContractFacts(
        status=read("status", parse_status),
        customer_admin=read("customer_admin", parse_flag),
        open_order=read("open_order", parse_flag),
        open_cart=read("open_cart", parse_flag),
        contract_start=read("contract_start", _parse_date),
        term_months=read("term_months", _parse_months, fact="term"),
        term_end=read("term_end", _parse_date, fact="term"),
        current_group=read("current_group", parse_group),
        target_group=read("target_group", parse_group),
        leased_line_move=read("leased_line_move", parse_flag),
        sales_partner_poa=read("sales_partner_poa", parse_flag),
        problems=tuple(problems),
    )

"""Where contract facts come from: a small interface and the default ticket-field source.

A contract-system API can replace :class:`TicketFieldSource` later by implementing
:class:`ContractSource`; the router takes any source.
"""

from __future__ import annotations

from typing import Protocol

from config.settings import ProductChangeSettings
from handlers.ports import TicketView
from handlers.product_change.facts import (
    ContractFacts,
    FactProblem,
    MissingFacts,
    facts_from_values,
)

__all__ = ["FIELD_SETTINGS", "ContractSource", "TicketFieldSource"]

# fact name (as facts_from_values takes it) -> ProductChangeSettings attribute with the field id
FIELD_SETTINGS: dict[str, str] = {
    "status": "status_field_id",
    "customer_admin": "customer_admin_field_id",
    "open_order": "open_order_field_id",
    "open_cart": "open_cart_field_id",
    "contract_start": "contract_start_field_id",
    "term_months": "term_months_field_id",
    "term_end": "term_end_field_id",
    "current_group": "current_group_field_id",
    "target_group": "target_group_field_id",
    "leased_line_move": "leased_line_move_field_id",
    "sales_partner_poa": "sales_partner_poa_field_id",
}
# Zendesk checkboxes have no third state: an unset checkbox reads as null and means "no".
# "customer_admin" is no such flag: it must be known (a drop-down ja/nein), blank is unknown.
_FLAGS = frozenset({"open_order", "open_cart", "leased_line_move", "sales_partner_poa"})


class ContractSource(Protocol):
    """Supplies the facts about the contract a ticket asks to change."""

    def get_facts(self, ticket: TicketView) -> ContractFacts | MissingFacts: ...


class TicketFieldSource:
    """Reads the facts from the ticket's custom fields named in ``[product_change]``."""

    def __init__(self, settings: ProductChangeSettings) -> None:
        self._settings = settings

    def field_ids(self) -> dict[str, int]:
        """Configured field id per fact name (unconfigured facts are absent)."""
        out: dict[str, int] = {}
        for fact, attr in FIELD_SETTINGS.items():
            field_id = getattr(self._settings, attr)
            if field_id is not None:
                out[fact] = int(field_id)
        return out

    def get_facts(self, ticket: TicketView) -> ContractFacts | MissingFacts:
        ids = self.field_ids()
        if not ids:
            return MissingFacts((FactProblem("fields", "not_configured"),))
        values: dict[str, object] = {}
        for fact, field_id in ids.items():
            if field_id not in ticket.custom_fields:
                continue  # the ticket's form lacks the field: the fact stays unknown
            value = ticket.custom_fields[field_id]
            if value is None and fact in _FLAGS:
                value = False
            values[fact] = value
        return facts_from_values(values)

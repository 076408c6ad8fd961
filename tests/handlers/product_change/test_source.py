"""Tests for handlers.product_change.source: facts from configured ticket fields."""

from __future__ import annotations

from datetime import date

from config.settings import ProductChangeSettings
from handlers.ports import TicketView
from handlers.product_change.facts import ContractFacts, ContractStatus, MissingFacts, ProductGroup
from handlers.product_change.source import ContractSource, TicketFieldSource

SETTINGS = ProductChangeSettings(
    status_field_id=1,
    open_order_field_id=2,
    open_cart_field_id=3,
    contract_start_field_id=4,
    term_months_field_id=5,
    current_group_field_id=7,
    target_group_field_id=8,
    leased_line_move_field_id=9,
    sales_partner_poa_field_id=10,
)


def ticket(fields: dict[int, object]) -> TicketView:
    return TicketView(
        id=5, subject="Produktwechsel", description="", status="open", custom_fields=fields
    )


class TestTicketFieldSource:
    """TicketFieldSource reads the configured custom fields."""

    def test_is_a_contract_source(self) -> None:
        """It satisfies the ContractSource protocol."""
        source: ContractSource = TicketFieldSource(SETTINGS)
        assert isinstance(source.get_facts(ticket({})), ContractFacts)

    def test_reads_fields(self) -> None:
        """Dropdown tags, dates, numbers and checkboxes become facts."""
        facts = TicketFieldSource(SETTINGS).get_facts(
            ticket(
                {
                    1: "aktiv",
                    2: False,
                    3: None,
                    4: "2025-03-31",
                    5: "24",
                    7: "sdsl",
                    8: "standleitung",
                    9: False,
                    10: True,
                    99: "x",
                }
            )
        )
        assert isinstance(facts, ContractFacts)
        assert facts.status is ContractStatus.ACTIVE
        assert facts.open_order is False
        assert facts.open_cart is False  # an unset checkbox means "no"
        assert facts.contract_start == date(2025, 3, 31)
        assert facts.term_months == 24
        assert facts.target_group is ProductGroup.LEASED_LINE
        assert facts.sales_partner_poa is True
        assert facts.problems == ()

    def test_field_absent_from_ticket_is_unknown(self) -> None:
        """A field missing from the ticket's form leaves the fact unknown (not "no")."""
        facts = TicketFieldSource(SETTINGS).get_facts(ticket({1: "aktiv"}))
        assert isinstance(facts, ContractFacts)
        assert facts.open_cart is None and facts.contract_start is None

    def test_empty_non_flag_is_unknown(self) -> None:
        """An empty date or group field is unknown, not a problem."""
        facts = TicketFieldSource(SETTINGS).get_facts(ticket({4: None, 8: ""}))
        assert isinstance(facts, ContractFacts)
        assert facts.contract_start is None and facts.target_group is None
        assert facts.problems == ()

    def test_unconfigured_fact_is_unknown(self) -> None:
        """A fact without a field id is not read from any field."""
        facts = TicketFieldSource(SETTINGS).get_facts(ticket({6: "2027-03-30"}))
        assert isinstance(facts, ContractFacts)
        assert facts.term_end is None

    def test_nothing_configured(self) -> None:
        """Without any field id the source reports MissingFacts."""
        facts = TicketFieldSource(ProductChangeSettings()).get_facts(ticket({1: "aktiv"}))
        assert isinstance(facts, MissingFacts)
        assert [p.code for p in facts.problems] == ["not_configured"]

    def test_field_ids(self) -> None:
        """field_ids lists exactly the configured facts."""
        ids = TicketFieldSource(SETTINGS).field_ids()
        assert ids["open_cart"] == 3 and "term_end" not in ids

"""A P.S. or footnote below the signature: the numbers it governs, found by name, by
position, by its last digits or by the mark; the safe fail only when none can be found."""

from __future__ import annotations

import pytest

from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout
from parsers.model import Role
from tests.fixtures.pagebuild import Sheet

A, B, C = "+49301234567", "+49307654321", "+49309876543"


def _letter(
    *ps: str,
    signature_extra: tuple[str, ...] = (),
    listed: tuple[str, ...] = ("030 1234567", "030 7654321", "030 9876543"),
) -> list[PageLayout]:
    page = Sheet()
    page.line("Alpha Telekom GmbH", size=14)
    page.line("Hauptstraße 1 · 10115 Berlin", size=8)
    page.y = 240
    page.line("Sehr geehrte Damen und Herren,")
    page.gap(4)
    page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
    for text in listed:
        page.line(f"- {text}", x=page.left + 10)
    page.gap()
    page.line("Mit freundlichen Grüßen")
    page.ink()
    page.line("Jana Keller")
    for text in signature_extra:
        page.line(text)
    page.gap()
    for text in ps:
        page.line(text)
    return [page.layout()]


def _roles(pages: list[PageLayout]) -> dict[str, set[Role]]:
    found, _ = find_numbers_on_pages(pages)
    out: dict[str, set[Role]] = {}
    for n in found:
        out.setdefault(n.range.first, set()).add(n.role)
    return out


class TestPostscript:
    def test_wrapped_postscript_that_names_its_number(self) -> None:
        """The second line of a P.S. ("nicht Gegenstand dieser Freigabe.") belongs to
        the statement that names its number: no orphaned note."""
        got = _roles(
            _letter(
                "Nachtrag: Die Rufnummer 030 9876543 verbleibt beim abgebenden Partner und ist",
                "nicht Gegenstand dieser Freigabe.",
            )
        )
        assert got == {A: {Role.TRANSFER}, B: {Role.TRANSFER}, C: {Role.EXCLUDED}}

    @pytest.mark.parametrize(
        ("ps", "kept"),
        [
            ("P.S.: Die zweitgenannte Rufnummer verbleibt bei uns.", B),
            ("PS: Die letztgenannte Nummer ist nicht Gegenstand dieser Freigabe.", C),
            ("P.S. Die Rufnummer mit der Endung 4567 verbleibt bei uns.", A),
            ("Nachtrag: Die auf 543 endende Rufnummer wird nicht übergeben.", C),
        ],
    )
    def test_postscript_reference_keeps_back_its_number(self, ps: str, kept: str) -> None:
        got = _roles(_letter(ps))
        assert got[kept] == {Role.EXCLUDED}
        assert all(got[n] == {Role.TRANSFER} for n in (A, B, C) if n != kept)

    def test_contact_lines_under_the_name_do_not_hide_the_list(self) -> None:
        got = _roles(
            _letter(
                "P.S.: Die erstgenannte Rufnummer verbleibt bei uns.",
                signature_extra=("Tel. direkt 030 5556667",),
            )
        )
        assert got[A] == {Role.EXCLUDED}
        assert got[B] == got[C] == {Role.TRANSFER}

    @pytest.mark.parametrize(
        "ps",
        [
            "P.S.: Die Rufnummer mit der Endung 99 verbleibt bei uns.",  # no number ends so
            "P.S.: Eine der Rufnummern ist nicht Gegenstand dieser Freigabe.",
            "P.S.: Die fünftgenannte Rufnummer verbleibt bei uns.",
        ],
    )
    def test_unresolved_postscript_hands_nothing_over(self, ps: str) -> None:
        got = _roles(_letter(ps))
        assert all(Role.TRANSFER not in got[n] for n in (A, B, C))

    def test_ending_shared_by_two_numbers_leaves_both_unclear(self) -> None:
        got = _roles(
            _letter(
                "P.S.: Die Rufnummer mit der Endung 321 verbleibt bei uns.",
                listed=("030 1234567", "030 7654321", "030 9954321"),
            )
        )
        assert got[A] == {Role.TRANSFER}
        assert got[B] == got["+49309954321"] == {Role.UNCLEAR}

    def test_ending_inside_a_block_leaves_the_block_unclear(self) -> None:
        got = _roles(
            _letter(
                "P.S.: Die Rufnummer mit der Endung 7815 verbleibt bei uns.",
                listed=("030 1234567", "030 87878-00 bis -99"),
            )
        )
        assert got[A] == {Role.TRANSFER}
        assert got["+49308787800"] == {Role.UNCLEAR}

    def test_footnote_no_number_is_marked_for_hands_nothing_over(self) -> None:
        """The number lost its mark, the note kept it: the note keeps back a number the
        reader cannot locate."""
        got = _roles(_letter("¹ Diese Rufnummer verbleibt beim abgebenden Anbieter."))
        assert all(Role.TRANSFER not in got[n] for n in (A, B, C))

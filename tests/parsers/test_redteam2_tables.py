"""Table shapes of the second red team's letters (tests/redteam2) the reader missed: a
block column whose cells write out whole blocks beside a number column, labelled values
on dotted-leader lines, and a table intro spelt without umlauts."""

from __future__ import annotations

from parsers.findings import find_numbers_on_pages
from parsers.model import FoundNumber, Role
from tests.fixtures.pagebuild import Sheet


def test_a_block_column_with_whole_blocks_beside_a_number_column() -> None:
    sheet = Sheet()
    sheet.line("Alpha Telekom GmbH", size=14)
    sheet.y = 240
    sheet.line("Sehr geehrte Damen und Herren,")
    sheet.line("wir bestätigen die Übergabe der mit „Übergabe“ gekennzeichneten Rufnummern.")
    sheet.grid(
        [
            ["Standort", "Durchwahlblock", "Einzelrufnummer", "Übergabe / Verbleib"],
            ["Mitte", "030 96066-00 bis -29", "030 60213955", "Übergabe"],
            ["Cottbus", "0355 65192-00 bis -29", "0355 3012752", "verbleibt"],
        ],
        [70, 150, 290, 400],
        ruled=True,
    )
    sheet.line("Mit freundlichen Grüßen")
    sheet.ink()
    sheet.line("Jana Keller")
    found, _ = find_numbers_on_pages([sheet.layout()])
    roles = {(n.range.first, n.range.last): n.role for n in found}
    assert roles[("+49309606600", "+49309606629")] is Role.TRANSFER
    assert roles[("+493060213955", "+493060213955")] is Role.TRANSFER
    assert roles[("+493556519200", "+493556519229")] is Role.EXCLUDED
    assert roles[("+493553012752", "+493553012752")] is Role.EXCLUDED


def _dotted_letter(intro: str) -> list[FoundNumber]:
    sheet = Sheet()
    sheet.line("Alpha Telekom GmbH", size=14)
    sheet.y = 240
    sheet.line("Sehr geehrte Damen und Herren,")
    sheet.line(intro)
    for label, value in (
        ("Ortsnetzkennzahl ......", "0341"),
        ("Stammrufnummer ........", "95321"),
        ("Durchwahlbereich ......", "00 - 99"),
        ("Anzahl Rufnummern .....", "100"),
    ):
        sheet.put(label, 70, sheet.y)
        sheet.put(value, 240, sheet.y)
        sheet.y += 11
    sheet.gap()
    sheet.line("Mit freundlichen Grüßen")
    sheet.ink()
    sheet.line("Jana Keller")
    found, _ = find_numbers_on_pages([sheet.layout()])
    return found


def test_dotted_label_lines_naming_area_code_stem_and_range_are_one_block() -> None:
    found = _dotted_letter("wir bestätigen die Übergabe des folgenden Anschlusses:")
    blocks = [n for n in found if not n.range.is_single]
    assert [(n.range.first, n.range.last, n.role) for n in blocks] == [
        ("+493419532100", "+493419532199", Role.TRANSFER)
    ]


def test_a_table_intro_spelt_without_umlauts_hands_over() -> None:
    found = _dotted_letter(
        "fuer den Kunden bestaetigen wir die Uebergabe des folgenden Anschlusses:"
    )
    assert [n.role for n in found if not n.range.is_single] == [Role.TRANSFER]

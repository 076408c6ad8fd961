"""Table-driven tests of the number grammar: notations, blocks, enumerations, non-numbers."""

from __future__ import annotations

import pytest

from parsers.model import NumberRange
from parsers.numbers import (
    NumberMatch,
    RequestedNumbers,
    block_from_parts,
    find_numbers,
    is_plausible,
    parse_number,
    parse_requested,
)


def ranges(text: str) -> list[str]:
    return [str(m.range) for m in find_numbers(text)]


class TestNotations:
    """Every notation of a single number maps to its E.164 form."""

    @pytest.mark.parametrize(
        ("text", "e164"),
        [
            ("030 12345678", "+493012345678"),
            ("030/12345678", "+493012345678"),
            ("030 / 12345678", "+493012345678"),
            ("(030) 12345678", "+493012345678"),
            ("(0 30) 12345678", "+493012345678"),
            ("+49 30 12345678", "+493012345678"),
            ("+49 (0)30 12345678", "+493012345678"),
            ("+49 (0) 30 12345678", "+493012345678"),
            ("+49(0)30-12345678", "+493012345678"),
            ("+49 030 12345678", "+493012345678"),  # a wrongly kept trunk 0
            ("+49 (30) 12345678", "+493012345678"),
            ("0049 30 12345678", "+493012345678"),
            ("030 12 34 56 78", "+493012345678"),
            ("0221 12 34 05 67", "+4922112340567"),  # "05 67" starts no number
            ("+493012345678", "+493012345678"),
            ("030-12345678", "+493012345678"),
            ("030 - 12345678", "+493012345678"),
            ("030.12345678", "+493012345678"),
            ("+49.30.12345678", "+493012345678"),
            ("030\u00a012345678", "+493012345678"),
            ("0221 4711-0", "+4922147110"),
            ("+49 30 1234567-0", "+493012345670"),
            ("030 1234567-25", "+4930123456725"),
            ("0171 1234567", "+491711234567"),
            ("0171-1234567", "+491711234567"),
            ("+49 151 12345678", "+4915112345678"),
            ("0800 1234567", "+498001234567"),
            ("0800 123 4567", "+498001234567"),
            ("0180 5 123456", "+491805123456"),
            ("033203 12345", "+493320312345"),
            ("02151 123456", "+492151123456"),
        ],
    )
    def test_single(self, text: str, e164: str) -> None:
        """The whole notation is found as one number with the right E.164."""
        found = find_numbers(f"Tel. {text} bitte")
        assert [str(m.range) for m in found] == [e164]
        assert found[0].text == text
        assert found[0].range.is_single

    def test_offsets_index_into_text(self) -> None:
        """start/end slice the original text back to the number as written."""
        text = "Bitte übertragen: 0221 4711-10 bis -15 sowie (030) 1234567."
        for m in find_numbers(text):
            assert text[m.start : m.end] == m.text

    def test_din_extension_kind(self) -> None:
        """A Stammnummer with a DIN 5008 extension is one number of kind extension."""
        (m,) = find_numbers("+49 30 1234567-0")
        assert m.kind == "extension"
        (m,) = find_numbers("030 1234567")
        assert m.kind == "single"

    def test_only_own_country(self) -> None:
        """Foreign numbers are ignored, and their digits never become German numbers."""
        assert ranges("+43 1 2345678 oder 0043 1 2345678, +44 20 7946 0958") == []
        assert ranges("+41 44 668 18 00 und 030 1234567") == ["+49301234567"]

    def test_region_country_code(self) -> None:
        """The region sets the country code numbers are read for."""
        assert [str(m.range) for m in find_numbers("+43 1 5127890", region="AT")] == ["+4315127890"]
        assert find_numbers("+49 30 1234567", region="AT") == []
        with pytest.raises(ValueError, match="region"):
            find_numbers("030 1234567", region="XX")


class TestBlocks:
    """Block notations stay one range with first and last."""

    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("030 1234-00 bis -99", "+4930123400", "+4930123499"),
            ("030 1234-00 bis 99", "+4930123400", "+4930123499"),
            ("030 1234-00 – 030 1234-99", "+4930123400", "+4930123499"),
            ("030 1234-00 - -99", "+4930123400", "+4930123499"),
            ("0221 4711-10 bis 0221 4711-15", "+49221471110", "+49221471115"),
            ("0221 4711-10 bis einschließlich -15", "+49221471110", "+49221471115"),
            ("030 123456-0 bis -99", "+493012345600", "+493012345699"),
            ("+49 30 123456-000 bis -999", "+4930123456000", "+4930123456999"),
            ("030 1234500 - 030 1234599", "+49301234500", "+49301234599"),
            ("030 1234500 bis -99", "+49301234500", "+49301234599"),
            ("030 123456 Durchwahlen 00 bis 99", "+493012345600", "+493012345699"),
            ("030 123456, Durchwahlbereich: 0-99", "+493012345600", "+493012345699"),
            ("030 123456 (DW 10-19)", "+493012345610", "+493012345619"),
            # a Stammnummer too short to dial alone, then a spaced zero-based range
            ("030 6615 0-29", "+4930661500", "+4930661529"),
            ("030 6615 00-99", "+4930661500", "+4930661599"),
        ],
    )
    def test_block(self, text: str, first: str, last: str) -> None:
        """The notation gives exactly one block spanning the whole notation."""
        (m,) = find_numbers(text)
        assert m.range == NumberRange(first, last)
        assert m.kind == "block"
        assert m.text == text

    @pytest.mark.parametrize(
        "text",
        [
            "Stammnummer 030 123456 Durchwahlen 00 bis 99",
            "Rufnummernblock 030 1234500 - 030 1234599",
            "von 030 1234500 bis 030 1234599",
        ],
    )
    def test_block_with_words_around(self, text: str) -> None:
        """Labels before the block are not part of it; the block is 100 numbers."""
        (m,) = find_numbers(text)
        assert m.range.count == 100
        assert text.endswith(m.text)

    def test_ambiguous_width_rule(self) -> None:
        """-0 bis -99 takes the wider width: 100 numbers of equal length."""
        (m,) = find_numbers("030 123456-0 bis -99")
        assert m.range.count == 100
        assert m.range.width == len("493012345600")

    def test_paragraph_wraps_after_bis(self) -> None:
        """In a paragraph a block may wrap after "bis"; a dash at a line start is a bullet."""
        assert ranges("Block 030 1234-00 bis\n-99 und\n030 1234567") == [
            "+4930123400..+4930123499",
            "+49301234567",
        ]
        assert ranges("030 123456-10,\n-11") == ["+493012345610", "+493012345611"]
        assert ranges("- 030 1234500\n- 030 1234599") == ["+49301234500", "+49301234599"]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("0228 4702 10 19", "+49228470210..+49228470219"),
            ("0228 92833 500 599", "+4922892833500..+4922892833599"),
            ("089 4036 0 9", "+498940360..+498940369"),
            ("Berlin 030 1234 00 99 vollständig", "+4930123400..+4930123499"),
            ("06131 624 10 bis 19", "+49613162410..+49613162419"),
            ("(0221) 4711 10 19", "+49221471110..+49221471119"),
            # pair groups that lack a sign of a block stay one number
            ("0171 123 45 67", "+491711234567"),
            ("0171 123 40 59", "+491711234059"),  # mobile: no area code, no block
            ("030 12 34 56 78", "+493012345678"),
            ("033203 37 40 99", "+4933203374099"),  # a Rufnummer of two digits: pairs
            ("0221 4711 12 19", "+4922147111219"),
            ("030 1234 50 59 12", "+49301234505912"),  # a fifth group: digit groups
        ],
    )
    def test_table_row_as_text(self, text: str, expected: str | None) -> None:
        """A table row Vorwahl Rufnummer von bis is a block only with every sign of one."""
        assert ranges(text) == ([expected] if expected else [])

    def test_durchwahl_cut_at_line_end(self) -> None:
        """A line ending in "bis" names the first extension; the paragraph the block."""
        line = "Stammnummer 0511 23973, Durchwahlen 20 bis"
        assert ranges(line) == ["+495112397320"]
        assert ranges(line + "\n49.") == ["+495112397320..+495112397349"]

    def test_unrelated_full_numbers_are_two_singles(self) -> None:
        """Two numbers that cannot bound a block are returned separately."""
        assert ranges("030 1234567 bis 030 7654321") == ["+49301234567", "+49307654321"]
        assert ranges("030 1234599 - 030 1234500") == ["+49301234599", "+49301234500"]

    def test_too_wide_block_keeps_the_first_number(self) -> None:
        """A block of more than 10 000 numbers is not built; the written number stays."""
        assert ranges("030 12-00000 bis -99999") == ["+49301200000"]

    def test_reversed_extensions(self) -> None:
        """An end below the start is no block: its two ends are named, nothing between."""
        assert ranges("030 1234-99 bis -10") == ["+4930123499", "+4930123410"]

    def test_short_stem_needs_a_zero_based_range(self) -> None:
        """ "030 6615" is no number alone: a zero group up to zero is no block."""
        assert find_numbers("030 6615 0-0") == []

    def test_durchwahl_single(self) -> None:
        """A Stammnummer with one Durchwahl is that one number."""
        (m,) = find_numbers("Stammnummer 030 123456, Durchwahl 25")
        assert m.range == NumberRange.single("+493012345625")
        assert m.kind == "extension"


class TestEnumerations:
    """Lists of numbers are split into their items."""

    def test_und(self) -> None:
        assert ranges("030 1234567 und 030 1234568") == ["+49301234567", "+49301234568"]

    def test_commas(self) -> None:
        assert ranges("030 1234567, 0221 4711-0, 0171 1234567") == [
            "+49301234567",
            "+4922147110",
            "+491711234567",
        ]

    def test_spaces_only(self) -> None:
        """A table row read as text: a new 0-prefixed group starts the next number."""
        assert ranges("030 1234567 030 1234568") == ["+49301234567", "+49301234568"]

    def test_extension_enumeration(self) -> None:
        """030 123456-10, -11 und -15 are three numbers of one Stammnummer."""
        found = find_numbers("030 123456-10, -11 und -15")
        assert [str(m.range) for m in found] == [
            "+493012345610",
            "+493012345611",
            "+493012345615",
        ]
        assert [m.text for m in found] == ["030 123456-10", "-11", "-15"]
        assert {m.kind for m in found} == {"extension"}

    def test_extension_enumeration_with_blocks(self) -> None:
        found = find_numbers("0221 4711-10 bis -15, -20 und -30 bis -39")
        assert [(str(m.range), m.kind) for m in found] == [
            ("+49221471110..+49221471115", "block"),
            ("+49221471120", "extension"),
            ("+49221471130..+49221471139", "block"),
        ]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "Stammnummer 030 123456, Durchwahlen 00 bis 99, ausgenommen -42",
                ["+493012345600..+493012345699", "+493012345642"],
            ),
            (
                "030 1234-00 bis -99 (außer -42 und -43)",
                ["+4930123400..+4930123499", "+4930123442", "+4930123443"],
            ),
            (
                "Stammnummer 030 1234 Durchwahlen 00 bis 99 mit Ausnahme der -10 bis -19",
                ["+4930123400..+4930123499", "+4930123410..+4930123419"],
            ),
            ("Tel. 030 1234567-0, Fax -99", ["+493012345670", "+4930123456799"]),
            ("Tel. 030 1234567-0 (Mo - Fr 8-18 Uhr)", ["+493012345670"]),
            ("Tel. 030 1234567, Fax -99", ["+49301234567"]),  # no DIN base to extend
        ],
    )
    def test_extension_after_words(self, text: str, expected: list[str]) -> None:
        """A hyphenated extension a few words after a block or DIN number is found."""
        assert ranges(text) == expected

    def test_numbered_list(self) -> None:
        text = "1. 030 1234567\n2. 030 1234568\n3) 0171 1234567"
        assert ranges(text) == ["+49301234567", "+49301234568", "+491711234567"]

    def test_slash_abbreviation_is_not_joined(self) -> None:
        """030 12345678 / 79: only the certain first number, never 0301234567879."""
        assert ranges("030 12345678 / 79") == ["+493012345678"]
        assert ranges("Tel. 030 1234567 / Fax 030 1234568") == [
            "+49301234567",
            "+49301234568",
        ]

    def test_extension_needs_hyphen_in_enumeration(self) -> None:
        """A bare ", 11" after a DIN number is not read as another extension."""
        assert ranges("030 123456-10, 11 Stück") == ["+493012345610"]


class TestNonNumbers:
    """Digits that are not phone numbers are never returned."""

    @pytest.mark.parametrize(
        "text",
        [
            "Berlin, 22.11.2026",
            "Berlin, 01.12.2026",
            "am 01.12.26 um 10 Uhr",
            "Stand 2026-11-22",
            "10115 Berlin",
            "01067 Dresden",
            "D-01067 Dresden",
            "IBAN DE89 3704 0044 0532 0130 00",
            "IBAN: DE12 3456 0049 3012 3456 78",
            "DE12 3456 0049 3012 3456 78",
            "BIC COBADEFFXXX",
            "HRB 12345 B",
            "Amtsgericht Charlottenburg HRB 012345678",
            "USt-IdNr. DE123456789",
            "Steuernummer 27/123/45678",
            "Steuer-Nr. 030/123/45678",
            "Kundennummer 004711234",
            "Kunden-Nr. 0301234567",
            "Vertragsnummer V-2024-000123",
            "Vertrag 0301234567",
            "Auftragsnummer: 0221471100",
            "Ticket #12345",
            "Ticket #0301234567",
            "Rechnung 0301234567",
            "Betrag 1.234,05 EUR",
            "0,99 € pro Minute",
            "um 09:30 Uhr",
            "ABC0301234567",
            "0301234567abc",
            "20355555",
            "Tel. 30 1234567",
            "030 123",
            "030 1234",
            "+49 30 12",
            "+49 30 12345678901234",
            "V-2024-000123",
        ],
    )
    def test_not_a_number(self, text: str) -> None:
        assert find_numbers(text) == []

    @pytest.mark.parametrize(
        "label",
        [
            "Kunden-Nr.",
            "Kundennummer:",
            "Vertrag",
            "Vertragsnummer",
            "IBAN",
            "BIC",
            "HRB",
            "USt-IdNr.",
            "Steuernummer",
            "Auftrag",
            "Auftragsnummer",
            "Ticket",
            "Ticket #",
            "Rechnung",
            "Rechnungs-Nr.",
            "Bestellnummer",
            "Referenz:",
        ],
    )
    def test_context_word_before_digits(self, label: str) -> None:
        """The same digits are a number alone and none after a non-phone label."""
        assert ranges("Tel. 0301234567") == ["+49301234567"]
        assert find_numbers(f"{label} 0301234567") == []
        assert find_numbers(f"{label} 030 1234567") == []

    def test_number_next_to_non_numbers(self) -> None:
        """A labelled value does not hide a phone number after it."""
        text = "Kundennummer 12345, Tel. 030 1234567, IBAN DE89 3704 0044 0532 0130 00"
        assert ranges(text) == ["+49301234567"]

    def test_date_next_to_a_number(self) -> None:
        assert ranges("Tel. 030 1234567 am 01.12.2026, 030 7654321 ab 2026-12-01") == [
            "+49301234567",
            "+49307654321",
        ]

    def test_number_split_over_lines_is_dropped(self) -> None:
        """A number whose rest may be on the next line is not certain."""
        assert ranges("Tel.: 030 12345\n67") == []
        assert ranges("Tel.: 030 1234567\n10115 Berlin") == ["+49301234567"]

    def test_trailing_space_groups_are_dropped_when_too_long(self) -> None:
        """Digits after a complete number that make it implausible are not joined."""
        assert ranges("030 1234567 12345 Stück") == ["+49301234567"]


class TestParseNumber:
    """parse_number reads a string that is one number or block, else None."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("030 1234567", NumberRange.single("+49301234567")),
            ("  +49 (0)30 1234567. ", NumberRange.single("+49301234567")),
            ("030 1234-00 bis -99", NumberRange("+4930123400", "+4930123499")),
            ("0221 4711-10 bis 0221 4711-15", NumberRange("+49221471110", "+49221471115")),
            ("030 1234567 und 030 1234568", None),
            ("Tel 030 1234567", None),
            ("030 123", None),
            ("20355555", None),
            ("", None),
            ("+43 1 2345678", None),
        ],
    )
    def test_parse(self, text: str, expected: NumberRange | None) -> None:
        assert parse_number(text) == expected


class TestBlockFromParts:
    """Table columns Vorwahl | Rufnummer | Durchwahl von | bis."""

    @pytest.mark.parametrize(
        ("parts", "expected"),
        [
            (("030", "1234", "00", "99"), NumberRange("+4930123400", "+4930123499")),
            (("30", "1234", "00", "99"), NumberRange("+4930123400", "+4930123499")),
            (("+49 30", "123456", "0", "99"), NumberRange("+493012345600", "+493012345699")),
            (("0049 (0)30", "123456", "0", "9"), NumberRange("+49301234560", "+49301234569")),
            (("0221", "47 11", "-10", "-15"), NumberRange("+49221471110", "+49221471115")),
            (("030", "1234567", None, None), NumberRange.single("+49301234567")),
            (("030", "1234567", "", ""), NumberRange.single("+49301234567")),
            (("030", "123456", "25", None), NumberRange.single("+493012345625")),
            (("", "030 123456", "10", "19"), NumberRange("+493012345610", "+493012345619")),
            (("", "030 1234567", None, None), NumberRange.single("+49301234567")),
            (("030", "12", None, None), None),  # implausible
            (("030", "1234", None, "99"), None),  # an end without a start
            (("030", "1234", "99", "10"), None),  # reversed
            (("030", "12a4", "00", "99"), None),
            (("00", "1234567", None, None), None),
            (("030", "1234", "00000", "99999"), None),  # wider than 10 000
        ],
    )
    def test_parts(self, parts: tuple[str, str, str | None, str | None], expected: object) -> None:
        assert block_from_parts(*parts) == expected


class TestParseRequested:
    """A requested list: separators, bullets, labels, invalid items."""

    def test_mixed_list(self) -> None:
        text = (
            "Rufnummern:\n"
            "1. 030 1234567\n"
            "2. 030 123456-10, -11 und -15\n"
            "- 0221 4711-10 bis 0221 4711-15; 030 123\n"
            "\n"
            "• +49 171 1234567 und 20355555\n"
            "Rufnummer: 0800 1234567, Umzug am 01.12.2026, +43 1 2345678\n"
            "030 1234567\n"
        )
        result = parse_requested(text)
        assert [str(r) for r in result.ranges] == [
            "+49301234567",
            "+493012345610",
            "+493012345611",
            "+493012345615",
            "+49221471110..+49221471115",
            "+491711234567",
            "+498001234567",
        ]
        assert result.invalid == ("030 123", "20355555", "+43 1 2345678")

    def test_semicolons_and_commas_on_one_line(self) -> None:
        result = parse_requested("030 1234567;030 1234568,030 1234569")
        assert len(result.ranges) == 3

    def test_bracketed_area_code_is_no_bullet(self) -> None:
        """A line starting "(030)" keeps its area code; "(1)" is a bullet."""
        result = parse_requested("(030) 1234567\n(1) 0171 1234567")
        assert [str(r) for r in result.ranges] == ["+49301234567", "+491711234567"]
        assert result.invalid == ()

    def test_range_that_is_no_block_is_invalid(self) -> None:
        """A requested range that cannot be a block is reported whole, its ends not kept."""
        result = parse_requested("030 1234567 bis 030 7654321, 030 1234-99 bis -10\n0171 1234567")
        assert result.ranges == (NumberRange.single("+491711234567"),)
        assert result.invalid == ("030 1234567 bis 030 7654321", "030 1234-99 bis -10")

    def test_empty(self) -> None:
        assert parse_requested("") == RequestedNumbers(ranges=(), invalid=())
        assert parse_requested("\n\n  \n") == RequestedNumbers(ranges=(), invalid=())

    def test_prose_without_digits_is_ignored(self) -> None:
        result = parse_requested("Hallo,\nbitte folgende Nummer umziehen: 030 1234567\nDanke")
        assert result == RequestedNumbers(ranges=(NumberRange.single("+49301234567"),), invalid=())

    def test_slash_abbreviation_is_invalid_rest(self) -> None:
        """The uncertain "/ 79" is reported, not silently dropped."""
        result = parse_requested("030 12345678 / 79")
        assert result.ranges == (NumberRange.single("+493012345678"),)
        assert result.invalid == ("/ 79",)
        assert parse_requested("030 1234567, -11").invalid == ("-11",)


class TestIsPlausible:
    """The plausibility rule beyond phonenumbers.is_valid_number."""

    @pytest.mark.parametrize(
        ("e164", "expected"),
        [
            ("+493012345678", True),
            ("+4930123456", True),
            ("+4930123", False),  # is_valid_number accepts it
            ("+49301234", False),
            ("+49221471110", True),
            ("+492214711", True),  # a Stammnummer: 3-digit area code, 4 digits
            ("+4933203123", True),
            ("+493320312", False),  # subscriber part of 2 digits
            ("+491711234567", True),
            ("+49171123456", False),
            ("+498001234567", True),
            ("+49800123456", False),
            ("+4930123456789012", False),  # longer than E.164 allows
            ("+4315127890", True),  # foreign numbers only need to be valid
            ("4930123456", False),
            ("+49 30 123456", False),
            ("+490301234567", False),
            ("", False),
        ],
    )
    def test_rule(self, e164: str, expected: bool) -> None:
        assert is_plausible(e164) is expected

    def test_found_numbers_are_plausible(self) -> None:
        for m in find_numbers("030 1234-00 bis -99, 0171 1234567, +49 800 1234567"):
            assert isinstance(m, NumberMatch)
            assert is_plausible(m.range.first) and is_plausible(m.range.last)


def test_bench_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark module measures and reports (few repeats here)."""
    from tests.bench import numbers as bench

    monkeypatch.setattr(bench, "REPEATS", 2)
    lines = bench.run()
    assert len(lines) == 3
    assert all("µs/line" in line for line in lines[:2])

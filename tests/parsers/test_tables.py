"""Tables from word positions alone (unruled, monospace, check-box lists) and the
roles their rows get: a decision column decides, a keep-back value always wins."""

from __future__ import annotations

import re

import pytest

from parsers.layout import Cell, PageLayout, Table, Word, build_rows
from parsers.model import Role, Source
from parsers.tables import aligned_tables, table_numbers

CHAR = 6.0  # width of one character in these synthetic pages


def w(text: str, x0: float, top: float, *, size: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + CHAR * len(text), top + size, size)


def mono(line: str, top: float, *, x0: float = 70.0, size: float = 8.2) -> list[Word]:
    """A fixed-width line: every word at its character column (Courier: 0.6 em)."""
    width = 0.6 * size
    return [
        Word(m.group(0), x0 + m.start() * width, top, x0 + m.end() * width, top + size, size)
        for m in re.finditer(r"\S+", line)
    ]


def row(top: float, *items: tuple[str, float]) -> list[Word]:
    """Words of one row; each item is (text, x0), its words laid out from x0."""
    out: list[Word] = []
    for text, x in items:
        for part in text.split():
            out.append(w(part, x, top))
            x += CHAR * (len(part) + 1)
    return out


def page_of(words: list[Word]) -> PageLayout:
    page = PageLayout(1, 595, 842, Source.TEXT, rows=build_rows(words))
    aligned_tables(page)
    return page


def roles_of(page: PageLayout, intro: str = "") -> dict[str, tuple[Role, str]]:
    out: dict[str, tuple[Role, str]] = {}
    for table in page.tables:
        for n in table_numbers(page, table, intro=intro, region="DE"):
            key = n.range.first if n.range.is_single else f"{n.range.first}..{n.range.last}"
            out[key] = (n.role, n.why)
    return out


HEAD = (("Vorwahl", 70), ("Rufnummer", 150), ("Durchwahl von", 260), ("Durchwahl bis", 360))


class TestUnruled:
    def test_tab_table_with_blocks_and_two_word_headings(self) -> None:
        page = page_of(
            [
                *row(300, *HEAD),
                *row(318, ("0221", 70), ("4711", 150), ("10", 260), ("15", 360)),
                *row(336, ("0221", 70), ("998877", 150)),
            ]
        )
        assert len(page.tables) == 1
        got = roles_of(page, "Folgende Rufnummern werden übergeben:")
        assert got["+49221471110..+49221471115"][0] is Role.TRANSFER
        assert got["+49221998877"][0] is Role.TRANSFER

    def test_header_cells_wrapped_onto_a_second_line(self) -> None:
        """ "Durchwahl" over "von" and "Durchwahl" over "bis" (a word processor wraps
        narrow heading cells): the second line joins the headings, not the first row."""
        page = page_of(
            [
                *row(300, ("Nr.", 40), ("Vorwahl", 70), ("Rufnummer", 150)),
                *row(300, ("Durchwahl", 260), ("Durchwahl", 360), ("Anzahl", 460)),
                *row(312, ("von", 260), ("bis", 360)),
                *row(330, ("1", 40), ("0711", 70), ("87441", 150), ("500", 260)),
                *row(330, ("549", 360), ("50", 460)),
                *row(348, ("2", 40), ("0711", 70), ("3308773", 150), ("1", 460)),
            ]
        )
        assert len(page.tables) == 1
        header = [c.text if c else "" for c in page.tables[0].rows[0]]
        assert "Durchwahl von" in header and "Durchwahl bis" in header
        got = roles_of(page, "Folgende Rufnummern werden übergeben:")
        assert set(got) == {"+4971187441500..+4971187441549", "+497113308773"}
        assert all(role is Role.TRANSFER for role, _ in got.values())

    def test_wrapped_header_over_empty_columns_keeps_them_apart(self) -> None:
        """No row fills "Durchwahl von"/"bis": the wrapped line still marks where those
        columns start, so "Rufnummer" stays a column of its own."""
        page = page_of(
            [
                *row(300, ("Nr. Vorwahl Rufnummer Durchwahl Durchwahl Übergabe", 40)),
                *row(312, ("von", 172), ("bis", 232)),
                *row(330, ("1", 40), ("0228", 64), ("4564800", 112), ("ja", 292)),
                *row(348, ("2", 40), ("0228", 64), ("6940319", 112), ("nein", 292)),
            ]
        )
        header = [c.text if c else "" for c in page.tables[0].rows[0]]
        assert "Rufnummer" in header and "Durchwahl von" in header
        got = roles_of(page)
        assert got["+492284564800"][0] is Role.TRANSFER
        assert got["+492286940319"][0] is Role.EXCLUDED

    def test_inline_boxes_answer_for_their_own_line_only(self) -> None:
        """ "Rufnummer …: ☒ wird übergeben ☐ verbleibt" on close lines: each line's
        boxes decide its own number, not the next line's."""
        page = page_of(
            [
                *row(300, ("Rufnummer 0211 49953438: ☒ wird übergeben ☐ verbleibt", 70)),
                *row(307, ("Rufnummer 0211 41807238: ☒ verbleibt ☐ wird übergeben", 70)),
                *row(314, ("Rufnummer 0211 41807239: ☐ wird übergeben ☐ verbleibt", 70)),
            ]
        )
        assert len(page.tables) == 3 and not page.rows
        got = roles_of(page, "Bitte entnehmen Sie der Aufstellung, wie verfahren wird:")
        assert got["+4921149953438"][0] is Role.TRANSFER
        assert got["+4921141807238"][0] is Role.EXCLUDED
        assert got["+4921141807239"][0] is not Role.TRANSFER

    def test_second_table_under_its_own_keep_back_intro(self) -> None:
        """A prose line ending in ':' and a repeated header start a new table."""
        words = [
            *row(300, *HEAD),
            *row(318, ("0221", 70), ("4711", 150), ("10", 260), ("15", 360)),
            *row(336, ("0221", 70), ("5701", 150), ("00", 260), ("19", 360)),
            *row(360, ("Diese Rufnummern bleiben in unserem Bestand:", 60)),
            *row(380, *HEAD),
            *row(398, ("0221", 70), ("7682409", 150)),
        ]
        page = page_of(words)
        assert len(page.tables) == 2
        assert [len(t.rows) for t in page.tables] == [3, 2]
        flow = [page.row_text(r) for r in range(len(page.rows))]
        assert flow == ["Diese Rufnummern bleiben in unserem Bestand:"]

    def test_prose_after_a_row_is_not_a_wrapped_cell(self) -> None:
        words = [
            *row(300, ("Vorwahl", 70), ("Rufnummer", 150)),
            *row(318, ("0371", 70), ("203707", 150)),
            *row(332, ("Die Endgeräte verbleiben selbstverständlich beim Kunden.", 60)),
        ]
        page = page_of(words)
        assert len(page.tables) == 1
        assert len(page.tables[0].rows) == 2
        got = roles_of(page, "Folgende Rufnummern werden übergeben:")
        assert got["+49371203707"][0] is Role.TRANSFER

    def test_kopfnummer_with_range_column_is_one_block(self) -> None:
        page = page_of(
            [
                *row(300, ("Kopfnummer", 70), ("Durchwahlbereich", 200)),
                *row(318, ("0851 53106", 70), ("00 – 99", 200)),
            ]
        )
        got = roles_of(page, "Folgende Rufnummern geben wir frei:")
        assert list(got) == ["+498515310600..+498515310699"]
        assert got["+498515310600..+498515310699"][0] is Role.TRANSFER

    def test_porting_form_with_count_column(self) -> None:
        page = page_of(
            [
                *row(
                    300,
                    ("Nr.", 70),
                    ("Vorwahl", 100),
                    ("Rufnummer", 170),
                    ("Durchwahl von", 260),
                    ("Durchwahl bis", 350),
                    ("Anzahl", 440),
                ),
                *row(
                    318,
                    ("1", 70),
                    ("089", 100),
                    ("73794", 170),
                    ("0", 260),
                    ("49", 350),
                    ("50", 440),
                ),
                *row(336, ("2", 70), ("089", 100), ("4455667", 170), ("1", 440)),
            ]
        )
        got = roles_of(page, "Folgende Rufnummern werden übergeben:")
        assert set(got) == {"+49897379400..+49897379449", "+49894455667"}

    def test_heading_rufnummernblock_alone_hands_nothing_over(self) -> None:
        page = page_of(
            [
                *row(300, ("Rufnummer / Rufnummernblock", 70), ("Bemerkung", 300)),
                *row(318, ("030 1234567", 70), ("Hauptanschluss", 300)),
            ]
        )
        assert roles_of(page)["+49301234567"][0] is Role.UNCLEAR


class TestMonospace:
    LINES = (
        "POS ONKZ RUFNR     DW-VON DW-BIS ANZ UEBERGABE HINWEIS",
        "------------------------------------------------------",
        "  1 0561 5367      100    199    100 J",
        "  2 0561 729277    -      -        1 J",
        "  3 0561 4649482   -      -        1 N         VERBLEIBT BEI EKPAB",
        "  4 0561 245307    -      -        1 J         FAX",
        "  5 0561 2326590   -      -        1 N         GEKUENDIGT",
        "------------------------------------------------------",
        "5 DATENSAETZE",
    )

    def page(self) -> PageLayout:
        words = [w_ for i, line in enumerate(self.LINES) for w_ in mono(line, 400 + 10.7 * i)]
        return page_of(words)

    def test_single_space_columns_are_split(self) -> None:
        page = self.page()
        assert len(page.tables) == 1
        header = [c.text for c in page.tables[0].rows[0] if c]
        assert header[:3] == ["POS", "ONKZ", "RUFNR"]
        assert page.row_text(0) == "5 DATENSAETZE"

    def test_j_n_column_decides_over_the_intro(self) -> None:
        got = roles_of(self.page(), "Die mit J markierten Rufnummern übergeben wir hiermit.")
        assert got["+495615367100..+495615367199"][0] is Role.TRANSFER
        assert got["+49561729277"][0] is Role.TRANSFER
        assert got["+495614649482"][0] is Role.EXCLUDED
        assert got["+49561245307"][0] is Role.TRANSFER
        assert got["+495612326590"][0] is Role.EXCLUDED


def grid(header: list[str], *rows: list[str]) -> Table:
    """A ruled table as pdfplumber gives it: cells with boxes."""
    out = []
    for r, texts in enumerate([header, *rows]):
        out.append(
            tuple(
                Cell(r, c, t, (70 + 100 * c, 300 + 18 * r, 170 + 100 * c, 318 + 18 * r))
                for c, t in enumerate(texts)
            )
        )
    return Table(tuple(out), (70, 300, 70 + 100 * len(header), 318 + 18 * len(rows)))


def ruled_roles(table: Table, intro: str = "") -> list[Role]:
    page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
    return [n.role for n in table_numbers(page, table, intro=intro, region="DE")]


HANDOVER_INTRO = "Die mit ja gekennzeichneten Rufnummern geben wir zur Übergabe frei."


class TestDecisionColumns:
    @pytest.mark.parametrize(
        ("value", "role"),
        [
            ("ja", Role.TRANSFER),
            ("J", Role.TRANSFER),
            ("x", Role.TRANSFER),
            ("✓", Role.TRANSFER),
            ("☒", Role.TRANSFER),
            ("nein", Role.EXCLUDED),
            ("N", Role.EXCLUDED),
            ("–", Role.EXCLUDED),
            ("✗", Role.EXCLUDED),
            ("☐", Role.EXCLUDED),
            ("später", Role.UNCLEAR),
            ("", Role.UNCLEAR),
        ],
    )
    def test_uebergabe_column_values(self, value: str, role: Role) -> None:
        table = grid(["Vorwahl", "Rufnummer", "Übergabe"], ["030", "1234567", value])
        assert ruled_roles(table, HANDOVER_INTRO) == [role]

    @pytest.mark.parametrize(
        ("status", "role"),
        [
            ("wird übergeben", Role.TRANSFER),
            ("Freigabe erteilt", Role.TRANSFER),
            ("verbleibt bei uns", Role.EXCLUDED),
            ("bereits gekündigt", Role.EXCLUDED),
            ("keine Übergabe", Role.EXCLUDED),
            ("in Klärung", Role.UNCLEAR),
        ],
    )
    def test_status_column_phrases(self, status: str, role: Role) -> None:
        table = grid(["Rufnummer", "Art", "Status"], ["030 1234567", "Einzelrufnummer", status])
        assert ruled_roles(table, "Den Stand entnehmen Sie der folgenden Übersicht:") == [role]

    @pytest.mark.parametrize(
        ("status", "role"),
        [
            ("UEBERGABE", Role.TRANSFER),
            ("UEBERGEBEN", Role.TRANSFER),
            ("Uebergabe", Role.TRANSFER),
            ("wird uebergeben", Role.TRANSFER),
            ("VERBLEIBT", Role.EXCLUDED),
            ("GEKUENDIGT", Role.EXCLUDED),
            ("bereits gekuendigt", Role.EXCLUDED),
            ("wird nicht uebergeben", Role.EXCLUDED),
            ("zurueckbehalten", Role.EXCLUDED),
            ("Ueberweisung", Role.UNCLEAR),
            ("IN KLAERUNG", Role.UNCLEAR),
        ],
    )
    def test_status_words_in_ascii_transliteration(self, status: str, role: Role) -> None:
        """A system export spells umlauts in ASCII ("UEBERGABE"): read like "Übergabe"."""
        table = grid(["POS", "RUFNUMMER", "STATUS"], ["001", "030 1234567", status])
        assert ruled_roles(table, "Den Stand entnehmen Sie der folgenden Übersicht:") == [role]

    def test_keep_back_value_beats_a_handover_intro(self) -> None:
        table = grid(["Rufnummer", "Übergabe"], ["030 1234567", "nein"])
        assert ruled_roles(table, "Folgende Rufnummern werden übergeben:") == [Role.EXCLUDED]

    def test_yes_under_a_keep_back_intro_is_not_approved(self) -> None:
        table = grid(["Rufnummer", "Übergabe"], ["030 1234567", "ja"])
        assert ruled_roles(table, "Folgende Rufnummern verbleiben bei uns:") == [Role.UNCLEAR]

    def test_check_boxes_under_a_spanning_heading(self) -> None:
        """ "Übergabe" over two cells "☒ ja" | "☐ nein": the ticked label decides."""
        table = grid(
            ["Rufnummer", "Übergabe", ""],
            ["030 1234567", "☒ ja", "☐ nein"],
            ["030 7654321", "☐ ja", "☒ nein"],
            ["030 2345678", "☐ ja", "☐ nein"],
            ["030 3456789", "☒ ja", "☒ nein"],
        )
        assert ruled_roles(table, HANDOVER_INTRO) == [
            Role.TRANSFER,
            Role.EXCLUDED,
            Role.UNCLEAR,  # nothing ticked
            Role.EXCLUDED,  # both ticked: the keep-back answer wins
        ]

    def test_misread_label_of_a_yes_no_pair(self) -> None:
        """OCR reads "☒ ja" as "☒ aja": the ticked box is the answer the other is not."""
        table = grid(
            ["Rufnummer", "Übergabe", ""],
            ["030 1234567", "☒ aja", "☐ nein"],
            ["030 7654321", "☐ ja", "☒ neln"],
            ["030 2345678", "☒ vielleicht", "☐ nein"],
        )
        assert ruled_roles(table, HANDOVER_INTRO) == [Role.TRANSFER, Role.EXCLUDED, Role.UNCLEAR]

    def test_form_row_with_labelled_boxes(self) -> None:
        table = grid(
            ["Rufnummernblock", "Aktion"],
            ["030 1234-00 bis -99", "☒ verbleibt beim abgebenden Partner ☐ wird übergeben"],
            ["030 7654321", "☐ verbleibt beim abgebenden Partner ☒ wird übergeben"],
        )
        assert ruled_roles(table) == [Role.EXCLUDED, Role.TRANSFER]

    def test_verbleib_column_yes_keeps_back(self) -> None:
        table = grid(["Rufnummer", "Verbleib beim EKPab"], ["030 1234567", "x"])
        assert ruled_roles(table, HANDOVER_INTRO) == [Role.EXCLUDED]

    def test_without_decision_column_the_intro_decides(self) -> None:
        table = grid(["Vorwahl", "Rufnummer"], ["030", "1234567"])
        assert ruled_roles(table, "Folgende Rufnummern verbleiben bei uns:") == [Role.EXCLUDED]
        assert ruled_roles(table, "Folgende Rufnummern werden übergeben:") == [Role.TRANSFER]
        assert ruled_roles(table, "") == [Role.UNCLEAR]


class TestCheckboxLists:
    def words(self) -> list[Word]:
        return [
            *row(280, ("Bitte kreuzen Sie an, welche Rufnummern übergeben werden.", 70)),
            *row(293, ("Nicht angekreuzte Rufnummern verbleiben beim abgebenden Partner.", 70)),
            *row(310, ("☒", 70), ("0541 2030-20 bis -39", 84)),
            *row(326, ("☐", 70), ("0541 6688750", 84)),
            *row(342, ("☒", 70), ("0541 831662", 84)),
        ]

    def test_ticked_rows_take_the_intro_unticked_are_kept_back(self) -> None:
        page = page_of(self.words())
        assert len(page.tables) == 1
        got = roles_of(page)
        assert got["+49541203020..+49541203039"][0] is Role.TRANSFER
        assert got["+495416688750"][0] is Role.EXCLUDED
        assert got["+49541831662"][0] is Role.TRANSFER

    def test_unticked_without_a_rule_for_it_is_unclear(self) -> None:
        words = [
            *row(280, ("Folgende Rufnummern werden übergeben:", 70)),
            *row(297, ("☐", 70), ("0541 6688750", 84)),
        ]
        got = roles_of(page_of(words))
        assert got["+495416688750"][0] is Role.UNCLEAR

    def test_ticked_without_handover_wording_is_unclear(self) -> None:
        words = [
            *row(280, ("Der Kunde nutzt die folgenden Anschlüsse.", 70)),
            *row(297, ("☒", 70), ("0541 6688750", 84)),
        ]
        got = roles_of(page_of(words))
        assert got["+495416688750"][0] is Role.UNCLEAR

    def test_legend_gives_the_meaning_of_each_box(self) -> None:
        words = [
            *row(250, ("☒", 70), ("= Rufnummer wird an den aufnehmenden Partner übergeben", 84)),
            *row(264, ("☐", 70), ("= Rufnummer verbleibt beim abgebenden Partner", 84)),
            *row(290, ("☒", 70), ("0381 5080-20 bis -39", 84)),
            *row(306, ("☐", 70), ("0381 5982872", 84)),
        ]
        got = roles_of(page_of(words))
        assert got["+49381508020..+49381508039"] == (Role.TRANSFER, "checkbox:legend_handover")
        assert got["+493815982872"] == (Role.EXCLUDED, "checkbox:legend_keeps_back")


class TestExplainedValues:
    def test_status_value_explained_by_the_intro(self) -> None:
        table = grid(
            ["Rufnummer", "Status", "Bemerkung"],
            ["0531 26407-00 bis -99", "aktiv", "Anlagenanschluss"],
            ["0531 6654123", "gekündigt zum 31.03.2026", "keine Übergabe"],
            ["0531 545084", "ruhend", ""],
        )
        intro = (
            "Wir teilen Ihnen den Stand der Rufnummern mit. Rufnummern mit dem Status "
            "„aktiv“ geben wir hiermit zur Übernahme frei."
        )
        assert ruled_roles(table, intro) == [Role.TRANSFER, Role.EXCLUDED, Role.UNCLEAR]

    def test_explained_keep_back_value(self) -> None:
        table = grid(["Rufnummer", "Kennz."], ["030 1234567", "V"], ["030 7654321", "Ü"])
        intro = "Mit „V“ gekennzeichnete Rufnummern verbleiben bei uns."
        # "Kennz." is no decision column: the explained value is not used, the intro is
        assert ruled_roles(table, intro) == [Role.EXCLUDED, Role.EXCLUDED]

    def test_remark_column_keep_back_beats_the_intro(self) -> None:
        table = grid(
            ["Nr.", "Rufnummer", "Bemerkung"],
            ["1", "0871 591403", "Telefax"],
            ["2", "0871 787929", "verbleibt"],
            ["3", "0871 919182", "bereits gekündigt"],
        )
        intro = "Hiermit übergeben wir die folgenden Rufnummern:"
        assert ruled_roles(table, intro) == [Role.TRANSFER, Role.EXCLUDED, Role.EXCLUDED]


class TestTableEnds:
    def test_closing_line_is_not_a_wrapped_cell(self) -> None:
        words = [
            *row(300, ("Kopfnummer", 70), ("Durchwahlbereich", 200)),
            *row(316, ("0851 53106", 70), ("00 – 99", 200)),
            *row(330, ("0851 77123", 70), ("10 – 19", 200)),
            *row(352, ("Mit freundlichen Grüßen", 70)),
        ]
        page = page_of(words)
        assert [page.tables[0].row_text(r) for r in range(3)] == [
            "Kopfnummer | Durchwahlbereich",
            "0851 53106 | 00 – 99",
            "0851 77123 | 10 – 19",
        ]
        assert [page.row_text(r) for r in range(len(page.rows))] == ["Mit freundlichen Grüßen"]

    def test_position_glued_to_the_area_code_invents_no_number(self) -> None:
        table = grid(["Nr. Vorwahl", "Rufnummer"], ["2 0221", "998877"])
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        found = table_numbers(
            page, table, intro="Folgende Rufnummern werden übergeben:", region="DE"
        )
        assert not [n for n in found if n.range.first.startswith("+4920221")]


class TestHeadings:
    def test_two_heading_rows_are_merged(self) -> None:
        table = grid(
            ["Vorwahl", "Rufnummer", "Durchwahl", ""],
            ["", "", "von", "bis"],
            ["0221", "4711", "10", "15"],
        )
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        found = table_numbers(
            page, table, intro="Folgende Rufnummern werden übergeben:", region="DE"
        )
        assert [(n.range.first, n.range.last, n.role) for n in found] == [
            ("+49221471110", "+49221471115", Role.TRANSFER)
        ]

    def test_heading_spanning_both_extension_cells(self) -> None:
        """pdfplumber gives None for a cell covered by a merged heading."""
        base = grid(["Vorwahl", "Rufnummer", "Durchwahl", "x"], ["0221", "4711", "10", "15"])
        header = (*base.rows[0][:3], None)
        table = Table((header, base.rows[1]), base.bbox)
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        found = table_numbers(
            page, table, intro="Folgende Rufnummern werden übergeben:", region="DE"
        )
        assert [(n.range.first, n.range.last) for n in found] == [("+49221471110", "+49221471115")]


class TestLabelledRows:
    def test_stem_and_range_in_one_row_are_one_block(self) -> None:
        words = [
            *row(318, ("Kopfnummer 0851 53106", 70), ("Durchwahlbereich 00 – 99", 260)),
            *row(334, ("Kopfnummer: 0851 77123", 70), ("DW-Bereich: 10 – 19", 260)),
        ]
        got = roles_of(page_of(words), "Folgende Rufnummern werden übergeben:")
        assert set(got) == {"+498515310600..+498515310699", "+498517712310..+498517712319"}
        assert not any(key in got for key in ("+4985153106", "+4985177123"))

    def test_ordinary_two_column_row_stays_text(self) -> None:
        page = page_of([*row(318, ("Telefon 0851 53106", 70), ("Telefax 0851 53107", 260))])
        assert page.tables == []

    def test_sentence_beside_a_labelled_line_stays_text(self) -> None:
        words = [
            *row(
                318,
                ("Rufnummer 089 4711815 an die Beta Net GmbH", 70),
                ("Durchwahl 089 412993-27", 380),
            ),
        ]
        assert page_of(words).tables == []


class TestSideBySide:
    def test_a_list_set_in_two_columns_is_two_tables(self) -> None:
        table = grid(
            ["Rufnummer", "Übergabe", "Rufnummer", "Übergabe"],
            ["030 1234567", "ja", "030 7654321", "nein"],
            ["030 2345678", "nein", "030 3456789", "ja"],
        )
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        found = table_numbers(page, table, intro=HANDOVER_INTRO, region="DE")
        assert {n.range.first: n.role for n in found} == {
            "+49301234567": Role.TRANSFER,
            "+49307654321": Role.EXCLUDED,
            "+49302345678": Role.EXCLUDED,
            "+49303456789": Role.TRANSFER,
        }


class TestWrappedRemarks:
    def test_remark_line_with_digits_stays_with_its_row(self) -> None:
        words = [
            *row(300, ("Rufnummer", 70), ("Hinweis", 260)),
            *row(318, ("030 1234567", 70), ("laut Kundenauftrag", 260)),
            *row(331, ("vom 01.02.2026 – verbleibt", 260)),
            *row(346, ("030 7654321", 70)),
        ]
        page = page_of(words)
        rows = [page.tables[0].row_text(r) for r in range(len(page.tables[0].rows))]
        assert rows[1] == "030 1234567 | laut Kundenauftrag vom 01.02.2026 – verbleibt"
        got = roles_of(page, "Folgende Rufnummern werden übergeben:")
        assert got["+49301234567"][0] is Role.EXCLUDED
        assert got["+49307654321"][0] is Role.TRANSFER


class TestHeadingStatements:
    @pytest.mark.parametrize(
        ("heading", "role"),
        [
            ("Zu übergebende Rufnummern", Role.TRANSFER),
            ("Verbleibende Rufnummern", Role.EXCLUDED),
            ("Rufnummer / Rufnummernblock", Role.UNCLEAR),
        ],
    )
    def test_number_heading_with_a_statement(self, heading: str, role: Role) -> None:
        table = grid([heading, "Art"], ["030 1234567", "Einzelrufnummer"])
        assert ruled_roles(table, "") == [role]

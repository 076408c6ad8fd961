"""Rules that close the second red team's false approvals (tests/redteam2): a footnote
mark typeset as a small raised digit, a narrow side column sharing text lines with the
letter, a letter set out in numbered sections, and reference words that must not spread
down the letter. Each page is built from words."""

from __future__ import annotations

import pytest

from parsers.findings import _gutters, find_numbers_on_pages
from parsers.layout import PageLayout, Word
from parsers.model import Role
from tests.fixtures.pagebuild import Sheet, text_width


def _roles(page: PageLayout) -> dict[str, set[Role]]:
    found, _ = find_numbers_on_pages([page])
    out: dict[str, set[Role]] = {}
    for n in found:
        key = n.range.first if n.range.is_single else f"{n.range.first}-{n.range.last}"
        out.setdefault(key, set()).add(n.role)
    return out


def _letter(sheet: Sheet, *lines: str) -> Sheet:
    sheet.line("Alpha Telekom GmbH", size=14)
    sheet.line("Hauptstraße 1 · 10115 Berlin", size=8)
    sheet.y = 240
    sheet.line("Sehr geehrte Damen und Herren,")
    sheet.gap(4)
    for text in lines:
        sheet.line(text) if text else sheet.gap()
    return sheet


def _closing(sheet: Sheet) -> None:
    sheet.gap()
    sheet.line("Mit freundlichen Grüßen")
    sheet.ink()
    sheet.line("Jana Keller")


# --- a footnote mark set as a small raised digit -------------------------------------


def _digit_mark(sheet: Sheet, x: float, row_top: float, text: str = "1") -> None:
    """A superscript digit as Typst's text layer gives it: 7 pt, starting 2.6 pt above
    the top of the line it marks, so it forms a row of its own between two lines."""
    sheet.words.append(Word(text, x, row_top - 2.6, x + text_width(text, 7), row_top + 4.4, 7))


def _footnote_letter(*, note_row_of_its_own: bool = True) -> PageLayout:
    sheet = _letter(Sheet(), "wir bestätigen die Übergabe der folgenden Rufnummern:")
    sheet.line("• 030 310597", lead=1.38)
    end = sheet.put("• 030 751434", sheet.left, sheet.y)
    _digit_mark(sheet, end, sheet.y)
    sheet.y += 13.8
    sheet.line("• 030 778074")
    _closing(sheet)
    # the note at the page foot: its mark 6 pt; with a row of its own when it stands
    # higher than the note's text, else read as the row's first word
    top = 751.7 if note_row_of_its_own else 753.0
    sheet.words.append(Word("1", sheet.left + 9, top, sheet.left + 12.8, top + 5.95, 5.95))
    sheet.put("Diese Rufnummer verbleibt bei uns.", sheet.left + 13, 753.9, 8.5)
    return sheet.layout()


@pytest.mark.parametrize("own_row", [True, False])
def test_a_raised_digit_mark_keeps_back_the_number_it_marks(own_row: bool) -> None:
    roles = _roles(_footnote_letter(note_row_of_its_own=own_row))
    assert roles["+4930751434"] == {Role.EXCLUDED}
    assert roles["+4930310597"] == {Role.TRANSFER}
    assert roles["+4930778074"] == {Role.TRANSFER}


def test_a_raised_digit_mark_never_continues_the_number_above() -> None:
    roles = _roles(_footnote_letter())
    assert "+49303105971" not in roles  # "030 310597" + the mark of the next row


# --- a narrow side column beside the letter -----------------------------------------

SIDEBAR = [
    "Zentrale",
    "0251 3787921",
    "Service",
    "0251 6913723",
    "Störung 24/7",
    "0176 04876711",
    "Hotline",
    "0180 366 09 94",
]
BODY = [
    "Sehr geehrte Damen und Herren,",
    "wir übergeben Ihnen hiermit die Rufnummern 0251 8770004 und",
    "0251 8056895 der Tierarztpraxis Dr. Hülsmann. Die Nummer",
    "0251 7923896 wird von der Praxis weiterhin über uns betrieben",
    "und ist nicht Teil der Übergabe, wie mit Ihnen besprochen.",
]


def _sidebar_page() -> PageLayout:
    sheet = Sheet()
    sheet.line("Münsterland Voice GmbH", size=14)
    sheet.line("Prinzipalmarkt 8 · 48143 Münster", size=8)
    top = 200.0
    for i, text in enumerate(SIDEBAR):  # 8 pt on an 11 pt pitch
        sheet.put(text, 50, top + i * 11.05, 8)
    for i, text in enumerate(BODY):  # 10 pt on a 13.8 pt pitch, left edge at 180
        sheet.put(text, 180, top + 3 + i * 13.8, 10)
    sheet.y = 300
    sheet.left = 180
    _closing(sheet)
    return sheet.layout()


def test_a_side_column_on_baselines_of_its_own_is_read_apart_from_the_letter() -> None:
    page = _sidebar_page()
    assert [g[0] for g in _gutters(page)] == [179]  # the body's left edge
    roles = _roles(page)
    assert Role.TRANSFER not in roles["+4917604876711"]
    assert Role.TRANSFER not in roles["+491803660994"]
    assert roles["+492518770004"] == {Role.TRANSFER}
    assert roles["+492518056895"] == {Role.TRANSFER}
    assert roles["+492517923896"] == {Role.EXCLUDED}


def test_labels_beside_values_keep_their_keep_back() -> None:
    sheet = _letter(Sheet())
    for label, value in (
        ("Übergabe:", "Die Rufnummer 030 310597 geht an Sie über"),
        ("Ausgenommen:", "Die Rufnummer 030 751434 behalten wir"),
        ("Grund:", "Sie ist an die Alarmanlage des Hauses geschaltet"),
        ("Termin:", "Die Übergabe erfolgt zum Monatsende wie besprochen"),
    ):
        sheet.put(label, 70, sheet.y)
        sheet.put(value, 160, sheet.y)
        sheet.y += 14
    _closing(sheet)
    roles = _roles(sheet.layout())
    assert roles["+4930751434"] == {Role.EXCLUDED}
    assert roles["+4930310597"] == {Role.TRANSFER}


# --- a letter set out in numbered sections ------------------------------------------


def _clauses(*lines: str) -> PageLayout:
    sheet = Sheet()
    sheet.line("Alpha Telekom GmbH", size=14)
    sheet.line("Hauptstraße 1 · 10115 Berlin", size=8)
    sheet.y = 240
    for text in lines:
        sheet.line(text) if text else sheet.gap()
    _closing(sheet)
    return sheet.layout()


def test_a_keep_back_section_heading_keeps_back_its_numbers() -> None:
    roles = _roles(
        _clauses(
            "1. Gegenstand. Diese Erklärung betrifft Rufnummern des Endkunden.",
            "",
            "2. Übergebene Rufnummern. 2.1 Die Einzelrufnummer 030 310597.",
            "",
            "3. Nicht übergebene Rufnummern. 3.1 Die Rufnummer 030 751434. 3.2 Der",
            "Rufnummernblock 030 77807-0 bis -9 mit allen Durchwahlen des Hauses.",
            "",
            "4. Sonstiges. Gerichtsstand ist Berlin.",
        )
    )
    assert roles["+4930778070-+4930778079"] == {Role.EXCLUDED}
    assert roles["+4930751434"] == {Role.EXCLUDED}
    assert roles["+4930310597"] == {Role.TRANSFER}


def test_a_statement_about_section_n_speaks_of_its_numbers() -> None:
    roles = _roles(
        _clauses(
            "1. Gegenstand. Wir übergeben Ihnen die folgenden Rufnummern:",
            "",
            "2. Rufnummern. 2.1 Die Rufnummer 030 310597.",
            "",
            "3. Weitere Rufnummern. 3.1 Die Rufnummer 030 751434.",
            "",
            "4. Schluss. Die in Ziffer 3 genannten Rufnummern verbleiben bei uns.",
        )
    )
    assert roles["+4930751434"] == {Role.EXCLUDED}


def test_a_lone_numbered_row_opens_no_section() -> None:
    roles = _roles(
        _clauses(
            "Wir übergeben Ihnen die Rufnummer 030 310597 zum",
            "1. Nicht vergessen: der Termin ist fix, so wie besprochen.",
        )
    )
    assert roles["+4930310597"] == {Role.TRANSFER}


def test_reference_words_in_a_sentence_do_not_spread_down_the_letter() -> None:
    # no salutation: a customer number inside the opening sentence is read as a
    # reference row; the row under it may be its value, the clauses below are not
    roles = _roles(
        _clauses(
            "1. Gegenstand. Die Alpha Telekom GmbH erklärt hiermit die Abgabe von",
            "Rufnummern des Endkunden Muster GmbH, Kundennummer 700 412",
            "(im Folgenden Endkunde).",
            "2. Übergebene Rufnummern. 2.1 Die Einzelrufnummer 030 310597.",
            "3. Sonstiges. Gerichtsstand ist Berlin.",
        )
    )
    assert roles["+4930310597"] == {Role.TRANSFER}


# --- a list announced before the paragraph's last sentence --------------------------


def _announced(*paragraph: str) -> dict[str, set[Role]]:
    sheet = _letter(Sheet(), *paragraph, "")
    sheet.line("1. 030 310597")
    sheet.line("2. 030 751434")
    _closing(sheet)
    return _roles(sheet.layout())


def test_a_list_announced_before_the_last_sentence_keeps_its_intro() -> None:
    roles = _announced(
        "wir bestätigen die Übergabe der folgenden Rufnummern an Sie. Die Rufnummern",
        "gehören zu den Gemeinschaftseinrichtungen der Wohnanlagen.",
    )
    assert roles["+4930310597"] == roles["+4930751434"] == {Role.TRANSFER}


def test_a_later_sentence_of_the_announcing_paragraph_still_keeps_back() -> None:
    roles = _announced(
        "wir bestätigen die Übergabe der folgenden Rufnummern an Sie. Die Rufnummern",
        "verbleiben jedoch bis zum Vertragsende bei uns.",
    )
    assert Role.TRANSFER not in roles["+4930310597"] | roles["+4930751434"]

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.scheduling.replies import ReplyKind, own_text, parse_reply

SLOTS = [datetime(2026, 12, 1, 8), datetime(2026, 12, 2, 10), datetime(2026, 12, 3, 10, 30)]


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("Termin 2 passt", (2,)),
        ("Vorschlag 1 oder 3", (1, 3)),
        ("2", (2,)),
        ("1 und 3", (1, 3)),
        ("Termin 2 passt uns.", (2,)),
        ("Wir nehmen Vorschlag 3.", (3,)),
        ("Der zweite Termin ist ok", (2,)),
        ("Nr. 1, 2", (1, 2)),
        ("am 03.12. um 10:30 Uhr geht es", (3,)),
        ("Am 2.12. passt es uns", (2,)),
        ("01.12.2026, 8 Uhr bestätigt", (1,)),
    ],
)
def test_accepts(text: str, choices: tuple[int, ...]) -> None:
    """Numbered choices, several choices and written-out dates pick slots."""
    result = parse_reply(text, slots=SLOTS)
    assert result.kind is ReplyKind.ACCEPT
    assert result.choices == choices


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("keiner passt", ReplyKind.REFUSE),
        ("Leider nicht.", ReplyKind.REFUSE),
        ("Keiner der Termine passt uns.", ReplyKind.REFUSE),
        ("bitte anderen Termin", ReplyKind.OTHER_DATE),
        ("Keiner passt, bitte neue Vorschläge", ReplyKind.OTHER_DATE),
        ("Wir möchten den Umzug absagen.", ReplyKind.CANCEL),
        ("Bitte stornieren", ReplyKind.CANCEL),
    ],
)
def test_refusals_and_cancellations(text: str, kind: ReplyKind) -> None:
    assert parse_reply(text, slots=SLOTS).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Wir melden uns.",
        "Termin 7 passt",  # there is no slot 7
        "am 04.12. um 10 Uhr",  # no slot on that date
        "Termin 2 passt leider nicht, aber 3",  # a choice and a refusal together
        "Ich rufe Sie morgen um 9 Uhr an, 030 1234567",
    ],
)
def test_unclear_goes_to_agent(text: str) -> None:
    result = parse_reply(text, slots=SLOTS)
    assert result.kind is ReplyKind.UNCLEAR
    assert result.needs_agent


def test_two_slots_same_day_need_a_time() -> None:
    """A date alone is ambiguous when two slots share the day."""
    slots = [datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 13)]
    assert parse_reply("am 01.12. passt", slots=slots).kind is ReplyKind.UNCLEAR
    assert parse_reply("am 01.12. um 13 Uhr passt", slots=slots).choices == (2,)


class TestNoise:
    MAIL = (
        "Hallo zusammen,\n\nTermin 2 passt uns gut.\n\n"
        "Mit freundlichen Grüßen\nMax Muster\nTel. 030 1234567\nHRB 12345\n\n"
        "Am 20.11.2026 um 10:00 schrieb Support <support@example.com>:\n"
        "> 1. Dienstag, 01.12.2026, 08:00 Uhr\n> 3. Donnerstag ... keiner passt?\n"
    )

    def test_signature_and_quote_ignored(self) -> None:
        """Phone numbers in the signature and the quoted proposal do not count."""
        result = parse_reply(self.MAIL, slots=SLOTS)
        assert result.kind is ReplyKind.ACCEPT and result.choices == (2,)

    def test_outlook_quote(self) -> None:
        body = "1 oder 3\n\n-----Original Message-----\nVon: Support\nBitte absagen 2"
        assert own_text(body) == "1 oder 3"
        assert parse_reply(body, slots=SLOTS).choices == (1, 3)

    def test_von_header_and_dash_signature(self) -> None:
        body = "Vorschlag 3 bitte\n-- \nFirma GmbH, Tel 1 2 3\nVon: x@y.de\n"
        assert parse_reply(body, slots=SLOTS).choices == (3,)

    def test_only_quoted_text_is_unclear(self) -> None:
        assert parse_reply("> Termin 2 passt", slots=SLOTS).kind is ReplyKind.UNCLEAR

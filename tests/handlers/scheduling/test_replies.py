"""The reply reader, table-driven: German and English replies with the outcome each must give.

The proposals are: 1 = Tuesday 01.12.2026 08:00, 2 = Wednesday 02.12.2026 10:00,
3 = Thursday 03.12.2026 10:30. An expectation is "accept 2,3 / refuse 1", "refuse 2",
"none", "reschedule", "cancel", "question" or "unclear".
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.scheduling.replies import ReplyKind, ReplyResult, own_text, parse_reply

SLOTS = [datetime(2026, 12, 1, 8), datetime(2026, 12, 2, 10), datetime(2026, 12, 3, 10, 30)]

GERMAN = [
    # every German reply quoted in issue 10
    ("Termin 2 oder 3 passt uns.", "accept 2,3"),
    ("Vorschlag 3 bitte, 2 geht bei uns nicht.", "accept 3 / refuse 2"),
    ("Termin 2 ist für uns nicht ok", "refuse 2"),
    ("Termin 3 ist uns nicht recht", "refuse 3"),
    ("Termin 2 wäre nicht gut", "refuse 2"),
    ("Termin 1 ist bei uns leider belegt, 2 passt", "accept 2 / refuse 1"),
    ("Termin 1 passt, unser Techniker ist 2 Stunden vor Ort.", "accept 1"),
    ("Termin 2 passt uns, wir haben 3 Standorte.", "accept 2"),
    ("Wir möchten den Termin nicht absagen, sondern nur verschieben.", "reschedule"),
    ("keiner der Termine", "none"),
    ("Leider passt keiner der Termine.", "none"),
    ("Termin zwei passt", "accept 2"),
    ("Am Dienstag geht es nicht, Mittwoch ja", "accept 2 / refuse 1"),
    ("Wir sagen den Umzug ab.", "cancel"),
    # plain choices
    ("Termin 2 passt", "accept 2"),
    ("2", "accept 2"),
    ("Termin 2", "accept 2"),
    ("1 und 3", "accept 1,3"),
    ("Vorschlag 1 oder 3", "accept 1,3"),
    ("Nr. 1, 2", "accept 1,2"),
    ("Wir nehmen Vorschlag 3.", "accept 3"),
    ("Der zweite Termin ist ok", "accept 2"),
    ("Den ersten Termin nehmen wir gerne.", "accept 1"),
    ("Der letzte Vorschlag passt am besten.", "accept 3"),
    ("Termin 1, 2 oder 3 passt uns, wie es Ihnen lieber ist.", "accept 1,2,3"),
    ("Alle drei Termine passen uns.", "accept 1,2,3"),
    ("Uns ist jeder Termin recht.", "accept 1,2,3"),
    ("Hallo, Termin 3 ist bestätigt. Danke!", "accept 3"),
    ("Guten Tag,\n\nwir können Termin 1 wahrnehmen.\n\nViele Grüße\nMax Muster", "accept 1"),
    ("Option 2 klappt bei uns.", "accept 2"),
    ("Variante 3 wäre perfekt.", "accept 3"),
    ("Termin 2 ist kein Problem.", "accept 2"),
    ("Gegen Termin 3 spricht nichts.", "accept 3"),
    ("Bitte Termin 1 buchen.", "accept 1"),
    ("Am liebsten Termin 2, Termin 3 wäre auch möglich.", "accept 2,3"),
    ("Termin 2 passt, 3 auch.", "accept 2,3"),
    ("Termin 2 passt, 3 nicht.", "accept 2 / refuse 3"),
    ("Nicht Termin 1, sondern Termin 2.", "accept 2 / refuse 1"),
    ("Termin 1 geht nicht, aber Termin 3.", "accept 3 / refuse 1"),
    ("Termin 2 passt leider nicht, aber 3", "accept 3 / refuse 2"),
    ("Termin 3 passt uns. Die anderen gehen leider nicht.", "accept 3 / refuse 1,2"),
    ("Termin 1 geht nicht, die anderen passen.", "accept 2,3 / refuse 1"),
    ("Leider nur Termin 3.", "accept 3"),
    ("Bei uns klappt nur der dritte Vorschlag.", "accept 3"),
    ("Termin 1 und 2 gehen nicht.", "refuse 1,2"),
    ("Weder 1 noch 2 passt uns.", "refuse 1,2"),
    ("Termin 1 scheidet aus.", "refuse 1"),
    ("Vorschlag 2 ist bei uns ausgebucht.", "refuse 2"),
    ("Am Dienstag sind wir verhindert.", "refuse 1"),
    ("Termin 3 ist ungünstig.", "refuse 3"),
    ("Termin 1, 2 und 3 gehen alle nicht.", "none"),
    ("Keiner passt.", "none"),
    ("Leider nicht.", "none"),
    ("Das passt uns leider gar nicht.", "none"),
    ("Keiner der drei Vorschläge passt, bitte neue Vorschläge.", "reschedule"),
    ("Bitte schicken Sie uns andere Termine.", "reschedule"),
    ("Können wir den Umzug auf Januar verschieben?", "reschedule"),
    ("Wir bräuchten einen späteren Termin.", "reschedule"),
    ("Gibt es auch Termine in der nächsten Woche? Termin 2 geht nicht.", "question"),
    ("Bitte stornieren Sie den Auftrag.", "cancel"),
    ("Wir möchten den Umzug absagen.", "cancel"),
    ("Der Umzug wird von uns zurückgezogen.", "cancel"),
    ("Der Umzug ist nicht mehr gewünscht.", "cancel"),
    ("Bitte stornieren", "cancel"),
    ("Können wir den Umzug noch absagen?", "question"),
    ("Wie lange sind die Rufnummern nicht erreichbar?", "question"),
    ("Termin 2 passt. Brauchen Sie noch etwas von uns?", "question"),
    # dates, weekdays, times
    ("am 03.12. um 10:30 Uhr geht es", "accept 3"),
    ("Am 2.12. passt es uns", "accept 2"),
    ("01.12.2026, 8 Uhr bestätigt", "accept 1"),
    ("Donnerstag passt.", "accept 3"),
    ("Dienstag, den 01.12. um 8 Uhr ist gut.", "accept 1"),
    ("Am 3. Dezember können wir.", "accept 3"),
    ("Mittwoch um 10 Uhr nehmen wir.", "accept 2"),
    ("Um 10:30 Uhr passt es.", "accept 3"),
    ("Termin 1 passt, der Techniker kommt um 7 Uhr.", "accept 1"),
    ("Am Freitag geht es bei uns.", "unclear"),
    ("am 04.12. um 10 Uhr", "unclear"),
    ("Dienstag geht nicht, Donnerstag passt, Mittwoch auch.", "accept 2,3 / refuse 1"),
    # counts and labels are not slot numbers
    ("Termin 3 passt, wir brauchen etwa 2 Stunden.", "accept 3"),
    ("Termin 1 ist gut, es sind 3 Mitarbeiter vor Ort.", "accept 1"),
    ("Vorschlag 2 passt, betroffen sind 10 Rufnummern.", "accept 2"),
    ("Termin 3 geht, Standort 2 ist an dem Tag geschlossen.", "accept 3"),
    ("Termin 2 passt, wir melden uns 2 Tage vorher.", "accept 2"),
    # lists, exceptions, contrasts inside a clause
    ("Termin 1: ja\nTermin 2: nein\nTermin 3: ja", "accept 1,3 / refuse 2"),
    ("Der 2.12. passt uns nicht, der 3.12. schon.", "accept 3 / refuse 2"),
    ("Alle Termine gehen, außer Termin 2.", "accept 1,3 / refuse 2"),
    ("Alle bis auf Termin 1 passen.", "accept 2,3 / refuse 1"),
    ("Alle außer 1 und 2 passen.", "accept 3 / refuse 1,2"),
    ("Beide anderen Termine passen nicht, nur Termin 1", "accept 1 / refuse 2,3"),
    (
        "Termin 1 passt uns leider nicht, da unser Techniker im Urlaub ist. Termin 3 wäre gut.",
        "accept 3 / refuse 1",
    ),
    ("Wir sind am 1.12. nicht da, 2 oder 3 geht", "accept 2,3 / refuse 1"),
    ("Korrektur: Termin 2 geht doch nicht.", "refuse 2"),
    # doubtful: an agent reads it
    ("", "unclear"),
    ("Termin 2 ist gebucht.", "unclear"),
    ("Wir melden uns.", "unclear"),
    ("Termin 7 passt", "unclear"),
    ("Passt!", "unclear"),
    ("Termin 2 passt und geht nicht.", "unclear"),
    ("Termin 2 passt, aber wir wollen lieber einen anderen Termin.", "unclear"),
    ("Ich rufe Sie morgen um 9 Uhr an, 030 1234567", "unclear"),
    ("Termin 2 passt. Leider geht es bei uns nicht.", "unclear"),
    ("Danke für die Info.", "unclear"),
    ("Termin 1 passt, den Umzug sagen wir aber ab.", "unclear"),
]

ENGLISH = [
    # every English reply quoted in issue 10
    ("Slot 2 is not ok for us", "refuse 2"),
    ("Slot 2 works for us", "accept 2"),
    ("None of these slots work for us", "none"),
    # more
    ("Option 1 or 3 is fine.", "accept 1,3"),
    ("We'll take slot 3.", "accept 3"),
    ("The first one works for us.", "accept 1"),
    ("Slot 2 works, 3 doesn't.", "accept 2 / refuse 3"),
    ("Tuesday doesn't work, Wednesday is fine.", "accept 2 / refuse 1"),
    ("We can't do slot 1, but slot 2 is good.", "accept 2 / refuse 1"),
    ("Slot 3 please.", "accept 3"),
    ("Any of them is fine.", "accept 1,2,3"),
    ("Unfortunately none of the proposed dates suit us.", "none"),
    ("Neither works.", "none"),
    ("Slot 1 and 2 are not possible for us.", "refuse 1,2"),
    ("Could you send us other dates?", "reschedule"),
    ("We need to postpone the move.", "reschedule"),
    ("Please cancel the move.", "cancel"),
    ("We want to withdraw the order.", "cancel"),
    ("We don't want to cancel, just move the date.", "reschedule"),
    ("Slot 2 is fine, our technician needs 2 hours.", "accept 2"),
    ("December 3 at 10:30 works.", "accept 3"),
    ("Slot 2 is no problem.", "accept 2"),
    ("How long will the numbers be offline?", "question"),
    ("Thanks.", "unclear"),
    ("Slot 5 works", "unclear"),
    ("All slots work except slot 3.", "accept 1,2 / refuse 3"),
    ("Neither slot 1 nor slot 2 work, slot 3 is ok.", "accept 3 / refuse 1,2"),
    ("Option 2 does not work for us, but options 1 and 3 do.", "accept 1,3 / refuse 2"),
]


def _expected(spec: str) -> ReplyResult:
    word = spec.partition(" ")[0]
    if word == "accept" or word == "refuse":
        accepted: tuple[int, ...] = ()
        refused: tuple[int, ...] = ()
        for part in (p.strip() for p in spec.split("/")):
            kind, numbers = part.split(" ")
            values = tuple(int(n) for n in numbers.split(","))
            if kind == "accept":
                accepted = values
            else:
                refused = values
        kind_ = ReplyKind.ACCEPT if accepted else ReplyKind.REFUSE
        return ReplyResult(kind_, accepted, refused)
    kind_ = {
        "none": ReplyKind.NONE_FIT,
        "reschedule": ReplyKind.RESCHEDULE,
        "cancel": ReplyKind.CANCEL,
        "question": ReplyKind.QUESTION,
        "unclear": ReplyKind.UNCLEAR,
    }[word]
    return ReplyResult(kind_)


def test_the_tables_are_large_enough() -> None:
    assert len(GERMAN) >= 80 and len(ENGLISH) >= 20
    assert len({t for t, _ in GERMAN + ENGLISH}) == len(GERMAN) + len(ENGLISH)


@pytest.mark.parametrize(("text", "spec"), GERMAN + ENGLISH)
def test_reply(text: str, spec: str) -> None:
    result = parse_reply(text, slots=SLOTS)
    expected = _expected(spec)
    assert result.kind is expected.kind, (result.kind, result.reason)
    if expected.kind in (ReplyKind.ACCEPT, ReplyKind.REFUSE):
        assert (result.accepted, result.refused) == (expected.accepted, expected.refused)
    if expected.kind is ReplyKind.NONE_FIT:
        assert result.accepted == ()
    if result.needs_agent:
        assert result.reason


def test_two_slots_the_same_day_need_a_time() -> None:
    slots = [datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 13)]
    assert parse_reply("am 01.12. passt", slots=slots).kind is ReplyKind.UNCLEAR
    assert parse_reply("am 01.12. um 13 Uhr passt", slots=slots).accepted == (2,)
    # a refusal of a day refuses both of its slots
    assert parse_reply("am 01.12. geht es nicht", slots=slots).kind is ReplyKind.NONE_FIT


class TestQuotesAndSignatures:
    MAIL = (
        "Termin 2 passt uns.\n\nMit freundlichen Grüßen\nErika Beispiel\nTel. 030 1234567\n\n"
        "Am 20.11.2026 um 10:00 schrieb Support <support@example.com>:\n"
        "> 1. Di 01.12.2026 08:00\n> 2. Mi 02.12.2026 10:00\n> 3. Do 03.12.2026 10:30\n"
    )

    def test_only_the_new_text_counts(self) -> None:
        result = parse_reply(self.MAIL, slots=SLOTS)
        assert result.kind is ReplyKind.ACCEPT and result.accepted == (2,)

    def test_outlook_and_english_quotes(self) -> None:
        body = "1 oder 3\n\n-----Original Message-----\nFrom: support\nTermin 2 passt"
        assert own_text(body) == "1 oder 3"
        body = "Slot 3 works.\n\nBest regards,\nJohn\n\nOn Tue, Dec 1, 2026 Support wrote:\n> Slot 1 ..."
        assert parse_reply(body, slots=SLOTS).accepted == (3,)

    def test_our_proposal_quoted_without_marks_is_cut(self) -> None:
        """Some mail programs quote without ">" or a header: our proposal's lines end the reply."""
        body = (
            "Termin 3 passt uns.\n\nGuten Tag,\n\nfür den Umzug der folgenden Rufnummern ...\n\n"
            "Rufnummern:\n- 030 123456-00 bis -19\n\nTerminvorschläge:\n1. Dienstag ...\n"
            "Oder antworten Sie einfach auf diese Nachricht, z. B. „Termin 2 passt“ oder "
            "„Vorschlag 1 oder 3“. Passt keiner, schreiben Sie „keiner passt“."
        )
        result = parse_reply(body, slots=SLOTS)
        assert result.kind is ReplyKind.ACCEPT and result.accepted == (3,)

    def test_a_quoted_answer_alone_is_no_answer(self) -> None:
        assert parse_reply("> Termin 2 passt", slots=SLOTS).kind is ReplyKind.UNCLEAR

    def test_a_weekday_after_am_is_no_quote_header(self) -> None:
        body = "Am Montag hat unser Team keine Zeit, Termin 3 passt."
        assert own_text(body) == body


_POSITIVE_CLAUSES = ("Termin {n} passt", "Vorschlag {n} geht bei uns", "Slot {n} works for us")
_NEGATIVE_CLAUSES = (
    "Termin {n} geht nicht",
    "Vorschlag {n} ist bei uns leider belegt",
    "Termin {n} ist uns nicht recht",
    "Slot {n} does not work",
)
_NOISE = (
    "unser Techniker ist {k} Stunden vor Ort",
    "wir haben {k} Standorte",
    "es sind {k} Rufnummern",
    "we need {k} hours",
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2, 3]), st.booleans(), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([", ", ". ", "; ", "\n"]),
    st.integers(1, 9),
)
def test_a_refused_slot_is_never_accepted(
    parts: list[tuple[int, bool, int]], joiner: str, count: int
) -> None:
    """Whatever the order and the counting numbers around, a refused slot is never accepted."""
    clauses: list[str] = []
    refused: set[int] = set()
    for slot, positive, variant in parts:
        if positive:
            clauses.append(_POSITIVE_CLAUSES[variant % 3].format(n=slot))
        else:
            clauses.append(_NEGATIVE_CLAUSES[variant].format(n=slot))
            refused.add(slot)
        clauses.append(_NOISE[variant].format(k=count))
    result = parse_reply(joiner.join(clauses), slots=SLOTS)
    if result.needs_agent:
        return  # an agent reads it; nothing is recorded
    assert not set(result.accepted) & refused
    assert set(result.accepted) <= {s for s, p, _ in parts if p}
    assert refused <= set(result.refused)


# -- rules found on the reply corpus (tests/fixtures/replies), one test each ----------------


def _read(text: str, slots: list[datetime] = SLOTS) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    result = parse_reply(text, slots=slots)
    return result.kind.value, result.accepted, result.refused


def test_german_without_umlauts_reads_like_with_them() -> None:
    """ "moeglich", "waere", "Gruesse": a keyboard without umlauts changes nothing."""
    assert _read("Termin 1 moeglich, Termin 2 nicht moeglich") == ("accept", (1,), (2,))
    assert _read("Vorschlag 2 waere gut") == ("accept", (2,), ())
    assert own_text("Termin 1 passt\n\nMit freundlichen Gruessen\nJ. Mueller\nTel 0171 1") == (
        "Termin 1 passt"
    )


def test_an_acceptance_on_the_writers_condition_goes_to_an_agent() -> None:
    for text in (
        "Termin 3 passt, falls der Kunde zustimmt.",
        "Termin 2 klingt gut, ich bestätige nach Rücksprache final.",
        "Termin 2 geht nur, wenn es bis 10:30 erledigt ist.",
        "Der Termin am Mittwoch passt, aber bitte erst ab 10:30.",
        "Slot 2 would work if the customer confirms.",
        "Tentatively slot 3.",
        "Termin 1 unter Vorbehalt, vielleicht auch 2.",
    ):
        result = parse_reply(text, slots=SLOTS)
        assert result.kind is ReplyKind.UNCLEAR, text


def test_conditions_on_our_side_and_offers_of_help_are_no_condition() -> None:
    assert _read("Wir hätten gerne Termin 2, falls das noch geht.") == ("accept", (2,), ())
    assert _read("Termin 2 wenn möglich.") == ("accept", (2,), ())
    assert _read("Termin 3 passt. Wenn Sie Fragen haben, melden Sie sich.") == ("accept", (3,), ())
    assert _read("Slot 1 works. If you have any questions let me know.") == ("accept", (1,), ())


def test_ticks_and_thumbs_answer_and_unknown_pictographs_are_doubt() -> None:
    assert _read("Termin 1 ✅ Termin 2 ❌ Termin 3 ❌") == ("accept", (1,), (2, 3))
    assert _read("Termin 3 👎") == ("refuse", (), (3,))
    assert _read("2 😊") == ("accept", (2,), ())
    # a sign the reader does not know never leaves a bare choice behind
    assert parse_reply("Termin 3 🤔", slots=SLOTS).kind is ReplyKind.UNCLEAR


def test_one_among_other_words_is_a_pronoun() -> None:
    assert _read("The second one is fine.") == ("accept", (2,), ())
    assert _read("Option one please.") == ("accept", (1,), ())


def test_a_question_sentence_without_a_slot_answers_nothing() -> None:
    text = "Termin 2 passt. Wie lange sind die Nummern nicht erreichbar?"
    result = parse_reply(text, slots=SLOTS)
    assert result.kind is ReplyKind.QUESTION and result.reason == "question"


def test_a_negated_cancellation_answers_no_slot() -> None:
    assert _read("Bitte nicht stornieren! Termin 2 passt.") == ("accept", (2,), ())


def test_a_leading_no_is_an_interjection() -> None:
    assert _read("Nein, Termin 1 ist kein Problem.") == ("accept", (1,), ())
    assert _read("No, slot 1 is no problem.") == ("accept", (1,), ())
    for text in ("Nein danke", "Nein", "No thanks."):
        assert parse_reply(text, slots=SLOTS).kind is ReplyKind.UNCLEAR, text
    # after a slot it still answers it
    assert _read("Termin 1: ja\nTermin 2: nein") == ("accept", (1,), (2,))


def test_a_correction_is_no_list() -> None:
    """ "ich meinte Termin 3, nicht 2": 3 must not take the refusal of 2."""
    result = parse_reply("Sorry, vertippt – ich meinte Termin 3, nicht 2.", slots=SLOTS)
    assert 3 not in result.refused
    assert result.kind is ReplyKind.UNCLEAR


def test_slot_numbers_written_without_a_space() -> None:
    assert _read("Nr.2 passt") == ("accept", (2,), ())
    assert _read("passt Termin2") == ("accept", (2,), ())
    assert _read("1+3 geht") == ("accept", (1, 3), ())


def test_more_accepting_words() -> None:
    assert _read("Zusage für Vorschlag 2") == ("accept", (2,), ())
    assert _read("2nd slot pls") == ("accept", (2,), ())
    assert _read("Um 10 Uhr am Mittwoch geht's") == ("accept", (2,), ())


def test_a_phone_number_without_a_label_is_no_slot_number() -> None:
    body = "Termin 1 passt\n\nKarl Weber\nTel. 030 555 1234 2\nMobil +49 171 2345678"
    assert _read(body) == ("accept", (1,), ())


def test_the_date_of_our_mail_is_no_slot() -> None:
    assert _read("Zu Ihrem Vorschlag vom 25.11.: Termin 1 passt.") == ("accept", (1,), ())
    # a date standing for itself still counts
    assert parse_reply("Vom 25.11. an passt Termin 1.", slots=SLOTS).kind is ReplyKind.UNCLEAR


def test_earlier_and_later_of_two_and_the_earliest() -> None:
    two = SLOTS[:2]
    assert _read("Der frühere Termin ist uns lieber.", two) == ("accept", (1,), ())
    assert _read("The later one works.", two) == ("accept", (2,), ())
    assert _read("Nehmen Sie einfach den frühesten.") == ("accept", (1,), ())
    # of three, "der frühere" names none; a new earlier date is still a wish to move
    assert parse_reply("Der frühere Termin ist uns lieber.", slots=SLOTS).kind is ReplyKind.UNCLEAR
    assert parse_reply("Wir bräuchten einen früheren Termin.", slots=SLOTS).kind is (
        ReplyKind.RESCHEDULE
    )


def test_an_alternative_slot_is_no_wish_for_other_dates() -> None:
    assert _read("Termin 2 wenn möglich, alternativ Termin 3") == ("accept", (2, 3), ())
    assert parse_reply("Bitte alternative Termine.", slots=SLOTS).kind is ReplyKind.RESCHEDULE


def test_moving_and_asking_for_dates_is_a_reschedule() -> None:
    for text in (
        "Können wir auf nächste Woche schieben?",
        "None of these work for us, could you suggest dates next week?",
    ):
        assert parse_reply(text, slots=SLOTS).kind is ReplyKind.RESCHEDULE, text
    # the week of a proposal is no wish to move
    assert _read("Mittwoch nächste Woche passt.") == ("accept", (2,), ())


def test_an_out_of_office_reply_is_no_answer() -> None:
    for text in (
        "Ich bin bis einschließlich 03.12.2026 nicht im Büro. In dringenden Fällen bitte an "
        "noc@example.com.",
        "Automatische Antwort: Ich bin ab Mittwoch, 02.12., wieder erreichbar.",
        "I am out of the office until December 2 with limited access to email.",
        "I'm currently away and will be back on Thursday.",
    ):
        result = parse_reply(text, slots=SLOTS)
        assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "auto_reply"), text


def test_only_a_bare_list_item_takes_its_neighbours_answer() -> None:
    """A clause with a statement of its own ("ist bei uns Feiertag") never inherits "passt"."""
    for text in (
        "Der Dienstag ist bei uns Feiertag (Brückentag), Mittwoch passt.",
        "Wednesday is a public holiday here, so Tuesday please.",
    ):
        result = parse_reply(text, slots=SLOTS)
        assert result.kind is ReplyKind.UNCLEAR, text
    # list items still do
    assert _read("Termin 1, 2 oder 3 passt") == ("accept", (1, 2, 3), ())
    assert _read("Zu 1: passt nicht. Zu 2: passt.") == ("accept", (2,), (1,))


def test_a_leading_negation_ends_the_list() -> None:
    """ "Dienstag oder Donnerstag, Hauptsache nicht Mittwoch": no refusal of all three."""
    result = parse_reply("Dienstag oder Donnerstag, Hauptsache nicht Mittwoch.", slots=SLOTS)
    assert not {1, 3} & set(result.refused)
    # a negation after the reference still closes a list
    assert _read("Termin 1, 2 und 3 gehen alle nicht.")[0] == "none_fit"


def test_our_proposals_opening_lines_end_the_reply() -> None:
    """A mail program that quotes our proposal without marks: its first lines are cut too."""
    for opening in (
        "für den Umzug der folgenden Rufnummern innerhalb unserer Plattform vereinbaren wir "
        "einen Termin mit Ihnen.",
        "vielen Dank für Ihre Rückmeldung. Wir schlagen Ihnen neue Termine vor.",
        "der gewählte Termin ist leider inzwischen vergeben. Wir schlagen Ihnen deshalb neue "
        "Termine vor.",
    ):
        body = f"Termin 2.\n\nGuten Tag,\n\n{opening}\n\nRufnummern:\n- 030 12345678\n"
        assert _read(body) == ("accept", (2,), ()), opening


def test_a_contrast_turns_round_the_last_answered_slot() -> None:
    assert _read("Wir stornieren Termin 2 und nehmen stattdessen Termin 3.") == (
        "accept",
        (3,),
        (2,),
    )


def test_a_cancellation_with_a_doubt_goes_to_an_agent() -> None:
    result = parse_reply("Wir hatten Termin 3 reserviert, bitte das stornieren.", slots=SLOTS)
    assert result.kind is ReplyKind.UNCLEAR


def test_a_reservation_after_an_acceptance_goes_to_an_agent() -> None:
    for text in (
        "Eigentlich passt Termin 2, aber unser Techniker ist krank.",
        "Termin 2 passt, aber unser Techniker ist krank.",
        "Termin 1 wäre grundsätzlich möglich, wir müssen aber noch die Freigabe einholen.",
    ):
        assert parse_reply(text, slots=SLOTS).kind is ReplyKind.UNCLEAR, text
    assert _read("Termin 2 passt, aber bitte vorher anrufen.") == ("accept", (2,), ())


def test_a_change_of_the_numbers_goes_to_an_agent() -> None:
    text = "Bitte die Rufnummer 030 12345679 aus dem Umzug herausnehmen, Termin 2 passt."
    result = parse_reply(text, slots=SLOTS)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "numbers_changed")
    assert _read("Nummer 2 passt, Nummer 3 streichen.")[0] != "unclear"


def test_free_and_happy_accept() -> None:
    assert _read("Termin 2, falls noch frei") == ("accept", (2,), ())
    assert _read("Happy with any of the proposed slots.") == ("accept", (1, 2, 3), ())


def test_what_would_have_suited_is_no_acceptance() -> None:
    for text in (
        "Termin 2 wäre super gewesen.",
        "Termin 1 hätte gepasst.",
        "Slot 2 would have worked.",
    ):
        result = parse_reply(text, slots=SLOTS)
        assert not result.accepted or result.needs_agent, text
        assert result.kind is not ReplyKind.ACCEPT, text


def test_the_slot_after_statt_or_a_comparisons_als_is_not_wanted() -> None:
    assert _read("Lieber Termin 2 als Termin 1") == ("accept", (2,), (1,))
    assert _read("We'd rather take slot 3 than slot 1.") == ("accept", (3,), (1,))
    assert 1 not in parse_reply("Termin 2 statt Termin 1", slots=SLOTS).accepted


def test_text_smileys() -> None:
    assert _read("Hallo, ich nehme die Nr. 3 :-)") == ("accept", (3,), ())
    result = parse_reply("Termin 2 :(", slots=SLOTS)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "symbol_not_understood")


def test_a_statement_ends_a_list() -> None:
    """ "Termin 3 - das wird knapp, lieber 1": 3 must not take the "lieber" of 1."""
    result = parse_reply("Termin 3 - das wird knapp, lieber 1.", slots=SLOTS)
    assert 3 not in result.accepted or result.needs_agent
    assert result.kind is ReplyKind.UNCLEAR


def test_weekday_abbreviations() -> None:
    assert _read("Mi. passt") == ("accept", (2,), ())
    assert _read("Di 01.12. ok") == ("accept", (1,), ())
    assert _read("Thu works") == ("accept", (3,), ())
    # "Do" without its dot is the English verb; "Fr." is also "Frau"
    assert _read("Option 2 does not work, but options 1 and 3 do.") == ("accept", (1, 3), (2,))
    assert _read("Hallo Fr. Schulz, Termin 2 passt.") == ("accept", (2,), ())


def test_a_day_of_the_month_alone() -> None:
    assert _read("Am 3. passt es uns.") == ("accept", (3,), ())
    assert _read("I'll take the 2nd.")[0] == "accept"  # day 2 is slot 2: both readings agree
    assert parse_reply("Der 4. wäre unser Wunschtermin.", slots=SLOTS).kind is ReplyKind.UNCLEAR
    # a day that is also another slot's number: an agent decides
    slots = [datetime(2026, 12, 1, 8), datetime(2026, 12, 3, 10), datetime(2026, 12, 4, 9)]
    result = parse_reply("Der 3. passt.", slots=slots)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "ambiguous_date")
    # "den 2. Vorschlag" and "am 3. Dezember" are no days alone
    assert _read("Wir nehmen den 2. Vorschlag.") == ("accept", (2,), ())
    assert _read("Am 3. Dezember können wir.") == ("accept", (3,), ())


def test_no_dot_is_an_abbreviation_only_before_a_number() -> None:
    assert _read("Slot 1 - no. Slot 2 - yes. Slot 3 - no.") == ("accept", (2,), (1, 3))
    assert _read("No. 2 please") == ("accept", (2,), ())


def test_both_is_all_only_of_two_proposals() -> None:
    assert _read("Termin 2 und 3 passen beide.") == ("accept", (2, 3), ())
    assert _read("Slot 2 and 3 both work.") == ("accept", (2, 3), ())
    assert _read("Termin 1 und 2 gehen beide nicht.") == ("refuse", (), (1, 2))
    result = parse_reply("Beide passen.", slots=SLOTS)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "both_of_more")
    assert _read("Beide passen.", SLOTS[:2]) == ("accept", (1, 2), ())


def test_a_promise_to_confirm_later_or_a_hold_is_no_acceptance() -> None:
    for text in (
        "Bitte Termin 2 freihalten, wir bestätigen morgen.",
        "Für das andere Ticket passt Termin 2, hier noch offen.",
        "Slot 2 looks good, not yet confirmed on our side.",
    ):
        assert parse_reply(text, slots=SLOTS).kind is ReplyKind.UNCLEAR, text


def test_a_lone_no_among_other_sentences_still_answers() -> None:
    """An inline "nein" under a quoted slot: no acceptance of the other slot alone."""
    body = "Termin 2 passt\n> 1. Dienstag, 01.12.2026, 08:00 Uhr bis 09:00 Uhr\nnein"
    assert parse_reply(body, slots=SLOTS).kind is ReplyKind.UNCLEAR


def test_a_contrast_that_accepts_again_goes_to_an_agent() -> None:
    text = "Unser Techniker kann nur Termin 2, der Kunde aber nur Termin 3."
    result = parse_reply(text, slots=SLOTS)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "contrast_without_turn")
    assert _read("We prefer option 2, but 1 is also OK.") == ("accept", (1, 2), ())


def test_a_day_off_is_no_free_slot() -> None:
    """ "frei haben" is a day off: "frei" accepts only as "noch frei"."""
    for text in ("Dienstag haben wir frei.", "Am Mittwoch ist bei uns frei, Donnerstag passt."):
        result = parse_reply(text, slots=SLOTS)
        assert result.kind is ReplyKind.UNCLEAR, text
    assert _read("Termin 2, falls noch frei") == ("accept", (2,), ())


def test_nothing_is_a_negation() -> None:
    assert _read("Außer Termin 3 geht nichts.") == ("accept", (3,), ())
    assert _read("Gegen Termin 3 spricht nichts.") == ("accept", (3,), ())


def test_checking_whether_a_slot_suits_is_no_answer() -> None:
    for text in (
        "Wir pruefen noch, ob Termin 1 moeglich ist.",
        "We are checking whether slot 2 works.",
        "Prüfen wir noch – Termin 2 sieht gut aus.",
    ):
        assert parse_reply(text, slots=SLOTS).kind is ReplyKind.UNCLEAR, text


def test_not_reachable_until_is_an_away_note() -> None:
    result = parse_reply("Bin bis Montag nicht erreichbar.", slots=SLOTS)
    assert (result.kind, result.reason) == (ReplyKind.UNCLEAR, "auto_reply")

"""Role rules: contact before excluded before transfer; doubt is never transfer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.model import Role
from parsers.roles import NumberContext, classify, has_blanket_clause, split_sentences


def role(**kw: str) -> Role:
    return classify(NumberContext(**kw))[0]


class TestClassify:
    @pytest.mark.parametrize("zone", ["header", "footer", "reference", "signature"])
    def test_zones_outside_the_body_are_contact(self, zone: str) -> None:
        """Letterhead, footer, reference line and signature block hold the writer's lines."""
        assert role(zone=zone, sentence="Wir übergeben 030 1234567.") is Role.CONTACT

    @pytest.mark.parametrize(
        "before",
        [
            "Tel. ",
            "Telefon: ",
            "Fax ",
            "Telefax: ",
            "Hotline ",
            "Zentrale: ",
            "mobil: ",
            "Mobil ",
            "T: ",
        ],
    )
    def test_label_right_before_the_number_is_contact(self, before: str) -> None:
        """A phone/fax/hotline label directly before the number makes it a contact line."""
        sentence = f"Folgende Rufnummern werden übergeben: {before}030 1234567"
        assert role(before=before, sentence=sentence) is Role.CONTACT

    def test_label_far_before_does_not_count(self) -> None:
        """A label earlier in the sentence does not label a later number."""
        before = "Telefon und Internet des Kunden ziehen um, wir übergeben daher die Rufnummer "
        assert role(before=before, sentence=before + "030 1234567.") is Role.TRANSFER

    @pytest.mark.parametrize(
        "sentence",
        [
            "Ausgenommen ist die Rufnummer 030 1234567.",
            "Die Rufnummer 030 1234567 verbleibt bei uns.",
            "Für 030 1234567 erfolgt keine Übergabe.",
            "030 1234567 wird nicht übergeben.",
            "030 1234567 ist nicht Gegenstand dieser Freigabe.",
            "Der Kunde möchte 030 1234567 behalten, alle anderen werden übergeben.",
            "Die Rufnummer 030 1234567 ist von der Übertragung ausgeschlossen.",
        ],
    )
    def test_keep_back_wording_is_excluded_even_with_handover_words(self, sentence: str) -> None:
        """Excluded always beats transfer in the same sentence."""
        assert role(sentence=sentence) is Role.EXCLUDED

    def test_excluded_intro_applies_to_list_items(self) -> None:
        """An "ausgenommen:" heading keeps back the items under it."""
        assert role(sentence="030 1234567", intro="Ausgenommen sind:") is Role.EXCLUDED

    def test_item_wording_beats_a_handover_intro(self) -> None:
        """A list item that says "verbleibt" is excluded under a handover intro."""
        ctx = NumberContext(
            sentence="030 1234567 (verbleibt)", intro="Folgende Rufnummern werden übergeben:"
        )
        assert classify(ctx)[0] is Role.EXCLUDED

    @pytest.mark.parametrize(
        "sentence",
        [
            "Wir übergeben die Rufnummer 030 1234567 an die Beta Net GmbH.",
            "Hiermit geben wir die Rufnummer 030 1234567 frei.",
            "Der Umzug der Rufnummer 030 1234567 wird genehmigt.",
            "Die Rufnummer 030 1234567 wird übertragen.",
        ],
    )
    def test_handover_wording_is_transfer(self, sentence: str) -> None:
        assert role(sentence=sentence) is Role.TRANSFER

    def test_handover_intro_applies_to_list_items(self) -> None:
        role_, why = classify(NumberContext(sentence="030 1234567", intro="Folgende Rufnummern:"))
        assert role_ is Role.TRANSFER
        assert why.startswith("intro:")

    def test_named_without_handover_is_unclear(self) -> None:
        """A number named without any handover wording is unclear, never transfer."""
        assert role(sentence="Der Kunde nutzt die Rufnummer 030 1234567 seit 2019.") is Role.UNCLEAR

    def test_contact_phrase_is_contact(self) -> None:
        assert (
            role(sentence="Für Rückfragen erreichen Sie mich unter 0171 2345678.") is Role.CONTACT
        )

    @given(
        st.sampled_from(["Wir übergeben", "Freigabe für", "Umzug von", "Folgende Rufnummern:"]),
        st.sampled_from(
            ["ausgenommen", "verbleibt beim Kunden", "wird nicht übergeben", "keine Übergabe"]
        ),
        st.text(alphabet="abc äöü", max_size=20),
    )
    def test_keep_back_word_never_yields_transfer(self, head: str, keep: str, filler: str) -> None:
        """Property: whatever handover wording surrounds it, a keep-back word wins."""
        sentence = f"{head} 030 1234567 {filler} {keep}."
        assert (
            role(sentence=sentence, intro="Folgende Rufnummern werden übergeben:")
            is not Role.TRANSFER
        )


class TestOhne:
    @pytest.mark.parametrize(
        "header", ["Rufnummern ohne Übergabe", "Rufnummer | ohne Portierung", "Ohne Umzug"]
    )
    def test_ohne_with_the_handover_noun_keeps_back(self, header: str) -> None:
        """A caption or heading "ohne Übergabe" negates the handover word it holds."""
        assert role(zone="body", sentence="030 1234567", table_header=header) is Role.EXCLUDED

    def test_ohne_with_another_noun_does_not_negate(self) -> None:
        """ "ohne" before other words is no negation of the handover."""
        assert (
            role(zone="body", sentence="030 1234567", table_header="Übergabe ohne Unterbrechung")
            is Role.TRANSFER
        )


class TestBlanket:
    @pytest.mark.parametrize(
        "text",
        ["Wir geben alle Rufnummern des Kunden frei.", "Sämtliche Rufnummern werden übertragen."],
    )
    def test_all_numbers(self, text: str) -> None:
        assert has_blanket_clause(text)

    def test_named_numbers_are_no_blanket(self) -> None:
        assert not has_blanket_clause("Wir geben die Rufnummer 030 1234567 frei.")


class TestSentences:
    def test_abbreviations_do_not_split(self) -> None:
        text = "Tel. 030 123. Dr. Albers gibt z.B. Nr. 5 frei. Neuer Satz"
        parts = [text[s:e] for s, e in split_sentences(text)]
        assert parts == ["Tel. 030 123.", "Dr. Albers gibt z.B. Nr. 5 frei.", "Neuer Satz"]

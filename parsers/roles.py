"""What a letter says about a number it names: transfer, excluded, contact or unclear.

Pure rules on text around a number. The order matters and is the safety argument:
zone and label (contact) first, then keep-back wording (excluded), and only then
handover wording (transfer). Everything else is unclear: approving a number the letter
does not hand over moves a stranger's number, so doubt never becomes ``transfer``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.model import Role

__all__ = [
    "NumberContext",
    "classify",
    "classify_words",
    "fold",
    "has_blanket_clause",
    "split_sentences",
]

# OCR often loses umlauts ("Ubergabe") and some writers spell them out: patterns and
# texts are both folded to plain letters before matching.
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})


def fold(text: str) -> str:
    """The text with umlauts and ß spelled as plain letters (for tolerant matching)."""
    return text.translate(_FOLD)


def _folded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(fold(pattern), flags)


_CONTACT_ZONES = {
    "header": "zone:letterhead",
    "footer": "zone:footer",
    "reference": "zone:reference",
}

# A label right before the number: the writer's own lines.
_CONTACT_LABEL = _folded(
    r"(?:\b(?:tel(?:efon)?|fon|phone|telefax|fax|hotline|zentrale|mobil(?:funk)?|handy|"
    r"mobile|service(?:nummer|-?hotline|telefon)?|support|kontakt|zentral|"
    r"ansprechpartner(?:in)?|sekretariat|vermittlung|rückruf(?:nummer)?)\b\.?\s*(?:nr\.?)?\s*[:.]?"
    # "Durchwahl" alone also names a block's extension ("ausgenommen ist die Durchwahl
    # ..."): only "Durchwahl:" labels the writer's own line.
    r"|\bdurchwahl\s*:|\b(?:t|f|m)\s*[:.])\s*[-–]?\s*$",
    re.IGNORECASE,
)
# Wording around the number that makes it the writer's contact line.
_CONTACT_PHRASE = _folded(
    r"\b(rückfragen|erreichen\s+sie|erreichbar|rufen\s+sie|melden\s+sie\s+sich|"
    r"ansprechpartner(?:in)?|kontaktieren|bei\s+fragen|für\s+fragen|kundenservice|"
    r"kundendienst|servicehotline|hotline)\b",
    re.IGNORECASE,
)
_EXCLUDED = _folded(
    r"(ausgenommen|ausnahme|verbleib(?:t|en)?|keine?\s+(?:\w+\s+){0,2}(?:übergabe|übertragung|freigabe|portierung)"
    r"|nicht\s+(?:\w+\s+){0,3}(?:übergeben|übertragen|freigegeben|umgezogen|portiert|abgegeben|gegenstand|betroffen|umfasst|mit\s+umziehen)"
    r"|nicht\s+gegenstand|behalten|ausgeschlossen|bleib(?:t|en)\s+(?:\w+\s+){0,3}(?:bei|erhalten|bestehen)"
    r"|zurückbehalten|nicht\s+freigeben|nicht\s+frei\b|nicht\s+übertragbar)",
    re.IGNORECASE,
)
_TRANSFER = _folded(
    r"(übergeben|übergabe|übertragen|übertragung|freigeben|freigegeben|freigabe|umzug|umziehen|"
    r"umzuziehen|wechsel[nt]?|abgeben|abgegeben|überlassen|zustimm\w*|einverstanden|"
    r"einverständnis|\bgeb(?:en|e|t)\b(?:\s+\S+){0,10}?\s+frei\b|"
    r"\bstimm(?:en|e|t)\b(?:\s+\S+){0,10}?\s+zu\b|(?:nach)?folgende[nr]?\s+(?:\w+\s+){0,2}rufnummer\w*|"
    r"(?:nach)?folgende[nr]?\s+(?:\w+\s+){0,2}nummer\w*|rufnummernblock\w*)",
    re.IGNORECASE,
)
_BLANKET = _folded(
    r"\b(alle|sämtliche|saemtliche|sämtlicher|aller|gesamte[nr]?)\s+(?:\w+\s+){0,2}"
    r"(rufnummern|nummern|anschlüsse|rufnummernblöcke)\b",
    re.IGNORECASE,
)
# Sentence ends: punctuation followed by space and an upper-case letter or a list
# marker. Abbreviations common in letters are protected first.
_ABBREV = re.compile(
    r"\b(Nr|Tel|bzw|ggf|z\.\s?B|u\.\s?a|i\.\s?V|i\.\s?A|Dr|Prof|Str|inkl|evtl|ca|vgl|Fa|Co|Hd|St|Abs|"
    r"Art|gem|lt|zzgl|Mio|Tsd)\.",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÄÖÜ0-9(\"„•\-–])")


@dataclass(frozen=True)
class NumberContext:
    """The text around one number, from the narrowest scope to the widest.

    ``before`` is the text of the same item directly before the number (for labels),
    ``sentence`` the sentence or list item holding it, ``intro`` the sentence that
    introduces the list or table it stands in ("Folgende Rufnummern ...:"), ``zone``
    one of header/footer/reference/body/signature.
    """

    zone: str = "body"
    before: str = ""
    sentence: str = ""
    intro: str = ""
    table_header: str = ""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in a paragraph."""
    protected = _ABBREV.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(protected):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _strip_numbers(text: str) -> str:
    # Digits and their separators say nothing about the role; dropping them keeps a
    # keyword search from matching inside a number's text.
    return re.sub(r"[+\d][\d\s/().-]*\d", " ", text)


def classify(ctx: NumberContext) -> tuple[Role, str]:
    """The role of one number and a short machine reason (``FoundNumber.why``)."""
    if ctx.zone in _CONTACT_ZONES:
        return Role.CONTACT, _CONTACT_ZONES[ctx.zone]
    if ctx.zone == "signature":
        return Role.CONTACT, "zone:signature"
    before = fold(ctx.before[-40:])
    label = _CONTACT_LABEL.search(before)
    if label:
        return Role.CONTACT, f"label:{label.group(0).strip(' :.-–').lower()}"
    sentence = fold(_strip_numbers(ctx.sentence))
    excluded = _EXCLUDED.search(sentence)
    if excluded:
        return Role.EXCLUDED, f"keyword:{excluded.group(0).lower()}"
    phrase = _CONTACT_PHRASE.search(sentence)
    if phrase and not _TRANSFER.search(sentence):
        return Role.CONTACT, f"phrase:{phrase.group(0).lower()}"
    for scope, text in (("header", ctx.table_header), ("intro", ctx.intro)):
        found = _EXCLUDED.search(fold(_strip_numbers(text)))
        if found:
            return Role.EXCLUDED, f"{scope}:{found.group(0).lower()}"
    found = _TRANSFER.search(sentence)
    if found:
        return Role.TRANSFER, f"keyword:{found.group(0).lower()}"
    for scope, text in (("header", ctx.table_header), ("intro", ctx.intro)):
        found = _TRANSFER.search(fold(_strip_numbers(text)))
        if found:
            return Role.TRANSFER, f"{scope}:{found.group(0).lower()}"
    return Role.UNCLEAR, "no_handover_wording"


def classify_words(text: str) -> bool:
    """Whether the text holds any handover or keep-back wording at all."""
    bare = fold(_strip_numbers(text))
    return bool(_TRANSFER.search(bare) or _EXCLUDED.search(bare))


def has_blanket_clause(text: str) -> bool:
    """Whether the text speaks of all numbers ("alle Rufnummern des Kunden")."""
    return _BLANKET.search(fold(text)) is not None

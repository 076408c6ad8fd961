"""Reading a partner's e-mail reply to a list of numbered cutover slots (German and English).

Only the partner's own new text counts: quoted earlier mails (``>`` lines, "Am ...
schrieb ...:", "On ... wrote:", "-----Original Message-----", "Von: ...") and the
signature ("-- ", "Mit freundlichen Grüßen", "Best regards" onward) are cut first.

The text is then split into clauses (sentences, commas, "und/oder/aber/sondern",
"and/or/but"), and every clause is read on its own: a slot reference in it (a slot
number after "Termin/Vorschlag/Option/Slot", a bare number or number word that stands
as an answer, an ordinal, a weekday, a date, a time) takes the polarity of its clause.
Numbers that count something ("2 Stunden", "3 Standorte", "10 Rufnummern"), phone
numbers and the digits of dates and times are never slot numbers. A clause without
polarity of its own inherits it from its list neighbour only when it is a bare list item
("Termin 1, 2 oder 3 passt"), or takes the opposite after a contrast ("nicht Termin 1,
sondern 2"); a clause that says something of its own takes nothing.

Outcomes: ACCEPT (slots accepted, possibly others refused), REFUSE (some slots refused,
none accepted), NONE_FIT, RESCHEDULE, CANCEL (explicit intent only), QUESTION and
UNCLEAR. Anything mixed or doubtful is UNCLEAR with a reason, for an agent: an
auto-reply, an acceptance on a condition or with a reservation, a wish to change the
numbers, a sign the reader does not know. Guessing a cutover date is worse than asking.
``docs/scheduling.md`` ("Reading a reply") lists the rules and the reply corpus figures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = ["ReplyKind", "ReplyResult", "own_text", "parse_reply"]


class ReplyKind(StrEnum):
    ACCEPT = "accept"  # slots accepted (``accepted``); ``refused`` may name others
    REFUSE = "refuse"  # some slots refused, none accepted
    NONE_FIT = "none_fit"  # none of the slots suits
    RESCHEDULE = "reschedule"  # asks for other proposals / to move the date
    CANCEL = "cancel"  # withdraws the cutover
    QUESTION = "question"  # asks something: an agent answers
    UNCLEAR = "unclear"  # mixed or doubtful: an agent must read it

    # the earlier name of RESCHEDULE
    OTHER_DATE = "reschedule"


@dataclass(frozen=True)
class ReplyResult:
    kind: ReplyKind
    accepted: tuple[int, ...] = ()  # 1-based slot numbers, ascending
    refused: tuple[int, ...] = ()
    reason: str = ""  # why an agent must read it (QUESTION / UNCLEAR)

    @property
    def choices(self) -> tuple[int, ...]:
        return self.accepted

    @property
    def needs_agent(self) -> bool:
        return self.kind in (ReplyKind.UNCLEAR, ReplyKind.QUESTION)


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _fold(text: str) -> str:
    """German letters written without umlauts ("moeglich", "Gruesse"): text and vocabulary alike."""
    return text.translate(_FOLD)


def _fold_set(words: set[str]) -> frozenset[str]:
    return frozenset(_fold(w) for w in words)


def _fold_keys(table: dict[str, int]) -> dict[str, int]:
    return {_fold(k): v for k, v in table.items()}


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(_fold(pattern), flags)


# -- the partner's own text ---------------------------------------------------------------

_QUOTE_HEADERS = _compile(
    r"""^\s*(?:
        am\s.+\s(?:schrieb|hat\s.+\sgeschrieben)\b.*
      | on\s.+\swrote:?.*
      | -{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|weitergeleitete\s+nachricht|forwarded\s+message)\s*-{2,}.*
      | (?:von|from|gesendet|sent)\s*:.*
      | _{5,}\s*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SIGNATURE = _compile(
    r"""^\s*(?:
        --\s*
      | (?:mit\s+)?(?:freundlichen|besten|herzlichen|vielen|viele|beste|liebe|schöne|freundliche|herzliche)\s+grü(?:ß|ss)en?\b.*
      | mfg\b.*
      | (?:viele\s+|beste\s+)?grü(?:ß|ss)e?\b.*
      | gruß\b.*
      | (?:best|kind|warm|many)\s+regards\b.*
      | regards,?\s*
      | best(?:\s+wishes)?,?\s*
      | cheers,?\s*
      | sincerely,?\s*
      | yours\s+(?:sincerely|faithfully|truly)\b.*
      | sent\s+from\s+my\b.*
      | von\s+meinem\s+\w+\s+gesendet.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


# lines of our own proposal: a mail program that quotes it without ">" or a header
_OUR_PROPOSAL = _compile(
    r"^\s*(?:terminvorschläge:|rufnummern:|bitte wählen sie einen oder mehrere passende termine"
    r"|oder antworten sie einfach auf diese nachricht|die termine halten wir bis"
    r"|für den umzug der folgenden rufnummern|der gewählte termin ist leider inzwischen vergeben"
    r"|vielen dank für ihre rückmeldung\. wir schlagen ihnen neue termine vor)",
    re.IGNORECASE,
)


def own_text(body: str) -> str:
    """The reply's new text: no quoted mails, no signature."""
    kept: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(">"):
            continue
        probe = _fold(line)
        if _QUOTE_HEADERS.match(probe) or _SIGNATURE.match(probe) or _OUR_PROPOSAL.match(probe):
            break
        kept.append(line)
    return "\n".join(kept).strip()


# -- vocabulary -----------------------------------------------------------------------------

_MONTHS = _fold_keys({
    "januar": 1, "jan": 1, "january": 1,
    "februar": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "mär": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
})  # fmt: skip
_WEEKDAYS = _fold_keys({
    "montag": 0, "monday": 0,
    "dienstag": 1, "tuesday": 1,
    "mittwoch": 2, "wednesday": 2,
    "donnerstag": 3, "thursday": 3,
    "freitag": 4, "friday": 4,
    "samstag": 5, "saturday": 5, "sonnabend": 5,
    "sonntag": 6, "sunday": 6,
})  # fmt: skip
# abbreviations ("Fr." is also "Frau", "Do" also "do": "Do." only with its dot)
_WEEKDAY_ABBREVIATIONS = {
    "mo": 0, "mon": 0, "di": 1, "tue": 1, "tues": 1, "mi": 2, "wed": 2, "thu": 3, "thur": 3,
    "thurs": 3, "fri": 4, "do.": 3,
}  # fmt: skip
_NUMBER_WORDS = _fold_keys({
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
})  # fmt: skip
_ORDINALS = _fold_keys({
    **{f"erste{e}": 1 for e in ("", "n", "r", "s")},
    **{f"zweite{e}": 2 for e in ("", "n", "r", "s")},
    **{f"dritte{e}": 3 for e in ("", "n", "r", "s")},
    **{f"vierte{e}": 4 for e in ("", "n", "r", "s")},
    **{f"fünfte{e}": 5 for e in ("", "n", "r", "s")},
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
    **{f"früheste{e}": 1 for e in ("", "n", "r", "s")}, "earliest": 1,
})  # fmt: skip
_LAST = _fold_set({
    "letzte", "letzten", "letzter", "letztes", "last",
    "späteste", "spätesten", "spätester", "spätestes", "latest",
})  # fmt: skip
# of two proposals, "der frühere" is the first and "der spätere" the second
_EARLIER = _fold_set({"frühere", "früheren", "früherer", "früheres", "earlier"})
_LATER = _fold_set({"spätere", "späteren", "späterer", "späteres", "later"})
_DEFINITE = _fold_set({"der", "die", "das", "den", "dem", "the"})
# nouns that name a slot; a number right after one is a slot number
_SLOT_NOUNS = _fold(
    r"termin|termine|termins|vorschlag|vorschläge|vorschlags|vorschlages|option|optionen|options"
    r"|variante|varianten|zeitfenster|slot|slots|nr|nummer|nummern|choice|date|dates|proposal"
    r"|proposals|number|no|#"
)
# after an ordinal these name something else ("in der ersten Woche")
_ORDINAL_OTHER = _fold_set({
    "woche", "tag", "hälfte", "quartal", "monat", "stunde", "week", "day", "half", "month",
    "hour", "quarter", "dezemberwoche", "januarwoche",
})  # fmt: skip
# words that may follow a bare number that is a slot answer ("2 passt", "2 oder 3")
_FOLLOWERS = _fold_set({
    "passt", "passen", "geht", "gehen", "klappt", "klappen", "ist", "sind", "wäre", "wären",
    "würde", "würden", "bitte", "ja", "nein", "nicht", "auch", "leider", "und", "oder", "bzw",
    "sowie", "noch", "ginge", "ok", "okay", "gerne", "gern", "bei", "für", "uns", "wir",
    "nehmen", "nehme", "works", "work", "is", "are", "would", "please", "suits", "fits", "and",
    "or", "also", "too", "does", "do", "fine", "ok.", "sounds", "nor", "weder", "then",
    "dann", "hingegen", "dagegen", "wiederum", "ebenfalls", "klingt", "perfekt", "prima",
    "super", "gut", "möglich", "can", "could", "will", "won't", "passend", "am",
    "um", "at", "on", "geht's", "scheidet", "fällt", "entfällt", "kommt", "wird", "kann",
    "können", "okay.", "bestätigt", "bestätigen", "recht", "lieber", "vorgemerkt", "both", "beide",
})  # fmt: skip

_POSITIVE = _fold_set({
    "passt", "passen", "passend", "geht", "gehen", "ginge", "klappt", "klappen", "ok", "okay",
    "einverstanden", "bestätigt", "bestätigen", "bestätige", "nehmen", "nehme", "wählen",
    "wähle", "gerne", "gern", "bitte", "recht", "gut", "perfekt", "prima", "super", "ideal",
    "ja", "möglich", "können", "kann", "lieber", "bevorzugen", "bevorzugt", "vorgemerkt",
    "reservieren", "buchen", "works", "work", "fine", "good", "great", "perfect", "suits",
    "suit", "accept", "accepted", "confirm", "confirmed", "yes", "please", "prefer",
    "preferred", "take", "available", "possible", "agree", "can", "could", "book", "best", "fits", "fit", "go", "convenient", "sounds", "nur", "only",
    "zusage", "zusagen", "liebsten", "verfügbar", "happy", "sure", "gebongt", "gelegen",
    "favorit", "wunschtermin", "pls", "plz", "geht's", "gehts", "passt's", "klappt's",
})  # fmt: skip
_NEGATION = _fold_set({
    "nicht", "nich", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "weder",
    "not", "no", "never", "neither", "nor", "cannot", "unable", "nein", "nope", "nichts",
    "nothing",
})  # fmt: skip
_NEGATIVE = _fold_set({
    "belegt", "besetzt", "ausgebucht", "verhindert", "ungünstig", "schlecht", "unpassend",
    "unmöglich", "problematisch", "schwierig", "kollidiert", "konflikt", "blockiert", "busy",
    "unavailable", "impossible", "bad", "blocked", "booked", "conflict", "clashes", "scheidet",
    "entfällt", "fällt", "inconvenient", "leider", "unfortunately", "streichen", "raus",
})  # fmt: skip
# weak negatives: negative only when the clause has no positive word ("leider nur Termin 3")
_WEAK_NEGATIVE = _fold_set({"leider", "unfortunately"})
# counted things: a number before one of these is a count, not a slot
_COUNTED = _fold_set({
    "stunde", "stunden", "std", "minute", "minuten", "min", "tag", "tage", "tagen", "woche",
    "wochen", "monat", "monate", "monaten", "standort", "standorte", "standorten",
    "mitarbeiter", "mitarbeitern", "mitarbeiterinnen", "techniker", "technikern", "rufnummer",
    "rufnummern", "nummern", "leitung", "leitungen", "anschlüsse", "anschluss", "personen",
    "leute", "leuten", "kollegen", "filialen", "etagen", "sites", "site", "locations",
    "location", "hours", "hour", "minutes", "days", "day", "weeks", "week", "months",
    "employees", "staff", "people", "technicians", "numbers", "lines", "offices", "floors",
    "x", "mal", "times", "euro", "eur", "prozent", "%", "h",
})  # fmt: skip
# a number right after one of these labels something else ("Standort 2", "KW 50")
_LABELS = _fold_set({
    "standort", "gebäude", "etage", "raum", "haus", "leitung", "kw", "woche", "seite",
    "ticket", "site", "building", "floor", "room", "line", "week", "page", "anlage", "stock",
    "um", "ab", "bis", "at", "by", "until", "gegen", "zirka", "ca", "circa", "about", "für",
    "for", "in", "mit", "with", "von", "from", "sind", "are", "have", "haben", "hat",
})  # fmt: skip
# "ist kein Problem" / "no problem" / "spricht nichts dagegen" are positive
_POSITIVE_PHRASES = _compile(
    r"\b(?:kein(?:e|en)?\s+problem|nicht\s+(?:das|ein)\s+problem|no\s+problem|not\s+a\s+problem"
    r"|(?:spricht\s+)?nichts\s+dagegen|spricht\s+nichts|no\s+objection|nicht\s+schlecht|not\s+bad|keine\s+einwände"
    r"|ohne\s+probleme?|noch\s+frei)\b"
)
_CANCEL = _compile(
    r"\b(?:absag\w*|abgesagt|sagen\b.*\bab\b|sage\b.*\bab\b|storn\w*|zurückzieh\w*|zurückgezogen"
    r"|ziehen\b.*\bzurück|abbrech\w*|abgebrochen|kein\w*\s+umzug|cancel\w*|call\s+off|withdraw\w*"
    r"|no\s+longer\s+(?:need|want)\w*|nicht\s+mehr\s+(?:gewünscht|nötig|erforderlich|benötigt))\b"
)
_RESCHEDULE = _compile(
    r"\b(?:ander(?:e|en|er|es)\s+(?:termin\w*|vorschl\w*|zeit\w*|tag\w*|datum|woche\w*)"
    r"|neue[nrs]?\s+(?:termin\w*|vorschl\w*|zeit\w*)|weitere\s+(?:termin\w*|vorschl\w*)"
    r"|verschieb\w*|schieben|verlegen|verlegt\w*"
    r"|(?<!der\s)(?<!den\s)(?<!die\s)(?<!das\s)(?:später|früher)\w*\s+termin\w*"
    r"|(?:auf|in\s+die)\s+(?:nächste|kommende|folgende)\s+woche|to\s+next\s+week"
    r"|(?:suggest|propose|send)\s+(?:us\s+|me\s+)?(?:some\s+|other\s+|new\s+|more\s+)?"
    r"(?:dates|slots|times|options)"
    r"|reschedul\w*|postpone\w*|(?<!the\s)(?:other|another|different|new|alternative|later|earlier)\s+"
    r"(?:date|dates|slot|slots|time|times|proposal|proposals|options|day|days|week)"
    r"|move\s+(?:the\s+)?(?:date|appointment|cutover)|push\s+(?:it\s+)?back"
    r"|alternativ(?:e|en)?\s+(?:termin\w*|vorschl\w*)\b(?!\s*\d))\b"
)
# out-of-office and other automatic replies: never an answer
_AUTO_REPLY = _compile(
    r"\b(?:abwesenheitsnotiz|automatische\s+(?:antwort|benachrichtigung)|auto-?\s?reply"
    r"|automatic\s+reply|out\s+of\s+(?:the\s+)?office|nicht\s+im\s+büro|außer\s+haus"
    r"|keinen\s+zugriff\s+auf\s+(?:meine\s+|ihre\s+)?e-?mails?|(?:limited|no)\s+access\s+to\s+"
    r"(?:my\s+)?e-?mails?|wird\s+nicht\s+weitergeleitet|will\s+not\s+be\s+forwarded"
    r"|bin\s+(?:derzeit|zurzeit|momentan|aktuell)\s+(?:nicht\s+erreichbar|abwesend|im\s+urlaub)"
    r"|(?:currently|presently)\s+(?:away|out|on\s+leave|on\s+vacation)|wieder\s+erreichbar"
    r"|wieder\s+im\s+büro|back\s+in\s+the\s+office|will\s+be\s+back"
    r"|\bbin\s+(?:\w+\s+){0,3}nicht\s+erreichbar)\b"
)
# a wish to change the numbers of the cutover: an agent decides
_NUMBERS_CHANGED = _compile(
    r"\b(?:rufnummer\w*|telefonnummer\w*|telefon|durchwahl\w*|numbers|phone\s+numbers?)\b"
    r"[^.!?\n]*\b(?:heraus\w*|raus\w*|entfern\w*|streich\w*|ausnehm\w*|weglass\w*|hinzu\w*"
    r"|ergänz\w*|remove\w*|exclud\w*|take\s+out|drop\w*|add\w*)\b"
)
# a date after our mail's name is that mail's date ("Ihre Nachricht vom 08.01.")
_MAIL_DATE = _compile(
    r"\b(?:nachricht|mail|e-mail|email|schreiben|vorschlag|vorschläge|vorschlägen|anfrage|angebot"
    r"|message|proposal|proposals|letter)\s+(?:vom|von|from|of|dated)\s+$"
)
# a phone number: + or 0, then at least six more digits in groups
_PHONE = re.compile(r"(?:\+\d{1,3}|\b0)[\d \t/()-]{5,}\d(?![\d.:])")
# an acceptance on a condition of the writer's side, or a tentative one, is no answer yet
_CONDITIONAL = _compile(
    r"\b(?:falls|wenn|sofern|soweit|vorausgesetzt|vorbehaltlich|unter\s+vorbehalt|vorläufig\w*"
    r"|tendenziell|voraussichtlich|eventuell|evtl|vielleicht|möglicherweise|wahrscheinlich"
    r"|unverbindlich|grundsätzlich|eigentlich|im\s+prinzip|theoretisch|in\s+principle"
    r"|theoretically|basically|noch\s+(?:\w+\s+){0,4}(?:klären|prüfen|abstimmen|einholen|abklären)"
    r"|erst\s+(?:ab|um|nach)|frühestens|spätestens|nicht\s+(?:vor|nach)\s+\d"
    r"|if|unless|provided|assuming|pending|subject\s+to|tentative\w*|provisional\w*|maybe"
    r"|perhaps|probably|only\s+(?:after|before|from)|not\s+(?:before|after)\s+\d"
    r"|no\s+(?:earlier|later)\s+than|(?:will|'ll)\s+(?:let\s+you\s+know|get\s+back|confirm)"
    r"|get\s+back\s+to\s+you)\b"
    r"|\b(?:bestätig\w*|confirm\w*)\b[^.!?\n]*\b(?:final|endgültig|später|morgen|nachher|later"
    r"|tomorrow)\b|\b(?:freihalten|frei\s+halten|vormerken|blocken|pencil\w*)\b"
    r"|\bnoch\s+(?:offen|unklar|nicht\s+(?:entschieden|klar|sicher|bestätigt))\b"
    r"|\b(?:still\s+open|not\s+(?:yet\s+)?(?:decided|sure|confirmed))\b"
    r"|\b(?:ob|whether)\b"  # "Wir prüfen noch, ob Termin 1 möglich ist": asked, not answered
    r"|\b(?:prüfen|klären|schauen|checken|checking)\s+(?:wir\s+|ich\s+)?noch\b"
)
# conditions that are no condition of the writer: our availability, the usual offer of help
_BENIGN_CONDITION = _compile(
    r"\b(?:falls|wenn|sofern|if)\s+(?:(?:das|es|dies|dieser|der|er|that|it|this)\s+)?"
    r"(?:(?:bei\s+)?(?:ihnen|euch|you)\s+)?(?:(?:noch|still|is|'s|ist)\s+)*"
    r"(?:möglich|geht|passt|frei|verfügbar|ok|okay|recht|available|possible|works|fine)\b"
    r"|\b(?:falls|wenn|sofern|if)\s+(?:sie|ihr|du|you)\s+(?:\w+\s+){0,2}"
    r"(?:fragen|rückfragen|questions|anything)\b"
)
_ALL = _compile(
    r"\b(?:alle(?:\s+(?:\d|zwei|drei|vier|fünf|beiden?))?|jede[rsn]?\s+(?:der\s+)?(?:termin\w*|vorschl\w*)"
    r"|jeder|beide|beiden|sämtliche|egal|all(?:\s+(?:of\s+them|three|two|the\s+\w+))?"
    r"|any(?:\s+of\s+them)?|either|every\s+\w+|both)\b"
)
_NONE = _compile(
    r"\b(?:keine[rsn]?\s+(?:der|von\s+den|davon|dieser|ihrer)\b(?:\s+\w+)?|keiner|keines"
    r"|kein(?:er)?\s+(?:der\s+)?(?:termin\w*|vorschl\w*|zeitfenster)|keine\s+(?:termin\w*|vorschl\w*)"
    r"|none(?:\s+of\s+(?:the|these|them|those|your)(?:\s+\w+)?)?"
    r"|neither(?:\s+of\s+(?:them|the\s+\w+))?(?!\s+(?:slot|option|date|proposal|ref\d|\d))"
    r"|no\s+(?:slot|slots|date|dates|option|options|proposal|proposals)"
    r"|gar\s+nicht|überhaupt\s+nicht)\b"
)
_OTHERS = _compile(
    r"\b(?:die\s+(?:anderen|übrigen)(?:\s+(?:beiden|termine|vorschläge))?|alle\s+anderen|sonst\s+(?:alles|alle)"
    r"|(?:die\s+)?beiden?\s+(?:anderen|übrigen)"
    r"|ansonsten|sonst|der\s+rest|the\s+others?|the\s+other\s+(?:ones?|two|slots?|dates?)"
    r"|other\s+(?:ones|two)|the\s+rest|otherwise)\b"
)
# contrast: a clause after it without polarity of its own takes the opposite one
_CONTRAST = _fold_set({
    "aber", "sondern", "jedoch", "dafür", "stattdessen", "allerdings", "während", "but",
    "however", "instead", "whereas", "while",
})  # fmt: skip
# "alle außer Termin 2": the slots named after one of these take the opposite polarity
_EXCEPT = _fold_set({"außer", "ausser", "ausgenommen", "except", "excluding"})
# "Termin 2 statt 1", "lieber Termin 2 als 1": the slots after these are the ones not wanted
_INSTEAD = _fold_set({"statt", "anstatt"})
_THAN = _fold_set({"als", "than"})
_COMPARATIVE = _fold_set({
    "lieber", "besser", "eher", "mehr", "früher", "später", "rather", "better", "prefer",
    "preferred", "bevorzugen", "bevorzugt", "earlier", "later",
})  # fmt: skip
# past participles of accepting verbs: "hätte gepasst", "wäre gegangen" is no acceptance
_COUNTERFACTUAL = _fold_set({"gewesen", "gepasst", "gegangen", "geklappt"})
_LIST_WORDS = _fold_set({"und", "oder", "bzw", "sowie", "and", "or"})
# inside a clause without polarity of its own these mark the opposite one ("der 3.12. schon")
_CONTRAST_INSIDE = _fold_set({"schon", "hingegen", "dagegen", "wiederum"})
# what a bare choice ("Termin 2", "am 03.12. um 10 Uhr") may hold besides its references
_FILLER = _fold_set({
    "termin", "termine", "vorschlag", "vorschläge", "option", "variante", "slot", "nr",
    "nummer", "der", "die", "das", "den", "dem", "am", "um", "uhr", "hallo", "guten", "tag",
    "morgen", "danke", "vielen", "dank", "dann", "also", "zusammen", "hi", "hello",
    "thanks", "thank", "you", "the", "on", "at", "number", "no", "#", "sehr", "geehrte",
    "damen", "und", "herren", "liebe", "lieber", "grüße", "gruß",
})  # fmt: skip
# words that join two clauses (a list or a contrast)
_CLAUSE_WORDS = _CONTRAST | _LIST_WORDS
# "beide"/"both" is "all" only of two proposals
_BOTH = re.compile(r"\b(?:beide[nrs]?|both)\b")
_EVERY = re.compile(r"\b(?:alle|all)\b")
# a clause of only these is an interjection, no answer of its own
_INTERJECTIONS = _fold_set({"nein", "no", "nope", "danke", "thanks", "thank", "you", "sorry"})
_SAME = _fold_set({"auch", "ebenfalls", "genauso", "also", "too", "as", "ebenso"})

_TIME = r"(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?:uhr\b|h\b|(?P<ap>am|pm)\b)|(?P<h2>\d{1,2}):(?P<mi2>\d{2})\b|(?<=\bum\s)(?P<h3>\d{1,2})\b(?!\s*(?:\.\d|:\d))"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ATOM = _compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<num>\b\d{1,2}\.\d{1,2}\.(?:\d{4}\b|\d{2}\b)?)"
    rf"|(?P<dname>\b\d{{1,2}}\.?\s*(?:{_MONTH_NAMES})\b\.?(?:\s+\d{{4}}\b)?)"
    rf"|(?P<mname>\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?)"
    rf"|(?P<wd>\b(?:{'|'.join(_WEEKDAYS)})s?\b)"
    r"|(?P<wda>\b(?:mo|mon|di|tue|tues|mi|wed|thu|thur|thurs|fri)\b\.?|\bdo\.(?=\s|$))"
    rf"|(?P<time>{_TIME})"
)
# what may stand between the atoms of one date reference ("Dienstag, den 01.12. um 8 Uhr")
_GLUE = _compile(r"^[\s,]*(?:(?:den|am|um|ab|at|on|the|von)[\s,]+)*$")
_ABBREVIATIONS = _compile(r"\b(nr|bzw|ca|evtl|ggf|z\.b|u\.a|usw|etc|tel|vgl|inkl|zzgl)\.")
# a day of the month alone: "am 14.", "the 14th" (not "den 2. Vorschlag", "am 3. Dezember")
_DAY_ONLY = re.compile(
    r"\b(am|den|der|dem|the|on\s+the)\s+(\d{1,2})(?:\.|st|nd|rd|th)(?=[\s,;:!?.)]|$)"
    rf"(?!\s*(?:\d|termin|vorschlag|option|variante|slot|zeitfenster|one|choice|{_MONTH_NAMES}))"
)


@dataclass
class _Clause:
    words: list[str]
    refs: list[set[int]] = field(default_factory=list)  # each: slot indexes referred to
    all_ref: bool = False
    none_ref: bool = False
    others_ref: bool = False
    exceptions: list[set[int]] = field(default_factory=list)  # slots after "außer"/"except"
    polarity: int = 0  # +1, -1, 0 (none of its own)
    after_contrast: bool = False
    same: bool = False
    interjection: bool = False
    sentence: int = 0


@dataclass
class _Reading:
    accepted: set[int] = field(default_factory=set)
    refused: set[int] = field(default_factory=set)
    doubts: list[str] = field(default_factory=list)


def _slot_time(slot: datetime) -> tuple[int, int]:
    return slot.hour, slot.minute


def _atom_constraints(m: re.Match[str]) -> dict[str, object]:
    """One date/weekday/time atom as constraints on a slot."""
    text = m.group(0)
    if m["iso"]:
        y, mo, d = (int(p) for p in text.split("-"))
        return {"date": (d, mo), "year": y}
    if m["num"]:
        parts = [p for p in text.split(".") if p]
        out: dict[str, object] = {"date": (int(parts[0]), int(parts[1]))}
        if len(parts) > 2:
            out["year"] = int(parts[2]) % 100
        return out
    if m["dname"] or m["mname"]:
        day = int(re.search(r"\d{1,2}", text).group(0))  # type: ignore[union-attr]
        name = re.search(_MONTH_NAMES, text).group(0)  # type: ignore[union-attr]
        return {"date": (day, _MONTHS[name])}
    if m["wd"]:
        return {"weekday": _WEEKDAYS[text.rstrip("s") if text not in _WEEKDAYS else text]}
    if m["wda"]:
        name = text if text == "do." else text.rstrip(".")
        return {"weekday": _WEEKDAY_ABBREVIATIONS[name]}
    hour_text = m["h"] or m["h2"] or m["h3"]
    minute_text = m["mi"] or m["mi2"] or "0"
    hour = int(hour_text)
    if m["ap"] == "pm" and hour < 12:
        hour += 12
    return {"time": (hour, int(minute_text))}


def _match_slots(constraints: dict[str, object], slots: Sequence[datetime]) -> set[int]:
    hits: set[int] = set()
    for i, slot in enumerate(slots, start=1):
        date = constraints.get("date")
        if date is not None and (slot.day, slot.month) != date:
            continue
        year = constraints.get("year")
        if year is not None and slot.year % 100 != int(year) % 100:  # type: ignore[call-overload]
            continue
        weekday = constraints.get("weekday")
        if weekday is not None and slot.weekday() != weekday:
            continue
        time = constraints.get("time")
        if time is not None and _slot_time(slot) != time:
            continue
        hits.add(i)
    return hits


class _Reader:
    """One reply against ``slots``; collects references as placeholder words."""

    def __init__(self, slots: Sequence[datetime]) -> None:
        self.slots = slots
        self.n = len(slots)
        self.placeholders: list[tuple[set[int], str]] = []  # (slots, kind)
        self.doubts: list[str] = []

    def _placeholder(self, hits: set[int], kind: str) -> str:
        self.placeholders.append((hits, kind))
        return f" ref{len(self.placeholders) - 1}ref "

    def replace_dates(self, text: str) -> str:
        """Dates, weekdays and times become references (their digits are no slot numbers)."""
        atoms = list(_ATOM.finditer(text))
        groups: list[list[re.Match[str]]] = []
        for m in atoms:
            if groups and _GLUE.match(text[groups[-1][-1].end() : m.start()]):
                groups[-1].append(m)
            else:
                groups.append([m])
        out: list[str] = []
        pos = 0
        for group in groups:
            constraints: dict[str, object] = {}
            for m in group:
                constraints.update(_atom_constraints(m))
            out.append(text[pos : group[0].start()])
            pos = group[-1].end()
            if _MAIL_DATE.search(text[max(0, group[0].start() - 40) : group[0].start()]):
                out.append(" datum ")  # "Ihre Nachricht vom 08.01." names no slot
                continue
            hits = _match_slots(constraints, self.slots)
            kind = "time" if set(constraints) == {"time"} else "date"
            out.append(self._placeholder(hits, kind))
        out.append(text[pos:])
        return "".join(out)

    def day_ref(self, day: int) -> set[int]:
        """ "am 14.", "the 14th": the slots on that day; "der 2." may also be slot 2."""
        hits = {i for i, slot in enumerate(self.slots, start=1) if slot.day == day}
        if day <= self.n and hits != {day}:
            self.doubts.append("ambiguous_date")
            return set()
        return hits

    def number_ref(self, value: int) -> set[int]:
        if 1 <= value <= self.n:
            return {value}
        self.doubts.append("slot_not_offered")
        return set()


def _words(text: str) -> list[str]:
    return re.findall(r"ref\d+ref|[\w'#%]+", text)


def _sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, whether it ends with a question mark) per sentence."""
    parts = re.split(r"([!?;\n]+|\.(?=\s|$))", text)
    out: list[tuple[str, bool]] = []
    for k in range(0, len(parts), 2):
        end = parts[k + 1] if k + 1 < len(parts) else ""
        if parts[k].strip():
            out.append((parts[k], "?" in end))
    return out


def _split_clauses(sentence: str) -> list[tuple[list[str], bool]]:
    """(words, after a contrast) per clause of one sentence."""
    clauses: list[tuple[list[str], bool]] = []
    for part in re.split(r",|:|\s[-–]\s|\(|\)", sentence):
        current: list[str] = []
        contrast = False
        for word in _words(part):
            if word in _LIST_WORDS and _EXCEPT & set(current):
                current.append(word)  # "außer 1 und 2" is one list of exceptions
                continue
            if word in _CLAUSE_WORDS:
                if current:
                    clauses.append((current, contrast))
                current = []
                contrast = word in _CONTRAST
                continue
            current.append(word)
        if current:
            clauses.append((current, contrast))
    return [(words, contrast or bool(_CONTRAST_INSIDE & set(words))) for words, contrast in clauses]


def _clause_polarity(words: list[str], joined: str) -> int:
    positive = any(w in _POSITIVE for w in words) or bool(_POSITIVE_PHRASES.search(joined))
    stripped = _POSITIVE_PHRASES.sub(" ", joined)
    rest = _words(stripped)
    negation = any(w in _NEGATION for w in rest)
    strong_negative = any(w in _NEGATIVE and w not in _WEAK_NEGATIVE for w in rest)
    weak_negative = any(w in _WEAK_NEGATIVE for w in rest)
    if negation or strong_negative:
        return -1
    if positive:
        return 1
    if weak_negative:
        return -1
    return 0


def _read_clause(reader: _Reader, words: list[str]) -> _Clause:
    clause = _Clause(words=words)
    joined = " ".join(words)
    clause.polarity = _clause_polarity(words, joined)
    if clause.polarity > 0 and (
        _COUNTERFACTUAL & set(words) or re.search(r"\b(?:would|could|should)\s+have\b", joined)
    ):
        clause.polarity = 0  # "Termin 2 wäre super gewesen": what would have suited is no answer
    clause.same = any(w in _SAME for w in words)
    clause.none_ref = bool(_NONE.search(joined))
    clause.others_ref = bool(_OTHERS.search(joined))
    clause.all_ref = bool(_ALL.search(joined)) and not clause.others_ref and not clause.none_ref
    if clause.none_ref:
        clause.polarity = -1  # "keiner der Termine passt", "none of them work"
    exception_span = _exception_span(words)
    found: list[tuple[int, set[int]]] = []  # (position of the word, slots referred to)
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word.startswith("ref") and word.endswith("ref"):
            hits, kind = reader.placeholders[int(word[3:-3])]
            found.append((i, set(hits) | ({-1} if kind == "time" else set())))
            continue
        day = re.fullmatch(r"tag(\d{1,2})", word)
        if day:
            found.append((i, reader.day_ref(int(day.group(1)))))
            continue
        if word in _ORDINALS and nxt not in _ORDINAL_OTHER:
            found.append((i, reader.number_ref(_ORDINALS[word])))
            continue
        if word in _LAST and nxt not in _ORDINAL_OTHER and reader.n:
            found.append((i, {reader.n}))
            continue
        if (word in _EARLIER or word in _LATER) and prev in _DEFINITE and reader.n == 2:
            found.append((i, {1} if word in _EARLIER else {2}))
            continue
        value: int | None = None
        if word.isdigit() and len(word) <= 2:
            value = int(word)
        elif word in _NUMBER_WORDS and not _pronoun_one(words, i):
            value = _NUMBER_WORDS[word]
        if value is None:
            continue
        after_noun = bool(re.fullmatch(_SLOT_NOUNS, prev)) or _list_continues(words, i)
        if after_noun:
            found.append((i, reader.number_ref(value)))
        elif nxt in _COUNTED or prev in _LABELS:
            continue  # "2 Stunden", "Standort 2", "um 2": a count or a label
        elif nxt == "" or nxt in _FOLLOWERS or nxt.startswith("ref"):
            if (
                word in _NUMBER_WORDS
                and nxt == ""
                and prev not in ("", "die", "der", "the", "nur", "only")
            ):
                continue  # "wir sind zwei": a number word at the end counts people
            found.append((i, reader.number_ref(value)))
        elif word.isdigit():
            reader.doubts.append("number_not_understood")
    for index, ref in found:
        (clause.exceptions if index in exception_span else clause.refs).append(ref)
    if clause.all_ref and reader.n != 2 and _BOTH.search(joined) and not _EVERY.search(joined):
        # "Termin 2 und 3 passen beide": both named slots, not all three
        clause.all_ref = False
        if not found:
            reader.doubts.append("both_of_more")  # "Beide passen" to three proposals
    return clause


def _pronoun_one(words: list[str], i: int) -> bool:
    """English "one" is a pronoun ("the second one") unless it stands alone or after a slot noun."""
    prev = words[i - 1] if i else ""
    return words[i] == "one" and len(words) > 1 and not re.fullmatch(_SLOT_NOUNS, prev)


def _exception_span(words: list[str]) -> set[int]:
    """Positions of the words listed after "außer"/"except" ("außer Termin 1 und 2"), "statt"
    ("Termin 2 statt 1") or the "als" of a comparison ("lieber Termin 2 als Termin 1")."""
    span: set[int] = set()
    comparative = bool(_COMPARATIVE & set(words))
    for k, word in enumerate(words):
        if not (word in _EXCEPT or word in _INSTEAD or (word in _THAN and comparative)):
            continue
        for j in range(k + 1, len(words)):
            w = words[j]
            listed = (
                w.startswith("ref")
                or w.isdigit()
                or w in _NUMBER_WORDS
                or w in _ORDINALS
                or w in _LIST_WORDS
                or w in ("den", "dem", "der", "die", "the", "termin", "termine", "slot", "slots")
                or bool(re.fullmatch(_SLOT_NOUNS, w))
            )
            if not listed:
                break
            span.add(j)
    return span


def _list_continues(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` continues a numbered list started by a slot noun ("Termin 1, 2")."""
    j = i - 1
    while j >= 0 and (words[j].isdigit() or words[j] in _NUMBER_WORDS):
        j -= 1
    return j < i - 1 and j >= 0 and bool(re.fullmatch(_SLOT_NOUNS, words[j]))


# what a list item may hold besides its references ("Termin 1, 2 oder 3 passt")
_LIST_ITEM = _FILLER | _DEFINITE | _CONTRAST_INSIDE | _SAME | _fold_set({
    "nur", "anderen", "übrigen", "alle", "beide", "beiden", "sonst", "ansonsten", "rest",
    "others", "other", "ones", "all", "both", "any", "of", "them", "slots", "dates",
    "ist", "sind", "is", "are", "do", "does", "bei", "uns", "für", "us", "for", "wir", "we",
    "alternativ", "alternatively", "ersatzweise", "dass", "that", "zu", "früh", "morgens",
    "vormittag", "vormittags", "nachmittag", "nachmittags", "morning", "afternoon",
})  # fmt: skip


def _ref_word(word: str) -> bool:
    return (
        word.startswith("ref")
        or word.isdigit()
        or word in _NUMBER_WORDS
        or word in _ORDINALS
        or word in _LAST
        or bool(re.fullmatch(_SLOT_NOUNS, word))
    )


def _bare(words: list[str]) -> bool:
    """A clause of references and filler only: a list item that may take a neighbour's answer."""
    return all(_ref_word(w) or w in _LIST_ITEM for w in words)


def _negation_leads(words: list[str]) -> bool:
    """A negation before the clause's first reference: "nicht 2", "Hauptsache nicht Mittwoch"."""
    for word in words:
        if word in _NEGATION:
            return any(_ref_word(w) for w in words[words.index(word) + 1 :])
        if _ref_word(word):
            return False
    return False


def _contrast_base(clauses: list[_Clause], i: int) -> int:
    """The polarity a contrast turns round: of the nearest earlier clause of the sentence that
    answers a slot ("Wir stornieren Termin 2 und nehmen stattdessen Termin 3"), else of the
    clause right before it."""
    same = [c for c in clauses[:i] if c.sentence == clauses[i].sentence]
    for earlier in reversed(same):
        if earlier.polarity and _names_slots(earlier):
            return earlier.polarity
    return same[-1].polarity if same else 0


def _resolve(clauses: list[_Clause]) -> None:
    """Give clauses with references but no polarity the polarity of their neighbours."""
    for i, clause in enumerate(clauses):
        if clause.polarity or not (clause.refs or clause.all_ref or clause.others_ref):
            continue
        if not _bare(clause.words):
            continue  # "Der Dienstag ist bei uns Feiertag, Mittwoch passt": says its own thing
        prev = clauses[i - 1] if i and clauses[i - 1].sentence == clause.sentence else None
        before = _contrast_base(clauses, i)
        if clause.after_contrast and before:
            clause.polarity = -before
            continue
        if clause.same and prev is not None and prev.polarity:
            clause.polarity = prev.polarity
            continue
        for nxt in clauses[i + 1 :]:
            if nxt.sentence != clause.sentence:
                break
            if not nxt.polarity and not _bare(nxt.words):
                break  # "Termin 3 - das wird knapp, lieber 1": a statement ends the list
            if nxt.polarity:
                # "ich meinte Termin 3, nicht 2": a correction, no list
                correction = _negation_leads(nxt.words)
                if not nxt.after_contrast and not correction:
                    clause.polarity = nxt.polarity
                break
        if not clause.polarity and prev is not None and prev.polarity:
            clause.polarity = prev.polarity


_SYMBOL_YES = "👍👌✅✔☑🆗"
_SYMBOL_NO = "👎❌✖❎🚫⛔"
_SYMBOL_POLITE = "🙂😊😀😃😄😁☺🙏😉"


def _symbols(text: str) -> tuple[str, list[str]]:
    """Ticks and thumbs become words ("Termin 1 ✅ Termin 2 ❌"), smileys go; any other
    pictograph is a doubt: a reply must never read as a bare choice because a sign that
    answers it was dropped ("Termin 3 🤔")."""
    text = re.sub(f"[{_SYMBOL_YES}]\ufe0f?", " ok, ", text)
    text = re.sub(f"[{_SYMBOL_NO}]\ufe0f?", " nicht, ", text)
    text = re.sub(f"[{_SYMBOL_POLITE}\ufe0f\u200d\U0001f3fb-\U0001f3ff]", " ", text)
    text = re.sub(r"[:;]-?\)+", " ", text)  # ":-)"
    sad = re.search(r"[:;]-?\(+", text)  # "Termin 2 :(" refused? an agent reads it
    unknown = any(unicodedata.category(c) == "So" for c in text)
    return text, ["symbol_not_understood"] if sad or unknown else []


def _phone_word(m: re.Match[str]) -> str:
    """A phone number is no slot number; fewer than seven digits are no phone number."""
    return " telefon " if sum(c.isdigit() for c in m.group(0)) >= 7 else m.group(0)


def _normalise(text: str) -> str:
    """Phone numbers, glued and abbreviated slot numbers, days alone: into plain words."""
    text = _PHONE.sub(_phone_word, text)
    text = re.sub(r"(?<=\d)\s*[+&]\s*(?=\d)", " und ", text)  # "1+3 geht"
    text = re.sub(r"\bzur\s+not\b|\bnotfalls\b", " ", text)  # German "Not" is no negation
    text = re.sub(r"\bbis\s+auf\b", " ausser ", text)  # "alle bis auf Termin 2"
    text = re.sub(r"\bno\.\s*(?=\d)", "nr ", text)  # "No. 2" (a sentence's "no." is no)
    text = _ABBREVIATIONS.sub(r"\1 ", text)
    text = _DAY_ONLY.sub(r"\1 tag\2 ", text)
    text = re.sub(r"\b(termin|vorschlag|option|variante|slot|nr|nummer)(\d{1,2})\b", r"\1 \2", text)
    # "den 2. Vorschlag": an ordinal written as a number
    text = re.sub(
        r"\b(\d)\.\s+(?=termin|vorschlag|option|variante|zeitfenster|slot)", r"nr \1 ", text
    )
    return re.sub(r"#\s*(\d)", r"nr \1", text)


def _quiet_interjections(clauses: list[_Clause]) -> None:
    """A leading "Nein," before the answer, or "Nein danke" alone, names no slot; a lone
    "nein" among other sentences still answers (an inline answer under a quoted slot)."""
    for clause in clauses:
        alone = sum(c.sentence == clause.sentence for c in clauses) == 1
        only = all(set(c.words) <= _FILLER | _INTERJECTIONS for c in clauses if c is not clause)
        if clause.interjection and (not alone or only):
            clause.polarity = 0


def parse_reply(body: str, *, slots: Sequence[datetime]) -> ReplyResult:
    """Classify a reply to the numbered ``slots`` (local wall-clock start times, in order)."""
    text = own_text(body).casefold()
    if not text:
        return ReplyResult(ReplyKind.UNCLEAR, reason="empty")
    offered = set(range(1, len(slots) + 1))
    question = "?" in text
    text, symbol_doubts = _symbols(text)
    text = _fold(text.replace("’", "'").replace("n't", " not"))
    if _AUTO_REPLY.search(text):
        return ReplyResult(ReplyKind.UNCLEAR, reason="auto_reply")
    conditional = bool(_CONDITIONAL.search(_BENIGN_CONDITION.sub(" ", text)))
    text = _normalise(text)
    reader = _Reader(slots)
    reader.doubts.extend(symbol_doubts)
    text = reader.replace_dates(text)

    clauses: list[_Clause] = []
    cancel = reschedule = False
    for s_index, (sentence, asks) in enumerate(_sentences(text)):
        sentence_clauses: list[_Clause] = []
        for words, contrast in _split_clauses(sentence):
            clause = _read_clause(reader, words)
            clause.after_contrast = contrast
            clause.sentence = s_index
            if asks and not _names_slots(clause):
                clause.polarity = 0  # "Wie lange sind die Nummern nicht erreichbar?" asks
            clause.interjection = not sentence_clauses and set(words) <= _INTERJECTIONS
            sentence_clauses.append(clause)
            if _RESCHEDULE.search(" ".join(words)) and not any(
                w in ("nicht", "not") for w in words
            ):
                reschedule = True
                if not clause.refs:
                    clause.polarity = 0  # "andere Termine bitte" says nothing about a slot
        clauses.extend(sentence_clauses)
        cancel = _cancel_in(sentence_clauses) or cancel
    _quiet_interjections(clauses)
    _resolve(clauses)

    # lone times ("um 10 Uhr") count only when the reply names no slot otherwise
    has_other_refs = any(-1 not in r for c in clauses for r in c.refs) or any(
        c.all_ref or c.none_ref for c in clauses
    )
    reading = _Reading(doubts=list(reader.doubts))
    mentioned: set[int] = set()
    all_polarity: set[int] = set()
    # a reply that only names slots ("2", "Termin 2", "am 03.12. um 10 Uhr") accepts them
    bare_choice = all(c.polarity == 0 for c in clauses) and all(
        w.startswith("ref") or w.isdigit() or w in _FILLER or w in _NUMBER_WORDS or w in _ORDINALS
        for c in clauses
        for w in c.words
    )
    for clause in clauses:
        polarity = clause.polarity or (1 if bare_choice else 0)
        for ref in clause.refs:
            is_time = -1 in ref
            hits = ref - {-1}
            if is_time and has_other_refs:
                continue
            if not hits:
                if not is_time and polarity >= 0:
                    reading.doubts.append("date_not_offered")
                continue
            if len(hits) > 1 and polarity > 0:
                reading.doubts.append("ambiguous_date")
                continue
            mentioned |= hits
            if polarity > 0:
                reading.accepted |= hits
            elif polarity < 0:
                reading.refused |= hits
            else:
                reading.doubts.append("slot_without_answer")
        if clause.none_ref and clause.polarity <= 0:
            reading.refused |= offered
            mentioned |= offered
        elif clause.all_ref and polarity:
            all_polarity.add(polarity)
    for i, clause in enumerate(clauses):
        if not clause.exceptions:
            continue
        prev = clauses[i - 1] if i and clauses[i - 1].sentence == clause.sentence else None
        base = clause.polarity or (prev.polarity if prev is not None else 0)
        for ref in clause.exceptions:
            hits = ref - {-1}
            mentioned |= hits
            if base > 0:
                reading.refused |= hits
            elif base < 0:
                reading.accepted |= hits
            else:
                reading.doubts.append("slot_without_answer")
    # "alle ..., außer Termin 2": all but the slots answered the other way
    if all_polarity == {1}:
        reading.accepted |= offered - reading.refused
    elif all_polarity == {-1}:
        reading.refused |= offered - reading.accepted
    elif all_polarity:
        reading.doubts.append("accepted_and_refused")
    for clause in clauses:
        if clause.others_ref and clause.polarity:
            rest = offered - mentioned
            (reading.accepted if clause.polarity > 0 else reading.refused).update(rest)
    # a polar clause without references, next to references of the other polarity, is doubt
    ref_polarities = {
        c.polarity for c in clauses if c.refs or c.all_ref or c.none_ref or c.others_ref
    }
    for c in clauses:
        if (
            c.polarity
            and not (c.refs or c.all_ref or c.none_ref or c.others_ref)
            and -c.polarity in ref_polarities
            and c.polarity not in ref_polarities
        ):
            reading.doubts.append("answer_without_slot")
    # "Unser Techniker kann nur Termin 2, der Kunde aber nur Termin 3": a contrast that
    # accepts after an acceptance turns nothing round; an agent reads it
    for i, c in enumerate(clauses):
        turned = c.after_contrast and not c.same  # "…, but 1 is also OK" keeps the answer
        if turned and c.refs and c.polarity > 0 and _contrast_base(clauses, i) > 0:
            reading.doubts.append("contrast_without_turn")
    # "Termin 2 passt, aber unser Techniker ist krank": a reservation without a slot
    if reading.accepted and any(
        c.after_contrast and not _names_slots(c) and c.polarity <= 0 for c in clauses
    ):
        reading.doubts.append("reservation")
    if _NUMBERS_CHANGED.search(text):
        reading.doubts.append("numbers_changed")
    return _outcome(
        reading,
        offered,
        cancel=cancel,
        reschedule=reschedule,
        question=question,
        conditional=conditional,
        clauses=clauses,
    )


def _names_slots(clause: _Clause) -> bool:
    return bool(clause.refs or clause.all_ref or clause.none_ref or clause.others_ref)


def _cancel_in(clauses: list[_Clause]) -> bool:
    """An explicit, not negated wish to cancel the cutover in one sentence.

    The verb may be split over clauses ("den Umzug sagen wir aber ab"); the clause where
    it starts decides: a negation there ("nicht absagen") is no wish, and a slot named
    there ("Termin 2 müssen wir absagen") refuses that slot instead.
    """
    joined = " ".join(" ".join(c.words) for c in clauses)
    match = _CANCEL.search(joined)
    if match is None:
        return False
    position = 0
    for clause in clauses:
        position += len(" ".join(clause.words)) + 1
        if match.start() < position:
            if clause.refs:
                clause.polarity = -1
                return False
            allowed = match.group(0).startswith(("nicht mehr", "no longer"))
            if allowed or not any(w in _NEGATION for w in clause.words):
                return True
            clause.polarity = 0  # "Bitte nicht stornieren!" answers no slot
            return False
    return False


def _outcome(
    r: _Reading,
    offered: set[int],
    *,
    cancel: bool,
    reschedule: bool,
    question: bool,
    conditional: bool,
    clauses: list[_Clause],
) -> ReplyResult:
    accepted = tuple(sorted(r.accepted))
    refused = tuple(sorted(r.refused))
    if cancel:
        if question:
            return ReplyResult(ReplyKind.QUESTION, reason="question_about_cancelling")
        if accepted:
            return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason="cancel_and_accept")
        if r.doubts:  # "Wir hatten Termin 3 reserviert, bitte das stornieren": which?
            return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason=r.doubts[0])
        return ReplyResult(ReplyKind.CANCEL)
    if r.accepted & r.refused:
        return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason="accepted_and_refused")
    if conditional and accepted:
        return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason="conditional")
    if reschedule:
        if accepted:
            return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason="accept_and_reschedule")
        return ReplyResult(ReplyKind.RESCHEDULE, refused=refused)
    if r.doubts:
        return ReplyResult(ReplyKind.UNCLEAR, accepted, refused, reason=r.doubts[0])
    if question:
        return ReplyResult(ReplyKind.QUESTION, accepted, refused, reason="question")
    if accepted:
        return ReplyResult(ReplyKind.ACCEPT, accepted, refused)
    if refused:
        if set(refused) >= offered:
            return ReplyResult(ReplyKind.NONE_FIT, refused=refused)
        return ReplyResult(ReplyKind.REFUSE, refused=refused)
    polarities = {c.polarity for c in clauses if c.polarity}
    if polarities == {-1}:
        return ReplyResult(ReplyKind.NONE_FIT, refused=tuple(sorted(offered)))
    if polarities == {1} and len(offered) == 1:
        return ReplyResult(ReplyKind.ACCEPT, tuple(sorted(offered)))
    return ReplyResult(ReplyKind.UNCLEAR, reason="no_slot_named" if polarities else "no_answer")

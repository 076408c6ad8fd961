"""Understanding a partner's German e-mail reply to a list of numbered cutover slots.

Only the partner's own new text counts: quoted earlier mails (``>`` lines, "Am ...
schrieb ...", "-----Original Message-----", "Von: ...") and the signature ("-- ",
"Mit freundlichen Grüßen" onward) are cut first. Anything not clearly one of the
known answers is ``UNCLEAR`` and goes to an agent: guessing a cutover date is worse
than asking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["ReplyKind", "ReplyResult", "own_text", "parse_reply"]


class ReplyKind(StrEnum):
    ACCEPT = "accept"  # one or more of the proposed slots suit the partner
    REFUSE = "refuse"  # none of them suit
    OTHER_DATE = "other_date"  # asks for other proposals
    CANCEL = "cancel"  # withdraws the cutover
    UNCLEAR = "unclear"  # an agent must read it


@dataclass(frozen=True)
class ReplyResult:
    kind: ReplyKind
    choices: tuple[int, ...] = ()  # 1-based slot numbers, ascending

    @property
    def needs_agent(self) -> bool:
        return self.kind is ReplyKind.UNCLEAR


_QUOTE_HEADERS = re.compile(
    r"""^\s*(?:
        am\s.+\s(?:schrieb|hat)\b.*
      | on\s.+\swrote:?.*
      | -{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|weitergeleitete\s+nachricht)\s*-{2,}.*
      | (?:von|from)\s*:.*
      | _{5,}\s*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SIGNATURE = re.compile(
    r"""^\s*(?:
        --\s*
      | (?:mit\s+)?(?:freundlichen|besten|herzlichen|vielen|viele|beste|liebe|schöne)\s+grüßen?\b.*
      | (?:viele|beste|liebe|freundliche|herzliche)\s+grüße\b.*
      | mfg\b.*
      | gruß\b.*
      | grüße\b.*
      | sent\s+from\s+my\b.*
      | von\s+meinem\s+\w+\s+gesendet.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def own_text(body: str) -> str:
    """The reply's new text: no quoted mails, no signature."""
    kept: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(">"):
            continue
        if _QUOTE_HEADERS.match(line) or _SIGNATURE.match(line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


_CANCEL = re.compile(
    r"\b(absag\w*|sagen\s+\w*\s*ab|storn\w*|zurückzieh\w*|ziehen\s+\w*\s*zurück|abbrech\w*|kein\s+umzug)\b"
)
_OTHER = re.compile(
    r"\b(ander(?:e|en|er)\s+(?:termin\w*|vorschl\w*|zeit\w*|tag\w*)|neue[nr]?\s+(?:termin\w*|vorschl\w*)|alternativ\w*|verschieb\w*|später\w*\s+termin)\b"
)
_REFUSE = re.compile(
    r"\b(keine?r?\s+(?:der\s+\w+\s+)?(?:passt|geht|möglich|termin\w*|vorschl\w*)|passt\s+(?:uns\s+|mir\s+)?(?:leider\s+)?nicht|geht\s+(?:uns\s+|mir\s+)?(?:leider\s+)?nicht|leider\s+nicht|nicht\s+möglich|können\s+(?:wir\s+)?(?:leider\s+)?nicht|kann\s+(?:ich\s+)?(?:leider\s+)?nicht)\b"
)
_POSITIVE = re.compile(
    r"\b(passt|passen|geht|gehen|nehmen|nehme|ok|okay|einverstanden|bestätig\w*|gerne?|wähle\w*|möglich|recht|perfekt|prima|gut|ja)\b"
)
_ORDINALS = {
    "erste": 1, "ersten": 1, "erster": 1, "erstes": 1,
    "zweite": 2, "zweiten": 2, "zweiter": 2, "zweites": 2,
    "dritte": 3, "dritten": 3, "dritter": 3, "drittes": 3,
    "vierte": 4, "vierten": 4, "vierter": 4, "viertes": 4,
    "fünfte": 5, "fünften": 5, "fünfter": 5, "fünftes": 5,
}  # fmt: skip
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b")
# "03.12.", "3.12.2026", "03.12.26" optionally followed by a time "um 10 Uhr", "10:30", "10.30 Uhr"
_DATE = re.compile(
    r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{2}|\d{4})\b)?"
    r"(?:\s*,?\s*(?:um|ab|von)?\s*(?P<h>\d{1,2})(?:[:.](?P<min>\d{2}))?\s*(?:uhr|h)?\b)?"
)
_TIME = re.compile(
    r"\b(?:um\s+)?(?P<h>\d{1,2})(?:[:.](?P<min>\d{2}))?\s*uhr\b|\b(?P<h2>\d{1,2}):(?P<min2>\d{2})\b"
)
_NUMBER = re.compile(r"(?<![\d.:,/])\b(\d{1,2})\b(?![\d:/]|\.\d)")
_FILLER = re.compile(
    r"\b(termin|termine|vorschlag|vorschläge|option|nr|nummer|und|oder|bzw|sowie|auch|slot|der|die|das|den|dem|wir|ich|uns|mir|hallo|guten\s+tag|danke|vielen\s+dank|bitte|beide|beides)\b|[^\w\s]"
)


def _date_choices(text: str, slots: Sequence[datetime]) -> tuple[set[int], str, bool]:
    """Slots matched by written-out dates, the text without those dates, and whether a date missed."""
    chosen: set[int] = set()
    missed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missed
        day, month = int(match["d"]), int(match["m"])
        year = match["y"]
        hour = int(match["h"]) if match["h"] else None
        minute = int(match["min"]) if match["min"] else 0
        hits = []
        for i, slot in enumerate(slots, start=1):
            if (slot.day, slot.month) != (day, month):
                continue
            if year and slot.year % 100 != int(year) % 100:
                continue
            if hour is not None and (slot.hour, slot.minute) != (hour, minute):
                continue
            hits.append(i)
        if len(hits) == 1:
            chosen.add(hits[0])
        else:  # no slot then, or two slots that day and no time given: ambiguous
            missed = True
        return " "

    rest = _DATE.sub(replace, text)
    return chosen, rest, missed


def parse_reply(body: str, *, slots: Sequence[datetime]) -> ReplyResult:
    """Classify a reply to the numbered ``slots`` (local wall-clock start times, in order)."""
    text = own_text(body).casefold()
    if not text:
        return ReplyResult(ReplyKind.UNCLEAR)
    if _CANCEL.search(text):
        return ReplyResult(ReplyKind.CANCEL)
    by_date, rest, missed = _date_choices(text, slots)
    rest = _TIME.sub(" ", rest)  # a lone time ("um 10 Uhr") is no slot number
    numbers = [int(n) for n in _NUMBER.findall(rest)]
    numbers += [_ORDINALS[w] for w in _ORDINAL.findall(rest)]
    valid = {n for n in numbers if 1 <= n <= len(slots)}
    foreign = [n for n in numbers if not 1 <= n <= len(slots)]
    choices = by_date | valid
    negative = bool(_REFUSE.search(text))
    other = bool(_OTHER.search(text))
    if choices:
        # a choice next to a refusal, a foreign number or an unmatched date is ambiguous
        if negative or other or foreign or missed:
            return ReplyResult(ReplyKind.UNCLEAR)
        leftover = _POSITIVE.sub(" ", _FILLER.sub(" ", _ORDINAL.sub(" ", _NUMBER.sub(" ", rest))))
        if _POSITIVE.search(text) or not leftover.split() or by_date:
            return ReplyResult(ReplyKind.ACCEPT, tuple(sorted(choices)))
        return ReplyResult(ReplyKind.UNCLEAR)
    if missed:
        return ReplyResult(ReplyKind.UNCLEAR)
    if other:
        return ReplyResult(ReplyKind.OTHER_DATE)
    if negative:
        return ReplyResult(ReplyKind.REFUSE)
    return ReplyResult(ReplyKind.UNCLEAR)

"""Ordinal references to numbers named before ("die zweitgenannte", "die beiden
erstgenannten", "die letztgenannte"): which items of a list they pick. Shared by the
statement rules (``roles``, within one sentence) and ``references`` (across sentences).
Texts are folded (umlauts as plain letters) before they are matched."""

from __future__ import annotations

import re

__all__ = ["ORDINAL", "picked"]

_ORDINALS = {
    "erst": 1,
    "zweit": 2,
    "dritt": 3,
    "viert": 4,
    "funft": 5,
    "sechst": 6,
    "siebt": 7,
    "acht": 8,
    "neunt": 9,
    "zehnt": 10,
    "letzt": -1,
}
_STEMS = r"(erst|zweit|dritt|viert|funft|sechst|siebt|acht|neunt|zehnt|letzt)"
# "die zweitgenannte", "der erstgenannten Rufnummer"; and a plain ordinal after an
# article that stands for a number ("die zweite verbleibt", "die dritte nicht", "die
# letzte Rufnummer"), not one before another noun ("die erste Rate", "unserer ersten
# Auskunft").
ORDINAL = re.compile(
    rf"(?i:\b{_STEMS}\s*-?\s*genannte\w*)"
    rf"|(?i:\b(?:die|der|den|dem|das)\s+{_STEMS})e[nr]?\b"
    r"(?=\s*(?:[,;.:!?)]|$)|\s+(?i:(?:ruf)?nummer|anschluss)|\s+[a-zäöüß])"
)

# "die beiden erstgenannten", "die drei letztgenannten": how many items from that end.
_COUNT = re.compile(r"\b(beiden|zwei|drei|vier|funf)\s+$", re.IGNORECASE)
_COUNT_AFTER = re.compile(r"\s+(beiden|zwei|drei|vier|funf)\b", re.IGNORECASE)
_COUNTS = {"beiden": 2, "zwei": 2, "drei": 3, "vier": 4, "funf": 5}
# "der erstgenannten Rufnummer": a singular after all
_SINGULAR_NOUN = re.compile(r"\s+(?:ruf)?nummer\b|\s+anschluss\b", re.IGNORECASE)


def picked(m: re.Match[str], sentence: str, size: int, *, strict: bool) -> list[int] | None:
    """The 0-based items an ordinal picks from a list of ``size``, or None when it
    cannot be told (a position beyond the list; with ``strict``, a plural without a
    count, "die erstgenannten")."""
    stem = m.group(1) or m.group(2)
    k = _ORDINALS[stem.lower()]
    count = _COUNT.search(sentence[max(0, m.start() - 12) : m.start()]) or _COUNT_AFTER.match(
        sentence, m.end()
    )
    if count is not None:
        n = _COUNTS[count.group(1).lower()]
        if k not in (1, -1) or n > size:
            return None
        return list(range(n)) if k == 1 else list(range(size - n, size))
    plural = m.group(0).lower().endswith(("genannten", "ersten", "letzten"))
    if strict and plural and not _SINGULAR_NOUN.match(sentence, m.end()):
        return None
    k = size if k == -1 else k
    return [k - 1] if 1 <= k <= size else None

"""Statements that point at numbers instead of naming them, and numbers that are only
part of what they name.

Five rules close false approvals the red teams found; each one can only take a number
out of ``transfer`` (or turn a bare stem into the block the letter describes), never
hand one over that a statement of the letter decided otherwise:

* a keep-back statement that names no number but refers to one ("die zweitgenannte
  Rufnummer ... können wir nicht übergeben", "die o. g. Nummer verbleibt") keeps back
  the item it refers to, or leaves the referenced list unclear when the reference
  cannot be resolved (``apply_references``);
* several "number  Übergabe: ja/nein" pairs on one text line: each status belongs to
  the number it follows in its own segment; when the pairing is not certain, every
  number of the line is unclear (``status_segment``);
* a number in brackets after a person ("Herrn Brink (0251 ...)", "erreichbar unter")
  is that person's line, even inside a handover sentence (``person_contact``);
* a number labelled as the stem of a PBX block ("Stammnummer", "Kopfnummer",
  "Anlagenanschluss") or followed by extension wording ("Durchwahlen 00 - 99") is never
  a single number: it becomes the block when the extensions are certain (digits or
  German number words), otherwise unclear (``apply_stems``);
* a letter set out in numbered sections ("3. Nicht übergebene Rufnummern. 3.1 …"): the
  section's heading and a statement about the section ("die in Ziffer 3 genannten
  Rufnummern verbleiben") keep back every number in it; a handover heading only decides
  numbers whose own statement says nothing (``apply_sections``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from text_to_num import alpha2digit

from parsers import numbers
from parsers._statement_ordinals import ORDINAL, picked
from parsers.model import FoundNumber, Role
from parsers.roles import fold, has_handover_wording, has_keep_back_wording, split_sentences

if TYPE_CHECKING:
    from parsers.findings import Unit

__all__ = [
    "apply_references",
    "apply_sections",
    "apply_stems",
    "person_contact",
    "statement_spans",
    "status_segment",
]

# --- a number attached to a person ---------------------------------------------------

# Text right before the number: a person and an opening bracket ("Herrn Brink (",
# "Ihrem Ansprechpartner Herrn Dr. Kluge (Tel. "), "(unter ", or "erreichbar unter".
_PERSON_BEFORE = re.compile(
    r"(?:\b(?i:herrn?|frau|ansprechpartner(?:in)?|kolleg(?:e|en|in))\b"
    r"(?:\s+(?i:dr|prof)\.?)*(?:\s+[A-ZÄÖÜ][\w\-.]*){0,3}\s*\(\s*"
    r"(?i:(?:tel(?:efon)?|fon|mobil|durchwahl)\.?\s*:?\s*|unter\s+)?"
    r"|\(\s*(?i:unter)\s+"
    r"|\b(?i:erreichbar|zu\s+erreichen)\s+(?:\w+\s+){0,3}?(?i:unter)\s*:?\s*\(?)$"
)
# Text right after it: "(0251 ...) erreichbar", "030 ... zu erreichen".
_PERSON_AFTER = re.compile(r"^\s*\)?\s*,?\s*(?i:erreichbar|zu\s+erreichen)\b")


def person_contact(before: str, after: str) -> str | None:
    """A short reason when the number is a person's contact line, else None."""
    if _PERSON_BEFORE.search(before[-80:]):
        return "person"
    if _PERSON_AFTER.search(after[:40]):
        return "reachable"
    return None


# --- several numbers with their statuses on one line --------------------------------

# "Übergabe: ja", "Status: verbleibt", "Umzug: ✓": a label, a colon and a value that is
# a word or a mark, not digits (so "Tel: 030 ..." is no status); or a dash and a status
# word ("0221 925540 – ja | 0221 2419011 – nein").
_STATUS = re.compile(
    r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß\-]*\s*:\s*(?:[^\W\d_]+|[✓✔✗✘☒☐xX–\-])"
    r"|\s[–—-]\s*(?:(?i:ja|nein|übergeben|übergabe|verbleibt|verbleiben|bleibt|entfällt)\b|[✓✔✗✘☒☐])"
)


def status_segment(
    text: str, spans: Sequence[tuple[int, int]], start: int
) -> tuple[int, int, bool, str] | None:
    """For a line holding several numbers (``spans``) and several statuses: the
    segment of the number starting at ``start`` (from it to the next number), whether
    the pairing is certain, and the line's words before its first number (a heading
    such as "Übergabe je Rufnummer:" that every segment is read with). Certain means no
    status before the first number and exactly one status in every number's segment.
    None when the rule does not apply (fewer than two numbers or two statuses)."""
    starts = sorted(s for s, _e in spans)
    statuses = [m.start() for m in _STATUS.finditer(text)]
    if len(starts) < 2 or len(statuses) < 2 or start not in starts:
        return None
    bounds = [*starts, len(text)]
    counts = [sum(1 for p in statuses if a <= p < b) for a, b in itertools.pairwise(bounds)]
    certain = all(c == 1 for c in counts) and statuses[0] > starts[0]
    i = starts.index(start)
    return bounds[i], bounds[i + 1], certain, text[: starts[0]]


# --- a stem with its extensions ------------------------------------------------------

_STEM_LABEL = re.compile(
    r"(stamm(?:ruf)?nummer|kopf(?:ruf)?nummer|anlagenanschluss\w*|anlagenrufnummer|"
    r"hauptrufnummer|basisrufnummer)\W{0,40}$",
    re.IGNORECASE,
)
_EXTENSION_WORD = re.compile(r"\b(durchwahl\w*|nebenstelle\w*)", re.IGNORECASE)
_LINE_START_EXTENSION = re.compile(r"^\W*(durchwahl\w*|nebenstelle\w*|dw\b)", re.IGNORECASE)
# The extension range after the extension word: "....... 00 - 99", "von 0 bis 99",
# "null bis neunundneunzig" (number words are turned into digits first).
_EXTENSION_RANGE = re.compile(
    r"^[^\d]{0,40}?(?<![\d])-?(\d{1,4})\s*(?:-|–|—|bis(?:\s+zur?|\s+einschließlich)?|\.\.)\s*"
    r"-?(\d{1,4})(?![\d])(?!\s?\d)",
    re.IGNORECASE,
)
_CARVE_OR_DOUBT = re.compile(
    r"(ausgenommen|ausnahme|\bausser\b|\bohne\b|exklusive|abgesehen|\bbis\s+auf\b|\bob\b|"
    r"\bfalls\b|\bsofern\b|eventuell|\bevtl|\bggf|vorbehalt|noch\s+offen|unklar)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÄÖÜ])")


def _extension_range(text: str) -> tuple[str, str] | None:
    words = _EXTENSION_WORD.search(text)
    if words is None:
        return None
    rest = alpha2digit(text[words.end() :], "de", threshold=0)
    m = _EXTENSION_RANGE.match(rest)
    if m is None:
        return None
    lo, hi = m.group(1), m.group(2)
    if int(lo) > int(hi) or (len(lo) != len(hi) and int(lo) != 0):
        return None
    return lo.zfill(len(hi)), hi


def _positions(blocks: Sequence[Sequence[Unit]], region: str) -> list[tuple[int, int, int, int]]:
    """Every number written in the blocks as (block, unit, start, end) in its unit."""
    out: list[tuple[int, int, int, int]] = []
    for b, block in enumerate(blocks):
        for k, u in enumerate(block):
            out.extend(
                (b, k, m.start, m.end) for m in numbers.find_numbers(u.line.text, region=region)
            )
    return out


def _found_at(found: list[FoundNumber], u: Unit, start: int, end: int) -> int | None:
    box = u.line.bbox_of(start, end)
    for i, n in enumerate(found):
        if n.page == u.page and n.bbox == box:
            return i
    return None


def apply_stems(
    blocks: Sequence[Sequence[Unit]], found: list[FoundNumber], *, region: str = "DE"
) -> list[FoundNumber]:
    """Read a stem with its extensions as the block; a stem whose extensions cannot
    be read is unclear. Only numbers marked ``transfer`` as a single number change."""
    out = list(found)
    flat = [u for block in blocks for u in block]
    for b, k, start, end in _positions(blocks, region):
        u = blocks[b][k]
        i = _found_at(out, u, start, end)
        if i is None or out[i].role is not Role.TRANSFER or not out[i].range.is_single:
            continue
        text = u.line.text
        tail = text[end:]
        if k + 1 < len(blocks[b]):
            tail += " " + blocks[b][k + 1].line.text  # the statement may run on
        nxt = next((m.start for m in numbers.find_numbers(tail, region=region)), len(tail))
        after = tail[:nxt]
        cut = _SENTENCE_END.search(after)
        if cut:
            after = after[: cut.start()]
        labelled = bool(_STEM_LABEL.search(text[:start]))
        extension = after if _EXTENSION_WORD.search(after) else ""
        if extension and nxt < len(tail) and _extension_range(extension) is None:
            # "die Rufnummer X, ferner die Durchwahlnummern Y-10 bis Y-39": the extension
            # wording introduces the next number, not extensions of this one
            extension = ""
        pos = flat.index(u)
        if not extension and not re.search(r"\w", text[end:]) and pos + 1 < len(flat):
            # the number ends its line: "Durchwahlen ....... 00 - 99" on the line below
            below = flat[pos + 1]
            if below.page == u.page and _LINE_START_EXTENSION.match(below.line.text):
                extension = below.line.text
        if not labelled and not extension:
            continue
        ext = _extension_range(extension) if extension else None
        if ext and (has_keep_back_wording(extension) or _CARVE_OR_DOUBT.search(fold(extension))):
            ext = None  # "Durchwahlen 10 - 19 verbleiben", "00 - 99 außer 50": not certain
        block = numbers.block_from_parts("", out[i].text, *ext, region=region) if ext else None
        if block is None or block.is_single:
            out[i] = replace(out[i], role=Role.UNCLEAR, why="stem:extensions_unread")
        else:
            out[i] = replace(out[i], range=block, why=f"{out[i].why};stem:block")
    return out


# --- a keep-back statement that refers to a number by position ----------------------

# A reference back with no position: "diese Rufnummer", "die o. g. Nummer", "vorgenannte".
_BACK_REFERENCE = re.compile(
    r"\b(?:diese[rsmn]?|dieselbe\w*|selbige\w*)\s+(?:\w+\s+)?(?:ruf)?nummer\w*"
    r"|\bo\.\s?g\.|\boben\s*(?:-\s*)?genannt\w*|\bvor(?:-\s*)?genannt\w*|\bvorstehend\w*|"
    r"\bobig\w*|\bbereits\s+genannt\w*|\bzuvor\s+genannt\w*",
    re.IGNORECASE,
)
_NOTE_MARK = re.compile(r"^\s*(?:\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d\)|†)")
_OG = re.compile(r"\bo\.\s?g\.", re.IGNORECASE)
_CLAUSE = re.compile(r"[;,]|:\s|\s[–—-]\s")


def _clause_of(text: str, pos: int) -> str:
    lo = max((m.end() for m in _CLAUSE.finditer(text) if m.end() <= pos), default=0)
    hi = min((m.start() for m in _CLAUSE.finditer(text) if m.start() >= pos), default=len(text))
    return text[lo:hi]


def _listed_before(
    blocks: Sequence[Sequence[Unit]],
    found: list[FoundNumber],
    positions: list[tuple[int, int, int, int]],
    b: int,
    offset: int,
) -> list[int]:
    """Indices into ``found`` of the list a statement at ``offset`` in block ``b``
    refers back to: the numbers of the nearest earlier sentence of the block that names
    any, else the run of number-bearing blocks right above it (with any table between
    them and the statement)."""
    units = blocks[b]
    starts, pos = [], 0
    for u in units:
        starts.append(pos)
        pos += len(u.line.text) + 1
    text = " ".join(u.line.text for u in units)
    here = [(starts[k] + s, k, s, e) for bb, k, s, e in positions if bb == b]
    earlier = [h for h in here if h[0] < offset]
    if earlier:
        spans = split_sentences(text)
        last = max(h[0] for h in earlier)
        lo = max((s for s, _e in spans if s <= last), default=0)
        hits = [h for h in earlier if h[0] >= lo]
        idx = [_found_at(found, units[k], s, e) for _o, k, s, e in hits]
        return [i for i in idx if i is not None]
    # walk back over blocks: the number-bearing run just above, stopped by its intro
    first = units[0]
    stop: Unit | None = None
    seen = False
    for bb in range(b - 1, -1, -1):
        if blocks[bb][0].zone not in ("body", "postscript"):
            continue  # the signature block's own lines ("Tel. direkt ...") are no list
        has = any(p[0] == bb for p in positions)
        if has:
            seen = True
        elif seen or blocks[bb][0].page != first.page:
            stop = blocks[bb][-1]
            break
    lo_key = (stop.page, stop.line.bottom) if stop is not None else (0, float("-inf"))
    hi_key = (first.page, first.line.top)
    out = []
    for i, n in enumerate(found):
        if n.role is Role.CONTACT or n.bbox is None:
            continue
        key = (n.page, (n.bbox[1] + n.bbox[3]) / 2)
        if lo_key < key < hi_key:
            out.append(i)

    def reading(i: int) -> tuple[int, float, float]:
        box = found[i].bbox or (0.0, 0.0, 0.0, 0.0)
        return found[i].page, box[1], box[0]

    return sorted(out, key=reading)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a block's text as references read them ("o. g." ends none)."""
    protected = _OG.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    return split_sentences(protected)


def apply_references(
    blocks: Sequence[Sequence[Unit]],
    found: list[FoundNumber],
    *,
    region: str = "DE",
    handled: set[tuple[int, int, int]] | None = None,
) -> list[FoundNumber]:
    """Keep back the numbers a keep-back statement refers to by position, by "diese
    Rufnummer" or by their last digits; when the reference cannot be resolved, the
    numbers it may mean are left unclear. A statement that hands over by position
    ("Übergeben werden die beiden erstgenannten") hands over only items no statement
    decided. A statement that names numbers of its own is read by ``classify``.
    ``handled`` collects (block, start, end) of every sentence read as a reference."""
    out = list(found)
    positions = _positions(blocks, region)
    for b, block in enumerate(blocks):
        if block[0].zone not in ("body", "postscript"):
            continue
        text = " ".join(u.line.text for u in block)
        if _NOTE_MARK.match(text):
            continue  # a footnote speaks of the number marked for it
        for s, e in statement_spans(text):
            sentence = fold(text[s:e])
            if numbers.find_numbers(text[s:e], region=region):
                continue
            if sentence.rstrip().endswith(":"):
                continue  # "Diese Rufnummern bleiben bei uns:" introduces the list below
            refers = _by_ending(sentence, out) or _by_position(
                blocks, out, positions, b, s, sentence
            )
            if refers and handled is not None:
                handled.add((b, s, e))
    return out


def _by_position(
    blocks: Sequence[Sequence[Unit]],
    out: list[FoundNumber],
    positions: list[tuple[int, int, int, int]],
    b: int,
    s: int,
    sentence: str,
) -> bool:
    """Apply an ordinal or "diese Rufnummer" reference in ``sentence`` (in place);
    whether the sentence was one that refers back to a list it found."""
    ordinals = list(ORDINAL.finditer(sentence))
    generic = list(_BACK_REFERENCE.finditer(sentence))
    if not (ordinals or generic):
        return False
    keeps = has_keep_back_wording(sentence)
    if not keeps and not _hands_over(sentence):
        return False
    listed = _listed_before(blocks, out, positions, b, s)
    if not listed:
        return False
    if not keeps:
        _hand_over(out, listed, ordinals, sentence)
        return True
    targets: set[int] = set()
    unresolved = False
    if ordinals:
        kept = [m for m in ordinals if has_keep_back_wording(_clause_of(sentence, m.start()))]
        _hand_over(out, listed, [m for m in ordinals if m not in kept], sentence)
        for m in kept or ordinals:
            items = picked(m, sentence, len(listed), strict=False)
            if items is None:
                unresolved = True
            else:
                targets.update(listed[k] for k in items)
        if not kept and len(ordinals) > 1:
            unresolved = True  # several positions, none keeps back on its own
    elif len(listed) == 1:
        targets.add(listed[0])
    else:
        unresolved = True
    if targets and not unresolved:
        _hand_over_the_others(out, listed, targets, sentence)
    for i in listed:
        n = out[i]
        if i in targets and n.role in (Role.TRANSFER, Role.UNCLEAR):
            out[i] = replace(n, role=Role.EXCLUDED, why="reference:kept_back")
        elif unresolved and n.role is Role.TRANSFER:
            out[i] = replace(n, role=Role.UNCLEAR, why="reference:unresolved")
    return True


def _hands_over(sentence: str) -> bool:
    """Handover wording with no doubt and no keep-back of its own."""
    return has_handover_wording(sentence) and not _DOUBT.search(sentence)


_DOUBT = re.compile(
    r"(\bob\b|\bfalls\b|\bsofern\b|vorbehalt|eventuell|\bevtl|\bggf|noch\s+offen|unklar|"
    r"\bspater|\berst\s+(?:nach|wenn|ab|mit|sobald|dann|bei|zum|zur)\b|\bsobald\b|"
    r"gesondert|\bnicht\b|\bkein|andernfalls|ansonsten|bedingung)",
    re.IGNORECASE,
)


def _hand_over(
    out: list[FoundNumber], listed: list[int], ordinals: list[re.Match[str]], sentence: str
) -> None:
    """Hand over the items ordinals pick in clauses that hand over (in place). Only a
    number no statement decided (``no_handover_wording``) changes, and only when every
    ordinal of the clause resolves: a reference never overrides a keep-back or doubt."""
    for m in ordinals:
        clause = _clause_of(sentence, m.start())
        if not _hands_over(clause) or has_keep_back_wording(clause):
            continue
        items = picked(m, sentence, len(listed), strict=True)
        for k in items or ():
            n = out[listed[k]]
            if n.role is Role.UNCLEAR and n.why == "no_handover_wording":
                out[listed[k]] = replace(n, role=Role.TRANSFER, why="reference:handed_over")


# "die beiden anderen werden übergeben", "die übrigen geben wir frei"
_THE_OTHERS = re.compile(
    r"\b(?:die|den)\s+(?:(beiden|zwei|drei|vier|funf)\s+)?(?:anderen|ubrigen|restlichen|weiteren)\b",
    re.IGNORECASE,
)


def _hand_over_the_others(
    out: list[FoundNumber], listed: list[int], targets: set[int], sentence: str
) -> None:
    """ "Die erstgenannte verbleibt, die beiden anderen werden übergeben": a clause that
    hands over "the others" of a list whose kept-back item was found hands over the
    rest (in place), when its count (if any) fits; only undecided numbers change."""
    rest = [i for i in listed if i not in targets]
    for m in _THE_OTHERS.finditer(sentence):
        clause = _clause_of(sentence, m.start())
        if not _hands_over(clause) or has_keep_back_wording(clause):
            continue
        if m.group(1) and _COUNT_WORDS[m.group(1).lower()] != len(rest):
            continue
        for i in rest:
            n = out[i]
            if n.role is Role.UNCLEAR and n.why == "no_handover_wording":
                out[i] = replace(n, role=Role.TRANSFER, why="reference:handed_over")


_COUNT_WORDS = {"beiden": 2, "zwei": 2, "drei": 3, "vier": 4, "funf": 5}


# "die Rufnummer mit der Endung 773", "die auf -29 endende Nummer", "Endziffern 12".
_ENDING = re.compile(
    r"\b(?:endung|endziffer\w*|endnummer|endstelle\w*)\s*(?:auf\s*)?[-–„\"]?\s*(\d{2,6})\b"
    r"|\bende(?:t|n)\s+(?:auf|mit)\s*[-–„\"]?\s*(\d{2,6})\b"
    r"|\bauf\s*[-–„\"]?\s*(\d{2,6})\W{0,2}\s+endende\w*",
    re.IGNORECASE,
)


def _ends_with(n: FoundNumber, digits: str) -> bool:
    """Whether the number (or a member of the block) ends in ``digits``."""
    size: int = 10 ** len(digits)
    want = int(digits)
    lo, hi = int(n.range.lo), int(n.range.hi)
    first = lo - lo % size + want
    if first < lo:
        first += size
    return first <= hi


def _by_ending(sentence: str, out: list[FoundNumber]) -> bool:
    """A keep-back statement naming a number by its last digits ("P.S.: Die Rufnummer
    mit der Endung 773 verbleibt bei uns") keeps back the one number of the letter that
    ends so; when several could be meant (or a block holds such a member), they are all
    left unclear. Whether the sentence was such a reference that found a number."""
    endings = [next(g for g in m.groups() if g) for m in _ENDING.finditer(sentence)]
    if not endings or not has_keep_back_wording(sentence):
        return False
    hits = [
        i
        for i, n in enumerate(out)
        if n.role is not Role.CONTACT and any(_ends_with(n, d) for d in endings)
    ]
    if not hits:
        return False
    certain = len(endings) == 1 and len(hits) == 1 and out[hits[0]].range.is_single
    for i in hits:
        n = out[i]
        if certain and n.role in (Role.TRANSFER, Role.UNCLEAR):
            out[i] = replace(n, role=Role.EXCLUDED, why="reference:kept_back")
        elif n.role is Role.TRANSFER:
            out[i] = replace(n, role=Role.UNCLEAR, why="reference:unresolved")
    return True


# --- numbered sections ("3. Nicht übergebene Rufnummern.") ---------------------------

# A row that opens a numbered section: "3. " and a word (a "3.1" sub-clause, or a list
# of numbers "1. 030 …", opens none).
_SECTION_START = re.compile(r"^\s*(?:§\s*)?(?P<n>\d{1,2})\.\s+(?P<rest>[^\d\s].*)$")
_HEADING_WORDS = 6  # a section's heading: at most this many words, no digits
# "die in Ziffer 3 genannten Rufnummern", "unter Punkt 2 und 3 aufgeführt", "Abschnitt
# 2.2": a statement about the numbers of a section (a sub-clause counts as its section).
_SECTION_REF = re.compile(
    r"\b(?:ziffer[n]?|ziff\.|punkt(?:e|en)?|abschnitt(?:e|en)?|abs\.|nr\.|§)\s*"
    r"(?P<n>\d{1,2}(?:\.\d{1,2})?(?:\s*(?:,|und|sowie|oder|bis)\s*\d{1,2}(?:\.\d{1,2})?)*)"
    r"(?!\d)",
    re.IGNORECASE,
)
_SECTION_VERB = re.compile(
    r"\b(?:genannt|aufgef[uü]hrt|aufgelistet|gelistet|bezeichnet|angegeben|aufgez[aä]hlt)\w*",
    re.IGNORECASE,
)


def _section_starts(blocks: Sequence[Sequence[Unit]]) -> list[tuple[int, int, int, str]]:
    """(block, unit, section number, heading) of every row that opens a numbered
    section, kept only where the numbering runs on (3. follows 2.): a lone "1." is a
    list item or a date, not a letter set out in clauses."""
    found: list[tuple[int, int, int, str]] = []
    for b, block in enumerate(blocks):
        for k, u in enumerate(block):
            m = _SECTION_START.match(u.line.text)
            if u.zone != "body" or m is None:
                continue
            rest = m.group("rest")
            spans = split_sentences(rest)
            first = rest[spans[0][0] : spans[0][1]] if spans else rest
            heading = (
                first
                if len(first.split()) <= _HEADING_WORDS and not re.search(r"\d", first)
                else ""
            )
            found.append((b, k, int(m.group("n")), heading))
    return [
        s
        for i, s in enumerate(found)
        if (i > 0 and found[i - 1][2] == s[2] - 1)
        or (i + 1 < len(found) and found[i + 1][2] == s[2] + 1)
    ]


def _polarity(text: str) -> str | None:
    if has_keep_back_wording(text):
        return "keep"
    if has_handover_wording(text):
        return "hand"
    return None


def _section_references(blocks: Sequence[Sequence[Unit]], region: str) -> dict[int, set[str]]:
    """What the letter's statements say about whole sections ("Die in Ziffer 3
    genannten Rufnummern verbleiben …"): section number → polarities. A statement
    about a sub-clause ("Ziffer 2.2") may only keep back, and then keeps back its
    whole section (the reader does not cut a section into sub-clauses)."""
    out: dict[int, set[str]] = {}
    for block in blocks:
        if block[0].zone not in ("body", "postscript"):
            continue
        text = " ".join(u.line.text for u in block)
        for s, e in split_sentences(text):
            sentence = text[s:e]
            if not _SECTION_VERB.search(sentence) or numbers.find_numbers(sentence, region=region):
                continue
            polarity = _polarity(sentence)
            if polarity is None:
                continue
            for m in _SECTION_REF.finditer(sentence):
                for ref in re.findall(r"\d{1,2}(?:\.\d{1,2})?", m.group("n")):
                    if "." in ref and polarity != "keep":
                        continue
                    out.setdefault(int(ref.split(".")[0]), set()).add(polarity)
    return out


def apply_sections(
    blocks: Sequence[Sequence[Unit]], found: list[FoundNumber], *, region: str = "DE"
) -> list[FoundNumber]:
    """A letter set out in numbered sections ("2. Übergebene Rufnummern. 2.1 …", "3.
    Nicht übergebene Rufnummern. 3.1 …"): a section's heading, and a statement about
    the section ("die in Ziffer 3 genannten Rufnummern verbleiben"), speak of every
    number in it. Keep-back (from either) takes the section's numbers out of
    ``transfer``; handover (with no keep-back) only decides numbers whose own
    statement says nothing (``no_handover_wording``)."""
    starts = _section_starts(blocks)
    if not starts:
        return found
    refs = _section_references(blocks, region)
    out = list(found)
    positions = _positions(blocks, region)
    for i, (b, k, n, heading) in enumerate(starts):
        said = set(refs.get(n, set()))
        head = _polarity(heading) if heading else None
        if head:
            said.add(head)
        if not said:
            continue
        end = (starts[i + 1][0], starts[i + 1][1]) if i + 1 < len(starts) else None
        for pb, pk, start, stop in positions:
            u = blocks[pb][pk]
            if (pb, pk) < (b, k) or (end is not None and (pb, pk) >= end) or u.zone != "body":
                continue
            j = _found_at(out, u, start, stop)
            if j is None:
                continue
            if "keep" in said and out[j].role in (Role.TRANSFER, Role.UNCLEAR):
                out[j] = replace(out[j], role=Role.EXCLUDED, why=f"section:{n}:kept_back")
            elif said == {"hand"} and out[j].why == "no_handover_wording":
                out[j] = replace(out[j], role=Role.TRANSFER, why=f"section:{n}:handover")
    return out

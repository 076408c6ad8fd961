"""What a letter says about a number it names: transfer, excluded, contact or unclear.

Pure rules on text around a number. The order matters and is the safety argument:
zone and label (contact) first, then keep-back wording (excluded), and only then
handover wording (transfer). Everything else is unclear: approving a number the letter
does not hand over moves a stranger's number, so doubt never becomes ``transfer``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parsers._statement_ordinals import ORDINAL, picked
from parsers.model import Role

__all__ = [
    "NumberContext",
    "classify",
    "classify_words",
    "fold",
    "has_blanket_clause",
    "has_handover_wording",
    "has_keep_back_wording",
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


# Umlauts folded one to one (offsets stay those of the text); "ß" stays, and patterns
# read by position accept it or "ss".
_FOLD_SAME_LENGTH = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U"})


def _fold_same(text: str) -> str:
    return text.translate(_FOLD_SAME_LENGTH)


def _positional(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern matched against ``_fold_same`` text, whose match offsets are offsets
    in the original text (``fold`` spells "ß" as "ss" and shifts them)."""
    return re.compile(_fold_same(pattern).replace("ß", "(?:ß|ss)"), flags)


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
# Keep-back wording: the statement holding it keeps its numbers back, whatever handover
# word stands next to it ("... ist bereits gekündigt und nicht Teil der Übergabe").
_KEEP_BACK = _folded(
    r"(verbleib\w*|\bbleib(?:t|en)\b|behalten|zurückbehalten|ausgeschlossen|gekündigt|"
    r"\bentf(?:ä|a)ll(?:t|en)\b|\bentfiel|nicht\s+(?:\w+\s+){0,3}(?:gegenstand|teil|betroffen|umfasst)|"
    r"\bnutz(?:t|en)\b(?:\s+\S+){0,6}?\s+(?:weiter|selbst)\b|"
    r"nicht\s+(?:mehr\s+)?(?:\w+\s+){0,2}(?:zur\s+verfügung|in\s+betrieb|aktiv|frei\b)|"
    r"nicht\s+übertragbar|\bweiterhin\b|abgeschaltet|stillgelegt|deaktiviert|storniert|"
    r"außer\s+betrieb|zurückgezogen|widerruf\w*|\bkündigung\b|abgemeldet|"
    # refused or withdrawn: "Portierung X: abgelehnt", "lehnen wir ab", "ziehen … zurück"
    r"abgelehnt|\bablehn\w*|\blehn(?:en|e|t)\b(?:\s+\S+){0,10}?\s+ab\b|verweigert|"
    r"zurückgewiesen|\bzieh(?:en|e|t)\b(?:\s+\S+){0,10}?\s+zurück\b)",
    re.IGNORECASE,
)
# A negation: in a statement that speaks of the handover it turns it round ("geben wir
# nicht ab", "wird nicht mit übertragen", "Übergabe: nein", "keine Übergabe"); with no
# handover word at all ("gilt diese Erklärung ausdrücklich nicht") it still keeps back.
_NEGATION = _folded(
    r"\b(nicht|kein\w*|nein|niemals|weder|ebenso\s*wenig|genauso\s*wenig|"
    # "Rufnummern ohne Übergabe": "ohne" with the handover noun itself negates it
    r"ohne\s+(?:(?:die|der|eine)\s+)?(?:übergabe|übertragung|portierung|umzug|mitnahme|wechsel))\b",
    re.IGNORECASE,
)
# A carve-out names the numbers after it ("mit Ausnahme der -50", "ausgenommen ist
# ..."); with no number after it, the numbers before it ("X ist ausgenommen").
_CARVE_OUT = _positional(
    r"(ausgenommen|ausnahme|\baußer\b|abgesehen\s+von|exklusive|\bexkl\b|\bohne\b)",
    re.IGNORECASE,
)
# Carve-outs that only ever name what follows them ("ohne die -50", "außer 030 …").
_FORWARD_ONLY = _positional(r"(\baußer\b|abgesehen|exklusive|\bexkl\b|\bohne\b)", re.IGNORECASE)
# Doubt: the statement names a number but leaves its fate open.
_UNCERTAIN = _folded(
    r"(\bob\b|\bklär(?:t|en)\b|geklärt|noch\s+offen|noch\s+nicht\s+(?:entschieden|klar|fest)|"
    r"vorbehaltlich|unter\s+vorbehalt|\beventuell|\bevtl\b|möglicherweise|gegebenenfalls|"
    r"\bggf\b|\bunklar|\bfalls\b|\bsofern\b|vorausgesetzt|unter\s+der\s+bedingung|"
    r"\bspäter|nachgereicht|\bgesondert|\bseparat|"
    # a handover that waits for something: "erst nach Ablauf der Mindestvertragslaufzeit",
    # "sobald …", "andernfalls …"
    r"\berst\s+(?:nach|wenn|ab|mit|sobald|dann|bei|zum|zur)\b|\bsobald\b|\bnach\s+ablauf\b|"
    r"\bandernfalls\b|\bansonsten\b|\bbedingung)",
    re.IGNORECASE,
)
# The choices a form offers ("Übergabe ja/nein", "J/N") are no statement.
_OPTIONS = re.compile(r"\bja\s*/\s*nein\b|\bj\s*/\s*n\b|\byes\s*/\s*no\b", re.IGNORECASE)
# Negations that agree ("bestehen keine Bedenken", "steht nichts entgegen").
_AFFIRMATIVE = _folded(
    r"\bkeine\s+(?:bedenken|einwände|einwendungen|einwand)\b|\bnichts\s+(?:im\s+wege|entgegen)\b|"
    r"\bnicht\s+nur\b|\bkein\s+einwand\b|"
    # "Es bleibt bei der Übergabe der Rufnummer X": the handover stands
    r"\bes\s+bleibt\s+(?:\w+\s+){0,2}?bei\s+(?:der|dem|unserer?)\s+(?:\w+\s+)?"
    r"(?:übergabe|freigabe|übertragung|portierung|umzug|bestätigung)\b",
    re.IGNORECASE,
)
# A negated carve-out ("ist von der Übergabe nicht ausgenommen", "keine Ausnahme")
# takes nothing out; it is blanked (same length) so neither the carve-out nor the
# negation counts, and the statement must hand over in words of its own.
_NEGATED_CARVE_OUT = re.compile(
    r"(?:\bvon\s+(?:der|dem)\s+(?:[Üü]|Ue|ue|U|u)\w*\s+)?"
    r"\b(?:nicht|keineswegs)\s+(?:mit\s+)?ausgenommen\b|\bkeine\s+Ausnahme\b",
    re.IGNORECASE,
)


# "verbleibt nicht bei uns, sondern wird ebenfalls übergeben", "wird nicht
# zurückbehalten, sondern …": a keep-back that is denied in favour of a handover.
_DENIED_KEEP_BACK = re.compile(
    r"\b(?:(?:verbleib|bleib)(?:t|en)\s+(?:\w+\s+){0,2}?nicht|nicht\s+(?:mehr\s+)?"
    r"(?:zur(?:[üu]|ue)ckbehalten|behalten|einbehalten|verbleiben|ausgenommen))\b"
    r"[^,;.]{0,60}?,\s*sondern\b(?P<rest>[^;.]*)",
    re.IGNORECASE,
)


def _without_negated_carve_outs(text: str) -> str:
    text = _NEGATED_CARVE_OUT.sub(lambda m: " " * len(m.group(0)), text)
    return _DENIED_KEEP_BACK.sub(_deny, text)


def _deny(m: re.Match[str]) -> str:
    """Blank a denied keep-back up to "sondern" when what follows hands over and keeps
    nothing back; otherwise leave the statement as written."""
    rest = m.group("rest")
    if not has_handover_wording(rest) or has_keep_back_wording(rest):
        return m.group(0)
    return " " * (m.start("rest") - m.start()) + rest


# Keep-back about "the others" does not touch the numbers a statement names.
_OTHERS = _folded(r"\b(übrigen|anderen|sonstigen|restlichen|weiteren)\b", re.IGNORECASE)
_TRANSFER = _folded(
    r"(übergeben|übergabe|übergibt|übergab\b|übergeh\w*|übergang|portier\w*|mitnehm\w*|mitgenommen|"
    r"übertr(?:ag\w*|ägt|ug)|freigeben|freigegeben|freigabe|umzug|umziehen|"
    r"umzuziehen|umgezogen|wechsel[nt]?|abgeben|abgegeben|abgabe|überlassen|zustimm\w*|"
    r"einverstanden|einverständnis|übernahme|übernehmen|übernimmt|autorisier\w*|"
    r"\bwillig(?:en|t|e)\b(?:\s+\S+){0,20}?\s+ein\b|einwillig\w*|"
    r"\bg(?:eb(?:en|e|t)|ibt)\b(?:\s+\S+){0,20}?\s+(?:frei|ab)\b|"
    r"\bg(?:eh(?:en|t))\b(?:\s+\S+){0,25}?\s+über\b|"
    r"\bstimm(?:en|e|t)\b(?:\s+\S+){0,20}?\s+zu\b|(?:nach)?folgende[nr]?\s+(?:\w+\s+){0,2}rufnummer\w*|"
    r"(?:nach)?folgende[nr]?\s+(?:\w+\s+){0,2}nummer\w*|rufnummernblock\w*)",
    re.IGNORECASE,
)
# Kept for callers that ask whether a text holds keep-back wording at all.
_EXCLUDED = _folded(
    r"(ausgenommen|ausnahme|verbleib(?:t|en)?|keine?\s+(?:\w+\s+){0,2}(?:übergabe|übertragung|freigabe|portierung)"
    r"|nicht\s+(?:\w+\s+){0,3}(?:übergeben|übertragen|freigegeben|umgezogen|portiert|abgegeben|gegenstand|betroffen|umfasst|mit\s+umziehen)"
    r"|nicht\s+gegenstand|behalten|ausgeschlossen|bleib(?:t|en)\s+(?:\w+\s+){0,3}(?:bei|erhalten|bestehen)"
    r"|zurückbehalten|nicht\s+freigeben|nicht\s+frei\b|nicht\s+übertragbar|gekündigt)",
    re.IGNORECASE,
)
# Check boxes as the text layer spells them: ticked and unticked.
TICKED, UNTICKED = "\u2612", "\u2610"
_BOX = re.compile(f"[{TICKED}{UNTICKED}]")
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
# A company's legal form after a stray full stop ("Brückenschlag IT. GmbH", as OCR reads
# it) continues the sentence.
_SENTENCE_END = re.compile(
    r"(?<=[.!?;])\s+(?!(?:GmbH|AG|KG|SE|UG|OHG|GbR|mbH|KGaA)\b)(?=[A-ZÄÖÜ0-9(\"„•\-–])"
)


@dataclass(frozen=True)
class NumberContext:
    """The text around one number, from the narrowest scope to the widest.

    ``before`` is the text of the same item directly before the number (for labels),
    ``sentence`` the sentence or list item holding it, ``intro`` the sentence that
    introduces the list or table it stands in ("Folgende Rufnummern ...:"), ``zone``
    one of header/footer/reference/body/signature. ``at``/``end`` locate the number
    in ``sentence`` and ``others`` the other numbers there (start, end), so a
    statement can be cut into clauses and a carve-out applied to the numbers it names;
    without ``at`` the whole sentence is one clause. ``note`` is the text of a
    footnote or remark the number is marked for ("0231 7979023¹").
    """

    zone: str = "body"
    before: str = ""
    sentence: str = ""
    intro: str = ""
    table_header: str = ""
    at: int | None = None
    end: int | None = None
    others: tuple[tuple[int, int], ...] = ()
    note: str = ""


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


# Where a statement splits into clauses: ";", ": ", a spaced dash, and a comma before a
# relative pronoun or a conjunction that starts a statement of its own.
_CLAUSE_BREAK = _positional(
    r";|:\s|\s[–—-]\s|,\s+(?=(?:die|der|das|diese[rsmn]?|welche[rsmn]?|sie|er|es|wir|"
    r"aber|jedoch|sondern|während|wobei|nicht|hiervon|davon|ausgenommen|mit\s+ausnahme|"
    r"außer)\b)",
    re.IGNORECASE,
)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(_fold_same(sentence)):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return spans


def _strip_numbers(text: str) -> str:
    # Digits and their separators say nothing about the role; dropping them keeps a
    # keyword search from matching inside a number's text.
    return re.sub(r"[+\d][\d\s/().-]*\d", " ", text)


# Names of the parties ("der abgebende Partner", "dem aufnehmenden Partner") are no
# statement about a number.
_PARTY = _folded(r"\b(?:abgebende|aufnehmende|übernehmende|bisherige|neue)[nrsm]?\b", re.IGNORECASE)


def _bare(text: str) -> str:
    return _PARTY.sub(" ", fold(_strip_numbers(text)))


def _keep_back(text: str) -> str | None:
    """The keep-back wording in one statement, or None ("nicht" counts only together
    with a handover word or as the statement's whole point, see ``_NEGATION``)."""
    bare = _AFFIRMATIVE.sub(" ", _OPTIONS.sub(" ", _bare(text)))
    found = _KEEP_BACK.search(bare) or _EXCLUDED.search(bare)
    if found:
        return found.group(0).lower()
    neg = _NEGATION.search(bare)
    if neg:
        return neg.group(0).lower()
    return None


def _with_header(text: str, header: str) -> str:
    """A row whose cells hold bare boxes, with each box given its column's heading
    ("030 … | ☒ | ☐" under "Rufnummer | wird übergeben | verbleibt")."""
    cells = [c.strip() for c in text.split("|")]
    heads = [h.strip() for h in header.split("|")]
    if len(cells) != len(heads):
        return text
    return " | ".join(
        f"{c} {h}" if c in (TICKED, UNTICKED) else c for c, h in zip(cells, heads, strict=True)
    )


def _boxes(text: str, header: str = "") -> tuple[Role, str] | None:
    """The role check boxes in a row give: each box governs the words up to the next.

    A ticked box before handover wording hands over, before keep-back wording keeps
    back; an unticked box before handover wording says "not handed over". Boxes whose
    words cannot be told apart leave the row unclear: never guessed as transfer.
    """
    marks = list(_BOX.finditer(text))
    if not marks:
        return None
    if header:
        text = _with_header(text, header)
        marks = list(_BOX.finditer(text))
    ticked_handover = ticked_keep = unticked_handover = False
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        words = _bare(text[m.end() : end].split("|")[0])
        keep = _keep_back(words) is not None
        hand = bool(_TRANSFER.search(words)) and not keep
        if m.group(0) == TICKED:
            ticked_keep |= keep
            ticked_handover |= hand
        else:
            unticked_handover |= hand
    if ticked_keep:
        return Role.EXCLUDED, "box:ticked_keep_back"
    if ticked_handover:
        return Role.TRANSFER, "box:ticked_handover"
    if unticked_handover:
        return Role.EXCLUDED, "box:unticked_handover"
    return Role.UNCLEAR, "box:unresolved"


def _carve_out(ctx: NumberContext, clause: tuple[int, int]) -> str | None:
    """ "excluded" when a carve-out in the clause names this number, "base" when the
    number is what another number is carved out of, else None."""
    if ctx.at is None:
        return None
    s, e = clause
    text = _fold_same(ctx.sentence)
    for m in _CARVE_OUT.finditer(text, s, e):
        if m.start() < ctx.at:
            return "excluded"  # "mit Ausnahme der 0931 63022-29", "ausgenommen ist ... -44"
        after = [o for o in ctx.others if o[0] >= m.end() and o[0] < len(text)]
        if after:
            return "base"
        if not _FORWARD_ONLY.fullmatch(m.group(0)):
            return "excluded"  # "X ist ausgenommen"
    return None


def classify(ctx: NumberContext) -> tuple[Role, str]:
    """The role of one number and a short machine reason (``FoundNumber.why``).

    Order: where it stands (zone, label) makes a contact; then the statement's
    polarity: keep-back or negation anywhere it governs the number beats everything;
    doubt ("ob ... soll, klärt der Kunde noch") makes it unclear; contact wording makes
    it a contact; only then handover wording (in the clause, the sentence, the row, the
    list's intro, the table header) makes it a transfer.
    """
    if ctx.zone in _CONTACT_ZONES:
        return Role.CONTACT, _CONTACT_ZONES[ctx.zone]
    if ctx.zone == "signature":
        return Role.CONTACT, "zone:signature"
    before = fold(ctx.before[-40:])
    label = _CONTACT_LABEL.search(before)
    if label:
        return Role.CONTACT, f"label:{label.group(0).strip(' :.-–').lower()}"
    if ctx.note == "\x00":
        return Role.UNCLEAR, "note:unresolved"
    if ctx.note:
        kept = _keep_back(ctx.note)
        if kept:
            return Role.EXCLUDED, f"note:{kept}"
        if _UNCERTAIN.search(_bare(ctx.note)):
            return Role.UNCLEAR, "note:uncertain"
    boxes = _boxes(ctx.sentence, ctx.table_header)
    if boxes is not None:
        return boxes
    if _NEGATED_CARVE_OUT.search(ctx.sentence) or _DENIED_KEEP_BACK.search(ctx.sentence):
        ctx = replace(ctx, sentence=_without_negated_carve_outs(ctx.sentence))
    sentence = ctx.sentence
    clauses = _clauses(sentence)
    if ctx.at is None:
        own = (0, len(sentence))
    else:
        own = next((c for c in clauses if c[0] <= ctx.at < c[1]), (0, len(sentence)))
    clause = sentence[own[0] : own[1]]
    # 1. keep-back: in the clause, or in a clause of the sentence that names no
    # number of its own (it speaks of the numbers around it)
    carve = _carve_out(ctx, own)
    if carve == "excluded":
        return Role.EXCLUDED, "carve_out"
    kept = _keep_back(_CARVE_OUT.sub(" ", _bare(clause))) if carve == "base" else _keep_back(clause)
    if kept:
        return Role.EXCLUDED, f"keyword:{kept}"
    numbered = [own, *((o[0], o[1]) for o in ctx.others)]
    for i, c in enumerate(clauses if carve != "base" else ()):
        if c == own or any(c[0] <= n[0] < c[1] for n in numbered):
            continue
        text = sentence[c[0] : c[1]]
        if _ALTERNATIVE.match(fold(text)):
            continue  # "…, falls …; andernfalls verbleibt sie": a condition, read as doubt
        kept = _keep_back(text)
        if not kept or _OTHERS.search(_bare(text)) or _relative_to_others(clauses, i, ctx):
            continue
        target = _ordinal_target(c, ctx, text)
        if target == "other":
            continue  # "…, die letztgenannte verbleibt": another number of the sentence
        return Role.EXCLUDED, "reference:kept_back" if target == "this" else f"sentence:{kept}"
    bare_sentence = _bare(sentence)
    # 2. contact wording (the clause, or the sentence when it has no handover word)
    for text in (_bare(clause), bare_sentence):
        phrase = _CONTACT_PHRASE.search(text)
        if phrase and not _TRANSFER.search(text):
            return Role.CONTACT, f"phrase:{phrase.group(0).lower()}"
    # 3. doubt
    doubt = _UNCERTAIN.search(bare_sentence)
    if doubt:
        return Role.UNCLEAR, f"uncertain:{doubt.group(0).lower()}"
    # 4. the wider scopes may still keep back
    for scope, text in (("header", ctx.table_header), ("intro", ctx.intro)):
        kept = _keep_back(text) if text else None
        if kept:
            return Role.EXCLUDED, f"{scope}:{kept}"
        if text and _UNCERTAIN.search(_bare(text)):
            return Role.UNCLEAR, f"{scope}:uncertain"
    # 5. handover: in the number's own clause; from another clause of the sentence
    # only when no clause of it keeps anything back ("Nicht übergeben wird X, Y
    # ebenso wenig" must not hand Y over through the first clause's verb). A sentence
    # that announces a list after the number ("... (Ihre Rufnummer X) ... werden
    # folgende Rufnummern übergeben:") hands over that list, not the number: only
    # the words before the announcement may hand it over.
    pointer = _list_pointer(ctx)
    if pointer is not None:
        clause = clause[: max(0, pointer - own[0])]
        sentence = sentence[:pointer]
        bare_sentence = _bare(sentence)
    found = _TRANSFER.search(_bare(clause))
    if found:
        return Role.TRANSFER, f"keyword:{found.group(0).lower()}"
    found = _TRANSFER.search(bare_sentence)
    if found:
        if any(_keep_back(sentence[c[0] : c[1]]) for c in clauses):
            return Role.UNCLEAR, "sentence:mixed_polarity"
        return Role.TRANSFER, f"keyword:{found.group(0).lower()}"
    if pointer is not None:
        return Role.UNCLEAR, "sentence:announces_a_list"
    for scope, text in (("header", ctx.table_header), ("intro", ctx.intro)):
        found = _TRANSFER.search(_bare(text))
        if found:
            return Role.TRANSFER, f"{scope}:{found.group(0).lower()}"
    return Role.UNCLEAR, "no_handover_wording"


def _ordinal_target(clause: tuple[int, int], ctx: NumberContext, text: str) -> str | None:
    """For a clause that names no number but picks one of the sentence's earlier
    numbers by position ("Übergeben werden X und Y, die letztgenannte verbleibt"):
    "this" when it picks this number, "other" when it picks only others, None when it
    holds no ordinal or cannot be resolved (then it speaks of every number)."""
    if ctx.at is None:
        return None
    folded = fold(text)
    ordinals = list(ORDINAL.finditer(folded))
    earlier = sorted(p for p in (ctx.at, *(o[0] for o in ctx.others)) if p < clause[0])
    if len(ordinals) != 1 or not earlier:
        return None
    items = picked(ordinals[0], folded, len(earlier), strict=False)
    if items is None:
        return None
    return "this" if any(earlier[k] == ctx.at for k in items) else "other"


_ALTERNATIVE = re.compile(r"\s*(?:andernfalls|ansonsten|sonst)\b", re.IGNORECASE)
_RELATIVE = _folded(
    r"\s*(?:die|der|das|welche[rsmn]?|diese[rsn]?)\b(?!\s+(?:ruf)?nummer)", re.IGNORECASE
)


def _relative_to_others(clauses: list[tuple[int, int]], i: int, ctx: NumberContext) -> bool:
    """Whether clause ``i`` is a relative clause ("…, die bei uns verbleiben", "…; diese
    verbleiben") whose antecedent clause, right before it, names other numbers and not
    this one: it speaks of those numbers ("außer den Durchwahlen -10 bis -19, die … verbleiben")."""
    if i == 0 or ctx.at is None or not _RELATIVE.match(_fold_same(ctx.sentence[clauses[i][0] :])):
        return False
    lo, hi = clauses[i - 1]
    if lo <= ctx.at < hi:
        return False
    return any(lo <= o[0] < hi for o in ctx.others)


# "folgende Rufnummern", "nachstehende Nummern": wording that points at numbers
# listed after it. Umlauts fold one to one here, so offsets stay those of the text.
_LIST_POINTER = re.compile(
    r"\b(?:nach)?(?:folgend|nachstehend|untenstehend)e[nr]?\s+(?:\w+\s+){0,2}(?:ruf)?nummer",
    re.IGNORECASE,
)


def _list_pointer(ctx: NumberContext) -> int | None:
    """Where the sentence announces numbers listed after it, when that announcement
    comes after this number (so it does not name this number), else None."""
    if ctx.at is None or ctx.end is None:
        return None
    m = _LIST_POINTER.search(ctx.sentence.translate(_FOLD_SAME_LENGTH), ctx.end)
    return m.start() if m else None


def classify_words(text: str) -> bool:
    """Whether the text holds any handover or keep-back wording at all."""
    bare = fold(_strip_numbers(text))
    return bool(_TRANSFER.search(bare) or _EXCLUDED.search(bare))


def has_handover_wording(text: str) -> bool:
    """Whether the text holds handover wording ("übergeben", "Freigabe" ...)."""
    return bool(_TRANSFER.search(_bare(text)))


def has_keep_back_wording(text: str) -> bool:
    """Whether the text keeps something back: keep-back wording or a negation."""
    return _keep_back(text) is not None


def has_blanket_clause(text: str) -> bool:
    """Whether the text speaks of all numbers ("alle Rufnummern des Kunden")."""
    return _BLANKET.search(fold(text)) is not None

"""Property tests: every notation of one number, every block form and every list agree."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parsers.model import NumberRange
from parsers.numbers import (
    block_from_parts,
    find_numbers,
    is_plausible,
    parse_number,
    parse_requested,
)

# Real ONKZ of lengths 2-5 and mobile/service codes, with subscriber lengths that
# give a plausible number (NSN 7-11 digits; mobile lengths as the network plans them).
AREAS: list[tuple[str, int, int]] = [
    ("30", 5, 9),
    ("40", 5, 9),
    ("89", 5, 9),
    ("221", 4, 8),
    ("711", 4, 8),
    ("2151", 3, 7),
    ("6131", 3, 7),
    ("33203", 3, 6),
    ("151", 8, 8),
    ("160", 7, 8),
    ("171", 7, 8),
    ("176", 7, 8),
    ("800", 7, 7),
]


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(area code without 0, subscriber digits) of a plausible German number."""
    area, lo, hi = draw(st.sampled_from(AREAS))
    length = draw(st.integers(lo, hi))
    first = draw(st.sampled_from("123456789"))
    rest = draw(st.text("0123456789", min_size=length - 1, max_size=length - 1))
    subscriber = first + rest
    assume(is_plausible(f"+49{area}{subscriber}"))
    return area, subscriber


def pairs(digits: str) -> str:
    """Digit pairs from the right, the old German way: 1 23 45 67."""
    head = len(digits) % 2
    parts = ([digits[:head]] if head else []) + [
        digits[i : i + 2] for i in range(head, len(digits), 2)
    ]
    return " ".join(parts)


NOTATIONS: list[Callable[[str, str], str]] = [
    lambda a, s: f"0{a} {s}",
    lambda a, s: f"0{a}/{s}",
    lambda a, s: f"0{a} / {s}",
    lambda a, s: f"(0{a}) {s}",
    lambda a, s: f"+49 {a} {s}",
    lambda a, s: f"+49 (0){a} {s}",
    lambda a, s: f"+49 (0) {a} {s}",
    lambda a, s: f"0049 {a} {s}",
    lambda a, s: f"+49{a}{s}",
    lambda a, s: f"0{a}{s}",
    lambda a, s: f"0{a}-{s}",
    lambda a, s: f"0{a} {pairs(s)}",
    lambda a, s: f"+49 {a} {pairs(s)}",
    lambda a, s: f"0{a} {s[:-1]}-{s[-1]}",  # DIN 5008 with a one-digit extension
    lambda a, s: f"+49 {a} {s[:-2]}-{s[-2:]}",
]

CONTEXTS = ["{}", "Tel. {}", "Rufnummer: {}.", "Bitte {} übertragen", "({})", "- {}, danke"]


@settings(max_examples=300, deadline=None)
@given(numbers(), st.sampled_from(NOTATIONS), st.sampled_from(CONTEXTS))
def test_every_notation_maps_to_the_same_e164(
    number: tuple[str, str], notation: Callable[[str, str], str], context: str
) -> None:
    """find_numbers and parse_number agree on one E.164 for every notation."""
    area, subscriber = number
    e164 = f"+49{area}{subscriber}"
    written = notation(area, subscriber)
    text = context.format(written)
    found = find_numbers(text)
    assert [str(m.range) for m in found] == [e164], (text, found)
    assert found[0].text == written
    assert text[found[0].start : found[0].end] == written
    assert parse_number(written) == NumberRange.single(e164)


@settings(max_examples=200, deadline=None)
@given(numbers())
def test_no_prefix_no_number(number: tuple[str, str]) -> None:
    """Digits without a 0 / +49 / 0049 prefix are never read as a number."""
    area, subscriber = number
    assert find_numbers(f"Nr. {area}{subscriber}") == []
    assert find_numbers(f"{area} {subscriber}") == []


@st.composite
def blocks(draw: st.DrawFn) -> tuple[str, str, int, int, int]:
    """(area, Stammnummer, width, lo, hi) of a plausible block."""
    area, _, _ = draw(st.sampled_from([a for a in AREAS if a[0] not in {"151", "800"}]))
    stamm_len = draw(st.integers(max(2, 7 - len(area) - 1), 6))
    stamm = draw(st.sampled_from("123456789")) + draw(
        st.text("0123456789", min_size=stamm_len - 1, max_size=stamm_len - 1)
    )
    width = draw(st.integers(1, 3))
    lo = draw(st.integers(0, 10**width - 1))
    hi = draw(st.integers(lo, 10**width - 1))
    first = f"+49{area}{stamm}{lo:0{width}d}"
    last = f"+49{area}{stamm}{hi:0{width}d}"
    assume(is_plausible(first) and is_plausible(last))
    return area, stamm, width, lo, hi


@settings(max_examples=200, deadline=None)
@given(blocks())
def test_blocks_round_trip(block: tuple[str, str, int, int, int]) -> None:
    """Every block notation and the table columns give the same range."""
    area, stamm, width, lo, hi = block
    e_lo, e_hi = f"{lo:0{width}d}", f"{hi:0{width}d}"
    expected = NumberRange(f"+49{area}{stamm}{e_lo}", f"+49{area}{stamm}{e_hi}")
    forms = [
        f"0{area} {stamm}-{e_lo} bis -{e_hi}",
        f"0{area} {stamm}-{e_lo} bis 0{area} {stamm}-{e_hi}",
        f"+49 {area} {stamm}-{e_lo} \u2013 {e_hi}",
        f"0{area} {stamm} Durchwahlen {e_lo} bis {e_hi}",
    ]
    if lo < hi:  # two equal full numbers are one number, not a block notation
        forms.append(f"0{area} {stamm}{e_lo} - 0{area} {stamm}{e_hi}")
    for form in forms:
        assert parse_number(form) == expected, form
        (m,) = find_numbers(f"Block: {form}.")
        assert m.range == expected and m.text == form
        assert m.kind == ("block" if lo < hi else "extension")
    assert block_from_parts(f"0{area}", stamm, e_lo, e_hi) == expected
    assert block_from_parts(area, stamm, e_lo, e_hi) == expected
    assert block_from_parts("+49 " + area, stamm, e_lo, e_hi) == expected


SEPARATORS = [", ", "; ", "\n", " und ", ",", "\n- ", "\n\n"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(numbers(), st.sampled_from(NOTATIONS)), min_size=1, max_size=6),
    st.lists(st.sampled_from(SEPARATORS), min_size=6, max_size=6),
)
def test_parse_requested_splits(
    items: list[tuple[tuple[str, str], Callable[[str, str], str]]], seps: list[str]
) -> None:
    """A list in any notations with any separators gives each number once, in order."""
    text = ""
    for i, ((area, subscriber), notation) in enumerate(items):
        text += (seps[i] if i else "") + notation(area, subscriber)
    expected = list(dict.fromkeys(NumberRange.single(f"+49{a}{s}") for (a, s), _ in items))
    result = parse_requested(text)
    assert list(result.ranges) == expected, text
    assert result.invalid == ()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 +-/().,;:\nabBIS–")), max_size=80))
def test_find_numbers_is_total_and_consistent(text: str) -> None:
    """Any text: no exception, ordered non-overlapping spans, plausible bounds."""
    found = find_numbers(text)
    end = 0
    for m in found:
        assert end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert is_plausible(m.range.first) and is_plausible(m.range.last)
        assert m.range.first.startswith("+49")
        end = m.end

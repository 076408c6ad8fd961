"""Number notations the second red team's letters (tests/redteam2) print that the reader
missed: a block's upper end typeset with a minus sign, or behind an ellipsis."""

from __future__ import annotations

from parsers import numbers


def test_a_minus_sign_before_the_upper_extension_ends_the_block() -> None:
    # Typst (and other typesetters) print "-99" after "bis" as U+2212 MINUS SIGN
    (m,) = numbers.find_numbers("06221 9835-00 bis \u221299")
    assert (m.range.first, m.range.last) == ("+496221983500", "+496221983599")


def test_an_ellipsis_before_the_upper_end_stands_for_the_leading_digits() -> None:
    (m,) = numbers.find_numbers("0201 64866100 \u2013 \u20266199")
    assert (m.range.first, m.range.last) == ("+4920164866100", "+4920164866199")

"""Pay ranges written with the thousands separators of German, Spanish, French and English
recruiters: "80.000–95.000 €" is eighty thousand, never eighty euros."""

from __future__ import annotations

import pytest

from bot.rules.pay import PayRange, parse_pay_range

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80.000–95.000 €", PayRange(80_000, 95_000, "EUR")),
        ("80.000 € – 95.000 €", PayRange(80_000, 95_000, "EUR")),
        ("de 80.000 a 95.000 EUR", PayRange(80_000, 95_000, "EUR")),
        ("80 000 – 95 000 €", PayRange(80_000, 95_000, "EUR")),
        (f"80{NBSP}000–95{NBSP}000{NBSP}€", PayRange(80_000, 95_000, "EUR")),
        (f"80{NARROW_NBSP}000 € – 95{NARROW_NBSP}000 €", PayRange(80_000, 95_000, "EUR")),
        ("$80,000 - $95,000", PayRange(80_000, 95_000, "USD")),
        ("1.200.000 CHF", PayRange(1_200_000, 1_200_000, "CHF")),
        ("80.000,00 € – 95.000,00 €", PayRange(80_000, 95_000, "EUR")),
        ("$80,000.00", PayRange(80_000, 80_000, "USD")),
        ("80–95.000 €", PayRange(80_000, 95_000, "EUR")),
    ],
)
def test_thousands_written_the_locale_s_way_are_thousands(text, expected):
    assert parse_pay_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80.5k", PayRange(80_500, 80_500, None)),
        ("80,5k – 95k €", PayRange(80_500, 95_000, "EUR")),
        ("€80.25k", PayRange(80_250, 80_250, "EUR")),
        ("$1,200k", PayRange(1_200_000, 1_200_000, "USD")),
        ("80.0000", PayRange(80, 80, None)),
    ],
)
def test_one_or_two_digits_after_the_mark_are_a_decimal_part(text, expected):
    """Only a group of exactly three digits is a thousands group: "80.5k" and the German "80,5k"
    are eighty and a half thousand, "1,200k" is 1,200 thousand, and four digits after a mark
    are a decimal part, not a group."""
    assert parse_pay_range(text) == expected

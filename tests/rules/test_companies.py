"""The never-list compares company names by `company_key`: one rule for every check."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.rules.companies import LEGAL_SUFFIXES, company_key, on_never_list
from bot.rules.preferences import parse_companies


@pytest.mark.parametrize(
    ("role_company", "blocked"),
    [
        ("ACME Inc.", "Acme"),
        ("Acme", "ACME Inc."),
        ("Acme, Inc.", "acme inc"),
        ("Acme GmbH & Co. KG", "Acme"),
        ("The Acme Company", "acme"),
        ("ＡＣＭＥ", "Acme"),  # full-width letters (NFKC)
        ("Acme S.A.", "Acme SA"),
        ("Acme B.V.", "acme"),
        ("Acme Oy", "Acme Oyj"),
        ("Acme AB", "Acme"),
        ("Acme S.r.l.", "Acme SRL"),
        ("Acme PLC", "Acme Ltd"),
        ("Coca-Cola", "Coca Cola"),
        ("Coca-Cola", "CocaCola"),
        ("Société Générale S.A.", "societe generale"),
        ("Procter & Gamble", "Procter and Gamble"),
        ("Macy's", "Macys"),
        ("  Acme\tLabs ", "acme labs"),
    ],
)
def test_two_spellings_of_one_company_are_on_the_list(role_company, blocked):
    assert on_never_list(role_company, [blocked])


@pytest.mark.parametrize(
    ("role_company", "blocked"),
    [
        ("Acme Labs", "Acme"),  # another company that shares a word
        ("Acme", "Acme Labs"),
        ("Initech", "Acme"),
        ("Johnson & Johnson", "Johnson"),
        ("AG", "SA"),
    ],
)
def test_different_companies_are_not(role_company, blocked):
    assert not on_never_list(role_company, [blocked])


def test_a_name_that_is_only_a_legal_form_still_compares_to_itself():
    assert company_key("AG") == "ag" and on_never_list("A.G.", ["AG"])


def test_no_list_or_a_name_without_letters_blocks_nothing():
    assert not on_never_list("Acme", None) and not on_never_list("Acme", [])
    assert not on_never_list("---", ["..."])


def test_the_preferences_form_keeps_one_entry_per_company():
    assert parse_companies("Acme\nACME Inc., Globex\nacme gmbh, Globex Corp.") == ("Acme", "Globex")


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéß0123456789", min_size=1, max_size=12)
names = st.lists(words, min_size=1, max_size=4).map(" ".join)


@given(names, st.sampled_from(sorted(LEGAL_SUFFIXES)), st.sampled_from([" ", ", ", " & ", "-", " . "]))
def test_case_punctuation_and_a_legal_suffix_never_matter(name, suffix, glue):
    assume(company_key(name))
    assume(not set(name.split()) & LEGAL_SUFFIXES)
    variants = [
        name.upper(),
        name.title(),
        f"{name}{glue}{suffix}",
        f"{name} {suffix.upper()}.",
        f"  {name}  ",
        name.replace(" ", "  "),
    ]
    for variant in variants:
        assert on_never_list(variant, [name]), variant
        assert on_never_list(name, [variant]), variant


@given(names)
def test_full_width_and_compatibility_forms_match(name):
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in name)
    assume(company_key(name))
    assert unicodedata.normalize("NFKC", wide) == name
    assert on_never_list(wide, [name])


@given(names, st.lists(names, max_size=5), st.randoms())
def test_the_answer_does_not_depend_on_the_order_of_the_list(company, others, rnd):
    listed = [*others, company]
    shuffled = list(listed)
    rnd.shuffle(shuffled)
    assert on_never_list(company, listed) == on_never_list(company, shuffled)
    assert on_never_list(company, listed) is bool(company_key(company))


@given(st.text(), st.lists(st.text(), max_size=5))
def test_any_text_is_compared_without_error(company, listed):
    assert on_never_list(company, listed) in (True, False)

"""The never-list compares company names by their leading words after one normalisation: one
rule for every check (SPEC "The never-list stays secret")."""

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
        # the spec's examples: the words of the entry begin the company's name
        ("Acme Labs", "Acme"),
        ("Acme Europe GmbH", "Acme"),
        ("Acme Europe GmbH", "acme europe"),
        ("Асme", "Acme"),  # a Cyrillic А and с
        ("Acme", "Асme"),
        ("АСМЕ Labs", "acme"),  # all Cyrillic capitals
        ("Αcme", "Acme"),  # a Greek capital alpha
        ("Ac\u200bme", "Acme"),  # a zero-width space
        ("Johnson & Johnson", "Johnson"),
        ("Coca-Cola Europe", "CocaCola"),
        ("CocaCola GmbH", "Coca Cola"),
    ],
)
def test_two_spellings_of_one_company_are_on_the_list(role_company, blocked):
    assert on_never_list(role_company, [blocked])


@pytest.mark.parametrize(
    ("role_company", "blocked"),
    [
        ("Acmeist", "Acme"),  # not a word of its own
        ("Big Acme", "Acme"),  # not the leading word
        ("Acme", "Acme Labs"),  # the entry says more than the name
        ("Acme Europe", "Acme Labs"),
        ("Initech", "Acme"),
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


@given(names, names)
def test_more_words_after_an_entry_are_still_that_company(name, more):
    assume(company_key(name))
    assert on_never_list(f"{name} {more}", [name])
    assert on_never_list(f"{name.title()}, {more.upper()} Inc.", [name])


@given(names, words)
def test_a_longer_first_word_is_another_company(name, tail):
    assume(company_key(name) and company_key(tail))
    first, *rest = name.split()
    assume(first + tail not in LEGAL_SUFFIXES)
    assert not on_never_list(" ".join([first + tail, *rest]), [first])

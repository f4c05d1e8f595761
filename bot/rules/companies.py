"""When a role's company is one a candidate never wants to hear about.

One rule, used wherever the never-list is checked (the send-time gate; parse_companies uses the
same key to drop repeats). Names are reduced to words that ignore what people write differently
for one company: everything `folding.fold` ignores (Unicode forms, invisible characters, case,
accents, look-alike letters from other scripts), punctuation and spacing, a leading "The", and
legal suffixes ("Inc.", "GmbH & Co. KG", "S.A."). An entry covers a company when its words begin
the company's name: "Acme" covers "ACME Inc.", "Acme Labs", "Acme Europe GmbH" and "Асme" with
a Cyrillic А, not "Acmeist" or "Big Acme". Words may be run together or split ("Coca-Cola" is
"Coca Cola" is "CocaCola"), but only at word boundaries of the company's name.

The comparison errs towards the candidate: a false match only means one invitation withheld; a
missed one sends someone a role at the employer they asked never to hear about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.rules.folding import fold

# Legal forms, as keys (lower case, no dots): "S.A." is "sa", "B.V." is "bv", "Pty. Ltd." is
# "pty", "ltd". Stripped from the end only, repeatedly, so "Acme Holding GmbH & Co. KG" is
# "acme holding"; a name that is nothing but suffixes ("AG") keeps them.
LEGAL_SUFFIXES = frozenset(
    {
        # English-speaking
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "pty",
        "pte",
        "pvt",
        "lllp",
        "pllc",
        # German, Austrian, Swiss, Dutch, Belgian
        "gmbh",
        "ag",
        "kg",
        "kgaa",
        "ohg",
        "ug",
        "ev",
        "bv",
        "nv",
        "vof",
        "cv",
        "se",
        "mbh",
        # French, Spanish, Italian, Portuguese
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sl",
        "slu",
        "srl",
        "spa",
        "sapa",
        "snc",
        "lda",
        "ltda",
        # Nordic and Baltic
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "hf",
        "ehf",
        "ou",
        # elsewhere
        "kk",
        "bhd",
        "sdn",
        "sro",
        "doo",
        "kft",
        "zrt",
        "nyrt",
        "oao",
        "ooo",
        "zao",
    }
)
_JOINERS = frozenset({"and", "und", "et", "y", "e"})  # "GmbH & Co. KG", "S.A. y Cía."
# Dots and apostrophes join ("S.A." -> "sa", "Macy's" -> "macys"); any other non-alphanumeric
# character separates words.
_JOINING = re.compile(r"[.'\u2019\u2018`´]")
_SEPARATING = re.compile(r"[^\w]+|_")


def _words(name: str) -> list[str]:
    text = _JOINING.sub("", fold(name)).replace("&", " and ").replace("+", " and ")
    return [word for word in _SEPARATING.split(text) if word]


def company_words(name: str) -> list[str]:
    """The words that name a company, without a leading "The" or trailing legal forms:
    `company_words("The Acme Europe GmbH") == ["acme", "europe"]`. Empty only for a name with
    no letters or digits at all."""
    words = _words(name)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    core = list(words)
    while len(core) > 1 and (core[-1] in LEGAL_SUFFIXES or (core[-1] in _JOINERS and len(core) < len(words))):
        core.pop()
    while len(core) > 1 and core[-1] in _JOINERS:
        core.pop()
    return core


def company_key(name: str) -> str:
    """The key two spellings of one company share: `company_key("ACME, Inc.") == "acme"`."""
    return "".join(company_words(name))


def _leading_keys(company: str) -> set[str]:
    """The company's first word, first two words, … each run together: what an entry may be."""
    words = company_words(company)
    return {"".join(words[:count]) for count in range(1, len(words) + 1)}


def on_never_list(company: str, never_companies: Iterable[str] | None) -> bool:
    """Whether a role at `company` is one the candidate asked never to hear about: the words of
    an entry begin the company's name."""
    leading = _leading_keys(company)
    return any(company_key(name) in leading for name in never_companies or ())

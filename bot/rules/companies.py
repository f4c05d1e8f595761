"""When a role's company is one a candidate never wants to hear about.

One rule, used wherever the never-list is checked (the send-time gate; parse_companies uses the
same key to drop repeats). Names are compared by a key that ignores what people write differently
for one company: Unicode forms (NFKC: full-width letters, ligatures), case, punctuation and
spacing, a leading "The", and legal suffixes ("Inc.", "GmbH & Co. KG", "S.A."). So a role at
"ACME Inc." reaches nobody who blocked "Acme", and "Coca-Cola" is "Coca Cola" is "CocaCola".

The comparison errs towards the candidate: two names with the same key count as the same
company. A false match only means one invitation fewer; a missed one sends someone a role at the
employer they asked never to hear about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _JOINING.sub("", text).replace("&", " and ").replace("+", " and ")
    # Accents dropped too, so "Société Générale" is "societe generale" and "OÜ" is "ou".
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return [word for word in _SEPARATING.split(text) if word]


def company_key(name: str) -> str:
    """The key two spellings of one company share: `company_key("ACME, Inc.") == "acme"`.

    Empty only for a name with no letters or digits at all.
    """
    words = _words(name)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    core = list(words)
    while len(core) > 1 and (core[-1] in LEGAL_SUFFIXES or (core[-1] in _JOINERS and len(core) < len(words))):
        core.pop()
    while len(core) > 1 and core[-1] in _JOINERS:
        core.pop()
    return "".join(core)


def on_never_list(company: str, never_companies: Iterable[str] | None) -> bool:
    """Whether a role at `company` is one the candidate asked never to hear about."""
    key = company_key(company)
    return bool(key) and any(company_key(name) == key for name in never_companies or ())

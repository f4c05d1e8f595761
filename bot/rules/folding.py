"""One normalisation for everything Nudge compares in what people type: company names on the
never-list, DM keywords and the pressure-word filter.

Text is reduced to what a reader sees: Unicode compatibility forms (NFKC: full-width letters,
ligatures), no invisible characters (zero-width spaces and joiners, soft hyphens, direction
marks), case folded, accents dropped, and letters that look like a Latin letter or a digit
folded to it through Unicode's confusables data (UTS #39, as the `confusable_homoglyphs`
package ships it), so "Асme" with a Cyrillic А is "acme" and "ＳＴＯＰ" is "stop".

Only characters outside ASCII are folded: ASCII text is compared as typed (after case), so "l"
and "1" stay two letters and no ordinary word changes.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

_DIRECTION_MARKS = "\u200e\u200f"


def _ascii_prototype(homoglyphs: list[dict[str, str]]) -> str | None:
    """The ASCII letter or digit a character is confusable with (a letter before a digit), if any."""
    found = sorted(
        {glyph.strip(_DIRECTION_MARKS).casefold() for entry in homoglyphs if (glyph := entry.get("c", ""))},
        key=lambda glyph: (not glyph.isalpha(), glyph),
    )
    return next((glyph for glyph in found if len(glyph) == 1 and glyph.isascii() and glyph.isalnum()), None)


@cache
def _look_alikes() -> dict[str, str]:
    """Every non-ASCII character that Unicode lists as confusable with an ASCII letter or digit."""
    table: dict[str, str] = {}
    for character, homoglyphs in confusables_data.items():
        character = character.strip(_DIRECTION_MARKS)
        if len(character) != 1 or character.isascii():
            continue
        prototype = _ascii_prototype(homoglyphs)
        if prototype is not None:
            table[character] = prototype
    return table


def fold(text: str) -> str:
    """`text` as compared: `fold("ＡＣＭＥ") == fold("Асme") == fold("ac\\u200bme") == "acme"`."""
    text = unicodedata.normalize("NFKC", text)
    text = _look_alike_letters("".join(ch for ch in text if unicodedata.category(ch) != "Cf")).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _look_alike_letters(text)


def _look_alike_letters(text: str) -> str:
    """Look-alikes folded before case (Cyrillic "М" looks like "M", its small "м" not like
    "m") and again after it and the accents (a small "а" only then)."""
    look_alikes = _look_alikes()
    return "".join(ch if ch.isascii() else look_alikes.get(ch, ch) for ch in text)

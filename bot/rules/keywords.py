"""What a candidate's direct message asks for.

The whole message is the keyword (any case, surrounding spaces and punctuation ignored):
"don't stop" is not "stop". A substring match would opt people out by accident. The message is
folded first (`folding.fold`), so "ＳＴＯＰ" from a full-width keyboard and "stop" with a
zero-width space opt out too.
"""

from __future__ import annotations

import string
from enum import StrEnum

from bot.rules.folding import fold


class DmIntent(StrEnum):
    STOP = "stop"
    HELP = "help"
    OTHER = "other"


# In every language Nudge speaks, compared after folding (so "arrêter" is "arreter").
_STOP_WORDS = ("stop", "unsubscribe", "stopp", "abmelden", "arrêter", "désinscrire", "parar", "baja")
_HELP_WORDS = ("help", "hilfe", "aide", "ayuda")
_KEYWORDS = {fold(word): DmIntent.STOP for word in _STOP_WORDS} | {fold(word): DmIntent.HELP for word in _HELP_WORDS}
_STRIP = string.whitespace + string.punctuation + "\u00a0\u2018\u2019\u201c\u201d\u2026\u00a1\u00bf"


def classify_dm(text: str | None) -> DmIntent:
    """Map a DM's text to the keyword it is, or OTHER."""
    if not text:
        return DmIntent.OTHER
    word = fold(text).strip(_STRIP)
    return _KEYWORDS.get(word, DmIntent.OTHER)

"""What a candidate's direct message asks for.

The whole message is the keyword (any case, surrounding spaces and punctuation ignored):
"don't stop" is not "stop". A substring match would opt people out by accident.
"""

from __future__ import annotations

import string
from enum import StrEnum


class DmIntent(StrEnum):
    STOP = "stop"
    HELP = "help"
    OTHER = "other"


_KEYWORDS = {"stop": DmIntent.STOP, "unsubscribe": DmIntent.STOP, "help": DmIntent.HELP}
_STRIP = string.whitespace + string.punctuation + "\u00a0\u2018\u2019\u201c\u201d\u2026\u00a1\u00bf"


def classify_dm(text: str | None) -> DmIntent:
    """Map a DM's text to the keyword it is, or OTHER."""
    if not text:
        return DmIntent.OTHER
    word = text.strip(_STRIP).casefold()
    return _KEYWORDS.get(word, DmIntent.OTHER)

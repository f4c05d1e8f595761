"""Text recruiters write (titles, details, notes …): its length, and the pressure language
Nudge keeps out of invitations. The check's message names only the field and the phrases found,
never the rest of the recruiter's text, so nothing needs escaping.

Pure: the standard library and the folding rule only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.rules.folding import fold
from bot.rules.said import N_, Alternatives, Count, Said

LIMITS: dict[str, int] = {
    "title": 150,
    "company": 100,
    "details": 2000,
    "note": 500,
    "location": 100,
    "remote": 50,
    "pay_range": 100,
}

# field -> (how the field is named in a sentence, whether that name is plural)
_FIELD_NAMES: dict[str, tuple[str, bool]] = {
    "title": ("title", False),
    "company": ("company name", False),
    "details": ("details", True),
    "note": ("note", False),
    "location": ("location", False),
    "remote": ("remote setting", False),
    "pay_range": ("pay range", False),
    "tags": ("tags", True),  # pressure-checked only; parse_tags limits their size
}

# A company's name is a fact, not the recruiter's wording: "Urgently" and "Deadline Games" are real
# companies, and refusing them would leave the recruiter no way to post the role.
_NOT_WORDING = frozenset({"company"})

# Spelled as shown back to the recruiter. The spec's principle 1 lists the first ones.
PRESSURE_PHRASES: tuple[str, ...] = (
    "ASAP",
    "urgent",
    "urgently",
    "urgency",
    "last chance",
    "don't miss",
    "hurry",
    "today only",
    "act now",
    "act fast",
    "don't wait",
    "limited time",
    "now or never",
    "final chance",
    "last call",
    "before it's too late",
    "time is running out",
    "time-sensitive",
    "immediately",
    "deadline",
    # German, French and Spanish (Nudge speaks them, and recruiters may write in them)
    "dringend",
    "letzte Chance",
    "nicht verpassen",
    "beeil dich",
    "nur heute",
    "Frist",
    "dernière chance",
    "ne manquez pas",
    "dépêchez-vous",
    "aujourd'hui seulement",
    "immédiatement",
    "date limite",
    "urgente",
    "última oportunidad",
    "no te lo pierdas",
    "date prisa",
    "solo hoy",
    "fecha límite",
    "inmediatamente",
)

_SPACE = r"[\s\-]+"  # "last chance", "last-chance", "last  chance"
_APOSTROPHE = "['\u2019\u2018`]?"  # don't, don’t, dont
_PHRASE_PATTERNS: dict[str, str] = {
    "ASAP": r"a\.?s\.?a\.?p",
    "urgent": r"urgent",
    "urgently": r"urgently",
    "urgency": r"urgency",
    "last chance": rf"last{_SPACE}chances?",
    "don't miss": rf"(?:don{_APOSTROPHE}t|do{_SPACE}not){_SPACE}miss",
    "hurry": r"hurr(?:y|ies|ied|ying)",  # "no hurrying" still puts hurry in the reader's mind
    "today only": rf"today{_SPACE}only",
    "act now": rf"act{_SPACE}now",
    "act fast": rf"act{_SPACE}fast",
    "don't wait": rf"(?:don{_APOSTROPHE}t|do{_SPACE}not){_SPACE}wait",
    "limited time": rf"limited{_SPACE}time",
    "now or never": rf"now{_SPACE}or{_SPACE}never",
    "final chance": rf"final{_SPACE}chances?",
    "last call": rf"last{_SPACE}call",
    "before it's too late": rf"before{_SPACE}(?:it{_APOSTROPHE}s|it{_SPACE}is){_SPACE}too{_SPACE}late",
    "time is running out": rf"time{_SPACE}is{_SPACE}running{_SPACE}out",
    "time-sensitive": rf"time{_SPACE}sensitive",
    "immediately": r"immediately",
    "deadline": r"deadlines?",
    "dringend": r"dringend\w*",
    "letzte Chance": rf"letzte{_SPACE}chance",
    "nicht verpassen": rf"nicht{_SPACE}verpass\w*",
    "beeil dich": rf"beeil(?:{_SPACE}dich|en{_SPACE}sie|t{_SPACE}euch)",
    "nur heute": rf"nur{_SPACE}heute",
    "Frist": r"frist(?:en)?",
    "dernière chance": rf"derni[e]re{_SPACE}chances?",
    "ne manquez pas": rf"ne{_SPACE}(?:manquez|manque|ratez|rate){_SPACE}pas",
    "dépêchez-vous": rf"depech(?:ez{_SPACE}vous|e{_SPACE}toi)",
    "aujourd'hui seulement": rf"aujourd{_APOSTROPHE}hui{_SPACE}seulement",
    "immédiatement": r"immediatement",
    "date limite": rf"dates?{_SPACE}limites?",
    "urgente": r"urgentes?",
    "última oportunidad": rf"ultima{_SPACE}oportunidad",
    "no te lo pierdas": rf"no{_SPACE}te{_SPACE}(?:lo{_SPACE})?pierdas",
    "date prisa": rf"(?:date{_SPACE}prisa|apurate)",
    "solo hoy": rf"solo{_SPACE}hoy",
    "fecha límite": rf"fechas?{_SPACE}limites?",
    "inmediatamente": r"inmediatamente",
}
assert tuple(_PHRASE_PATTERNS) == PRESSURE_PHRASES
# Whole words only: "burgent" and "hurrycane" are not pressure.
_PRESSURE_RES = tuple(
    (phrase, re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)) for phrase, pattern in _PHRASE_PATTERNS.items()
)


def find_pressure_language(text: str) -> list[str]:
    """The pressure phrases in `text` (whole words, any case), as spelled in PRESSURE_PHRASES.

    In PRESSURE_PHRASES order, each at most once. Inflections count where the word keeps its
    pressure: "urgently", "hurrying", "deadlines", "last chances"; so do "dont" and "do not miss".
    The text is folded first (`folding.fold`), so full-width letters, zero-width characters and
    look-alike letters do not hide a phrase.
    """
    folded = fold(text)
    return [phrase for phrase, pattern in _PRESSURE_RES if pattern.search(folded)]


def _quoted(phrases: Sequence[str]) -> Alternatives:
    return Alternatives(f"\u201c{p}\u201d" for p in phrases)


# field -> the whole sentence when it is too long, so each language can word it for that field
_TOO_LONG: dict[str, str] = {
    "title": N_("The title is {length} characters; please keep it under {limit}."),
    "company": N_("The company name is {length} characters; please keep it under {limit}."),
    "details": N_("The details are {length} characters; please keep them under {limit}."),
    "note": N_("The note is {length} characters; please keep it under {limit}."),
    "location": N_("The location is {length} characters; please keep it under {limit}."),
    "remote": N_("The remote setting is {length} characters; please keep it under {limit}."),
    "pay_range": N_("The pay range is {length} characters; please keep it under {limit}."),
}

# field -> the whole sentence when it uses pressure language ({phrases}: the quoted phrases found)
_PRESSURE: dict[str, str] = {
    "title": N_(
        "Nudge keeps invitations low-pressure, so the title can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "details": N_(
        "Nudge keeps invitations low-pressure, so the details can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "note": N_(
        "Nudge keeps invitations low-pressure, so the note can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "location": N_(
        "Nudge keeps invitations low-pressure, so the location can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "remote": N_(
        "Nudge keeps invitations low-pressure, so the remote setting can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "pay_range": N_(
        "Nudge keeps invitations low-pressure, so the pay range can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
    "tags": N_(
        "Nudge keeps invitations low-pressure, so the tags can't use {phrases}. People we invite are happily "
        "employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    ),
}


def check_recruiter_text(field: str, text: str) -> Said | None:
    """None when `text` is fine for `field`, else one kind line saying what to change.

    Too long is reported first (shortening may remove the phrase anyway). The message names only
    the field and the matched phrases, never the rest of the text. The company name is checked for
    length only (see _NOT_WORDING).
    """
    if field not in _FIELD_NAMES:
        raise ValueError(f"unknown recruiter text field {field!r}")
    limit = LIMITS.get(field)
    if limit is not None and len(text) > limit:
        return Said(_TOO_LONG[field], length=Count(len(text)), limit=Count(limit))
    found = [] if field in _NOT_WORDING else find_pressure_language(text)
    if found:
        return Said(_PRESSURE[field], phrases=_quoted(found))
    return None

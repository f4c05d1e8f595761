"""Which language Nudge speaks to a person: their own choice, else their Slack locale, else the
workspace default. Pure, so the rule is one place and the tests can walk every case."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    ENGLISH = "en"
    GERMAN = "de"
    FRENCH = "fr"
    SPANISH = "es"


AUTOMATIC = "auto"
LANGUAGES = tuple(Language)
# Each language in its own words: how the preferences modal offers it.
ENDONYMS = {
    Language.ENGLISH: "English",
    Language.GERMAN: "Deutsch",
    Language.FRENCH: "Français",
    Language.SPANISH: "Español",
}


def language_of_locale(locale: str | None) -> Language | None:
    """`de-DE` → de, `es-LA` → es, `fr-CA` → fr; a locale Nudge does not speak (`ja-JP`) → None."""
    if not locale:
        return None
    primary = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    try:
        return Language(primary)
    except ValueError:
        return None


def chosen_language(choice: str | None) -> Language | None:
    """A stored preference as a language; `auto`, empty or unknown means no choice."""
    try:
        return Language(choice) if choice else None
    except ValueError:
        return None


def resolve_language(*, choice: str | None, slack_locale: str | None, default: Language) -> Language:
    """The spec's order: the person's choice in prefs, then their Slack locale, then the default."""
    return chosen_language(choice) or language_of_locale(slack_locale) or default

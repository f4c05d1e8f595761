"""Pieces of the preferences modal and the App Home summary that speak the person's language:
how often, the send window in the locale's day names, the hours, and the *Language* choice."""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, Option, StaticSelectElement

from bot.copy.i18n import N_, _, current_language, day_name
from bot.rules.eligibility import Cadence
from bot.rules.grammar import SendWindow
from bot.rules.language import AUTOMATIC, ENDONYMS, LANGUAGES, Language, chosen_language

CADENCE_TEXT = {
    Cadence.MONTHLY: N_("At most monthly"),
    Cadence.QUARTERLY: N_("At most quarterly"),
    Cadence.TWICE_A_YEAR: N_("At most twice a year"),
}


def cadence_text(cadence: Cadence) -> str:
    return _(CADENCE_TEXT[cadence])


def window_text(window: SendWindow) -> str:
    """A send window in the person's language: the locale's day names, then the hours."""
    if current_language() is Language.ENGLISH:
        return str(window)
    days = ", ".join(day_name(day) for day in sorted(window.days))
    return f"{days} {hhmm(window.start)}–{hhmm(window.end)}"


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def language_input(choice: str | None) -> InputBlock:
    """*Language*: Automatic (Slack's locale), or one of the languages, each in its own words."""
    options = [Option(value=AUTOMATIC, text=_("Automatic (your Slack language)"))]
    options += [Option(value=language.value, text=ENDONYMS[language]) for language in LANGUAGES]
    chosen = chosen_language(choice)
    return InputBlock(
        block_id="language",
        label=_("Language"),
        element=StaticSelectElement(
            action_id="value", options=options, initial_option=options[LANGUAGES.index(chosen) + 1 if chosen else 0]
        ),
    )


def time_options(extra: tuple[int, ...]) -> list[Option]:
    minutes = sorted(set(range(0, 1441, 15)) | set(extra))
    return [Option(value=hhmm(m), text=hhmm(m)) for m in minutes]

"""Nudge's words in the person's language: gettext catalogs read with Babel.

The catalogs are the `.po` files under `bot/copy/locale/` (under version control); each is
compiled in memory the first time it is needed, so installing or starting is all the set-up and
no compiled `.mo` file exists to go stale. The language of the message being built is set once
where a message is made for a person (`speaking(lang)`: the sender, a handler, App Home) and
every `_()` below it reads it, so copy functions need no extra argument threaded through them.

Every sentence is one msgid with named `{placeholders}` a translator may reorder; plural forms go
through `ngettext`. Missing or fuzzy entries fall back to English (and a test fails on them).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from bot.rules.language import Language
from bot.rules.preferences import Said, describe_day
from bot.rules.said import Alternatives, Count, Term

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "nudge"
# The language, or how to find it out when a message is first built (see `speak_when_asked`).
_language: ContextVar[Language | Callable[[], Language | str | None]] = ContextVar(
    "nudge_language", default=Language.ENGLISH
)


def catalog_path(language: Language) -> Path:
    return LOCALE_DIR / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalog of one language (English is the msgids themselves)."""
    path = catalog_path(language)
    if language is Language.ENGLISH or not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language.value, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


@contextmanager
def speaking(language: Language | str | None) -> Iterator[Language]:
    """Build every message inside in `language` (English when None)."""
    chosen = Language(language) if language else Language.ENGLISH
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


def speak_when_asked(find_out: Callable[[], Language | str | None]) -> None:
    """Set the language for everything this thread builds until it is set again, looked up only
    when the first message is built: a request's middleware knows whose it is before the listener
    acks, and reading their language there would put a query before the ack."""
    _language.set(find_out)


def current_language() -> Language:
    chosen = _language.get()
    if callable(chosen):
        found = chosen()
        chosen = Language(found) if found else Language.ENGLISH
        _language.set(chosen)
    return chosen


def _(message: str, **values: object) -> str:
    """One whole sentence in the current language, its `{placeholders}` filled in."""
    text = translations(current_language()).gettext(message)
    return text.format(**values) if values else text


def say(text: str) -> str:
    """A text the rules worded (`Said`) in the current language, its counts and alternatives
    written the reader's way; any other text as it is."""
    if not isinstance(text, Said):
        return text
    return _(text.msgid, **{name: _localised(value) for name, value in text.values.items()})


def _localised(value: object) -> object:
    if isinstance(value, Count):
        return number(value)
    if isinstance(value, Alternatives):
        return either(_localised(item) for item in value)
    if isinstance(value, Term):
        return _(value)
    return value


def number(value: float) -> str:
    """A count or amount as the reader's locale writes it (`1,234`, `1.234`, `1 234`)."""
    return format_decimal(value, locale=locale())


def tenths(value: float) -> str:
    """An amount to one decimal place, as the reader's locale writes it (`3.5`, `3,5`)."""
    return format_decimal(value, format="#,##0.0", locale=locale())


def hundredths(value: float) -> str:
    """A measured amount to two decimal places, as the reader's locale writes it (`0.12`, `0,12`)."""
    return format_decimal(value, format="#,##0.00", locale=locale())


def money(value: int, currency: str | None) -> str:
    """A whole amount as the reader's locale writes money (`80.000 €`, `80 000 CHF`); without a
    known currency, the number alone."""
    if not currency:
        return number(value)
    pattern = locale().currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(value, currency, format=pattern, locale=locale(), currency_digits=False)


def percent(rate: float) -> str:
    """A share as the reader's locale writes it (`42%`, `42 %`)."""
    return format_percent(rate, locale=locale())


def either(items: Iterable[object]) -> str:
    """Alternatives joined as the reader's language joins them ("a, b, or c", "a, b o c")."""
    return format_list([str(item) for item in items], style="or", locale=locale())


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """A sentence whose form depends on `n` (`{n}` is always available to it, written as the
    reader's locale writes numbers)."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return text.format(n=number(n), **values)


def locale() -> Locale:
    return Locale.parse(current_language().value)


def long_date(moment: datetime, zone: tzinfo | None = None) -> str:
    """A date as the person's locale writes it (`1. März 2027`, `1 mars 2027`, `1 de marzo de
    2027`); English keeps the unambiguous `2027-03-01` its copy has always shown."""
    local = moment.astimezone(zone) if zone is not None and moment.tzinfo else moment
    if current_language() is Language.ENGLISH:
        return f"{local:%Y-%m-%d}"
    return format_date(local.date(), format="long", locale=locale())


def day_and_date(moment: datetime, zone: ZoneInfo) -> str:
    """A day as people read it, in their zone and language: "Monday 1 March 2027",
    "Montag, 1. März 2027", "lundi 1 mars 2027", "lunes, 1 de marzo de 2027"."""
    if current_language() is Language.ENGLISH:
        return describe_day(moment, zone)
    return format_date(moment.astimezone(zone).date(), format="full", locale=locale())


def date_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A date and time in the person's locale and zone."""
    return format_datetime(moment, format="medium", tzinfo=zone, locale=locale())


def day_name(weekday: int) -> str:
    """Monday is 0, as in `datetime.weekday()`; the locale's abbreviated name."""
    return locale().days["format"]["abbreviated"][weekday]


def N_(message: str) -> str:
    """A msgid kept as a constant and translated where it is shown (`_(CONSTANT)`)."""
    return message

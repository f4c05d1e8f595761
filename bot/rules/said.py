"""Texts the rules word for people: marked for extraction, translated where copy shows them.

Pure: the standard library only. Values that read differently from language to language (a
count, a list of alternatives) keep their raw form inside a `Said`, so copy can write them the
reader's way (`1.234`, "a, b o c") while `str()` stays the English people and logs have read.
"""

from __future__ import annotations

from collections.abc import Iterable


def N_(message: str) -> str:
    """Marks a msgid for extraction (`babel.cfg`); copy translates it where it is shown."""
    return message


class Count(int):
    """A number a person reads: English groups thousands with commas (`1,234`); copy writes it
    as the reader's locale does."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec or ",")


class Alternatives(tuple[str, ...]):
    """Several phrases of which any one is meant, each already quoted: English joins them with
    "or" (`“a”, “b” or “c”`); copy joins them as the reader's language does."""

    def __new__(cls, items: Iterable[str]) -> Alternatives:
        return super().__new__(cls, tuple(items))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __str__(self) -> str:
        return self[0] if len(self) == 1 else ", ".join(self[:-1]) + " or " + self[-1]


class Term(str):
    """A stored English word shown to a person (a stage, say): it is its own msgid, so copy shows
    the reader's word for it while the stored value and the command grammar stay English."""


class Said(str):
    """An English text that keeps its msgid and values, so copy can say it in the reader's
    language (`bot.copy.i18n.say`); everywhere else it is the plain English string."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Said:
        said = super().__new__(cls, msgid.format(**values) if values else msgid)
        said.msgid, said.values = msgid, values
        return said

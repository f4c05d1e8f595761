"""Texts the rules word for people: marked for extraction, translated where copy shows them.

Pure: the standard library only.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a msgid for extraction (`babel.cfg`); copy translates it where it is shown."""
    return message


class Said(str):
    """An English text that keeps its msgid and values, so copy can say it in the reader's
    language (`bot.copy.i18n.say`); everywhere else it is the plain English string."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Said:
        said = super().__new__(cls, msgid.format(**values) if values else msgid)
        said.msgid, said.values = msgid, values
        return said

"""The per-process language memory: a change announced in this process is seen by the very next
reply, one announced while a read was under way is not overwritten by that read's older answer,
and an entry from another process's point of view goes stale after `keep_for`."""

from __future__ import annotations

from bot.rules.language import Language
from bot.usecases.known_languages import KnownLanguages, announce_to


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_kept_language_is_answered_until_it_expires():
    ticks = Ticks()
    known = KnownLanguages(keep_for=30, clock=ticks)
    with known.reading("U1") as keep:
        keep(Language.GERMAN)
    assert known.get("U1") is Language.GERMAN
    ticks.now = 30.5
    assert known.get("U1") is None


def test_a_change_announced_here_is_read_again_at_once():
    known = KnownLanguages()
    with known.reading("U1") as keep:
        keep(Language.GERMAN)
    known.forget("U1")
    assert known.get("U1") is None


def test_a_change_announced_during_a_read_keeps_nothing_from_that_read():
    known = KnownLanguages()
    with known.reading("U1") as keep:
        known.forget("U1")
        keep(Language.GERMAN)
    assert known.get("U1") is None
    with known.reading("U1") as keep:
        keep(Language.FRENCH)
    assert known.get("U1") is Language.FRENCH


def test_nobody_is_remembered_once_reads_and_changes_are_over():
    known = KnownLanguages()
    with known.reading("U1"):
        known.forget("U1")
    known.forget("U2")
    assert known._reading == {} and known._changed_while_read == set() and known._known == {}


def test_each_listener_hears_of_a_change_in_order():
    heard: list[tuple[str, str]] = []
    announce_to(lambda u: heard.append(("first", u)), lambda u: heard.append(("second", u)))("U1")
    assert heard == [("first", "U1"), ("second", "U1")]

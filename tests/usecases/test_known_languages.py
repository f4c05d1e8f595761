"""The per-process language memory: a change announced in this process is seen by the very next
reply, one announced while a read was under way is not overwritten by that read's older answer,
and an entry from another process's point of view goes stale after `keep_for`."""

from __future__ import annotations

from sqlalchemy import event

from bot.rules.consent import Via
from bot.rules.language import Language
from bot.usecases.consent import Consent
from bot.usecases.known_languages import KnownLanguages, announce_to
from bot.usecases.people import People
from storage import candidates


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


def test_locales_read_for_replies_reach_the_rows_together_in_one_statement(ctx, engine, slack):
    """Issue 22: each new person's locale was a write transaction of its own; now the locales
    read within a second are written with one statement, and a person Nudge does not store
    gets no row from it."""
    for person in ("U1", "U2"):
        Consent(ctx).join(person, via=Via.COMMAND)
    slack.locale = "de-DE"
    people = People(ctx, slack)
    people.locales.every = 60  # written below, not by the timer
    assert [people.language_of(p) for p in ("U1", "U2", "UNSTORED")] == [Language.GERMAN] * 3
    updates: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, sql, *a: updates.append(sql))
    people.locales.write()
    assert len([s for s in updates if s.startswith("UPDATE")]) == 1
    with ctx.sessions() as session:
        assert candidates.language_inputs(session, slack_user_id="U1")[1] == "de-DE"
        assert candidates.language_inputs(session, slack_user_id="U2")[1] == "de-DE"
        assert candidates.get_candidate(session, slack_user_id="UNSTORED") is None

"""The language each person was last answered in, kept in this process for a short while.

Every request builds its reply in the asker's language, and App Home and the sender build in
their recipient's: without this, each of them reads the person's row again (a transaction of its
own), several times for one click. The entries are dropped when this process commits a change to
the person (`AppContext.changed`, so a language chosen in the preferences modal is used by the
very next reply), and they expire after `KEEP_FOR`.

Another process may change a person's language (several processes on PostgreSQL share the
database, not this memory). This process then answers in the earlier language for at most
`KEEP_FOR`: the person chose it a moment ago, the change is shown on the tab the other process
publishes, and a reply in the language they used until a minute ago is understood, so a short
staleness is a fair price for one query less per request. Nothing else is decided from it: who
may be messaged, consent and roles are always read from the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.rules.language import Language

KEEP_FOR = 30.0  # seconds: how stale a language chosen through another process may be here
MOST = 10_000  # people remembered at once; the oldest go first


class KnownLanguages:
    def __init__(self, *, keep_for: float = KEEP_FOR, clock: Callable[[], float] = time.monotonic) -> None:
        self.keep_for = keep_for
        self._clock = clock
        self._lock = threading.Lock()
        self._known: dict[str, tuple[float, Language]] = {}
        self._reading: dict[str, int] = {}  # reads of a person's row under way (nobody stays here)
        self._changed_while_read: set[str] = set()

    def get(self, user_id: str) -> Language | None:
        with self._lock:
            known = self._known.get(user_id)
            if known is None or self._clock() - known[0] > self.keep_for:
                return None
            return known[1]

    @contextmanager
    def reading(self, user_id: str) -> Iterator[Callable[[Language], None]]:
        """Around reading the row: what it yields keeps the answer, unless a change to this
        person was announced meanwhile (the read may have seen the state before that change)."""
        with self._lock:
            self._reading[user_id] = self._reading.get(user_id, 0) + 1
        try:
            yield lambda language: self._keep(user_id, language)
        finally:
            with self._lock:
                self._reading[user_id] -= 1
                if not self._reading[user_id]:
                    del self._reading[user_id]
                    self._changed_while_read.discard(user_id)

    def _keep(self, user_id: str, language: Language) -> None:
        with self._lock:
            if user_id in self._changed_while_read:
                return
            self._known.pop(user_id, None)
            if len(self._known) >= MOST:
                self._known.pop(next(iter(self._known)))
            self._known[user_id] = (self._clock(), language)

    def forget(self, user_id: str) -> None:
        """A change to this person was committed: their language is read again next time."""
        with self._lock:
            self._known.pop(user_id, None)
            if user_id in self._reading:
                self._changed_while_read.add(user_id)


def announce_to(*listeners: Callable[[str], None]) -> Callable[[str], None]:
    """One `AppContext.notify` that tells each listener, in order, that a person changed."""

    def notify(user_id: str) -> None:
        for listener in listeners:
            listener(user_id)

    return notify

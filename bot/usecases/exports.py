"""At most one export per person per minute (`/nudge mydata`, the admin's consent export).

An export reads a person's whole record (or the whole ledger) and uploads a file: repeated
quickly it would only queue work on the export executor. The answer to a repeat is a kind
reply, not a second file. Kept in this process's memory for a minute at most: a limit on
load, not a record about anyone.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from enum import StrEnum

from bot.rules.clock import Clock

EVERY = timedelta(minutes=1)


class Export(StrEnum):
    MYDATA = "mydata"
    CONSENT_LEDGER = "consent_ledger"


class ExportGate:
    """Says whether a person may start an export of a kind now, and remembers that they did."""

    def __init__(self, clock: Clock, every: timedelta = EVERY) -> None:
        self._clock = clock
        self._every = every
        self._started: dict[tuple[Export, str], datetime] = {}
        self._lock = threading.Lock()

    def allow(self, user_id: str, kind: Export) -> bool:
        """True (and counted) unless this person started this export less than a minute ago."""
        now = self._clock()
        with self._lock:
            self._started = {key: at for key, at in self._started.items() if now - at < self._every}
            if (kind, user_id) in self._started:
                return False
            self._started[(kind, user_id)] = now
            return True

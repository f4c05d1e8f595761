"""A clock tests can set and move: passed into the app instead of patching time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class MovableClock:
    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta) -> None:
        with self._lock:
            self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

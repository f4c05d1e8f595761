"""Slack locales read for replies, written onto the people's rows together, about once a second.

A new person's first reply needs their Slack locale (`users.info`), and the locale is kept on
their row so that other processes need not read it again. Written at once, that is a write
transaction of its own per new person — in a launch-day burst of joins, a second commit (and
SQLite's one write lock taken again) for every join. Kept here and written in one statement per
second instead, a burst costs one transaction a second.

Nothing depends on the row having it soon: this process answers from its own memory of what it
read (`People`), and another process that finds no locale on the row reads it from Slack itself,
as before; a locale lost with a process that stops is read again the next time it is needed.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.usecases.context import AppContext
from storage import candidates

log = logging.getLogger(__name__)

WRITE_EVERY = 1.0  # seconds a read locale may wait before it is on the person's row


class LocaleWrites:
    def __init__(self, ctx: AppContext, *, every: float = WRITE_EVERY) -> None:
        self.ctx = ctx
        self.every = every
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[str | None, datetime]] = {}
        self._timer: threading.Timer | None = None

    def remember(self, user_id: str, locale: str | None, now: datetime) -> None:
        """Keep the locale Slack reported for this person's row; written within `every` seconds."""
        with self._lock:
            self._pending[user_id] = (locale, now)
            if self._timer is None:
                self._timer = threading.Timer(self.every, self.write)
                self._timer.name = "nudge-locales"
                self._timer.daemon = True
                self._timer.start()

    def write(self) -> None:
        """Every pending locale in one transaction (people Nudge does not store are skipped)."""
        with self._lock:
            pending, self._pending, self._timer = self._pending, {}, None
        if not pending:
            return
        try:
            with self.ctx.sessions() as session, session.begin():
                candidates.remember_slack_locales(session, pending)
        except SQLAlchemyError as error:  # a cache: read from Slack again next time
            log.warning("locales not stored: %s", type(error).__name__, extra={"action": "people.locales_unstored"})

"""Waiting for a send in flight to one person to land.

An opt-out's confirmation (and an erasure) must never overtake a message already on its way to
that person: the send lock (`storage.send_locks`) says whether one is, and these wait for it —
in the background, so an ack never waits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor

from bot.usecases.context import AppContext
from storage import send_locks

log = logging.getLogger(__name__)


class InFlight:
    """Whether a send to a person is under way, and ways to act once it has landed."""

    def __init__(self, ctx: AppContext, background: Executor | None = None) -> None:
        self.ctx = ctx
        self.background = background

    @property
    def patience(self) -> float:
        """How long a background wait may last: a sender that died holding the lock stops
        counting when its lease ends."""
        return self.ctx.settings.claim_lease.total_seconds() + 10

    def send_in_flight(self, user_id: str) -> bool:
        with self.ctx.sessions() as session:
            return send_locks.send_in_flight(session, user_id=user_id, now=self.ctx.clock())

    def wait_until_quiet(self, user_id: str, timeout: float = 60.0) -> bool:
        """Wait until no send to this person is in flight; True when quiet."""
        deadline = time.monotonic() + timeout
        while self.send_in_flight(user_id):
            if time.monotonic() >= deadline:
                log.warning("a send to this person is still in flight", extra={"action": "quiet.timeout"})
                return False
            time.sleep(0.05)
        return True

    def when_quiet(self, user_id: str, action: Callable[[], object]) -> bool:
        """Run `action` now if no send to this person is in flight (True), else in the
        background once the send has finished (False). Confirmations of an opt-out go this
        way, so they never overtake a message already on its way, and never hold up an ack."""
        if self.background is None:
            self.wait_until_quiet(user_id)
            action()
            return True
        if not self.send_in_flight(user_id):
            action()
            return True
        self.after_quiet(user_id, action)
        return False

    def after_quiet(self, user_id: str, action: Callable[[], object]) -> None:
        """In the background: wait for the send in flight, then run `action`."""

        def later() -> None:
            self.wait_until_quiet(user_id, timeout=self.patience)
            action()

        if self.background is None:
            later()
        else:
            self.background.submit(later)

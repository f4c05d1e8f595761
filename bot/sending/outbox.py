"""Dispatch: turning due steps into sends, each delivered at most once, off the request threads.

Freshly queued steps are kicked onto the sending executor at once; the scheduler's tick claims
what is due in batches (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the
work) and sends each through `bot.sending.sender`. Sending stops in every process while Slack
refuses the bot (`bot.sending.halt`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError

from bot.rules.steps import PROACTIVE
from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.sender import SendOutcome, StepSender
from bot.usecases.context import AppContext
from storage import steps

log = logging.getLogger(__name__)

BUSY_PAUSE_SECONDS = 0.1


@dataclass
class _Budget:
    """What the tick's workers share: steps still allowed, and steps already taken this tick."""

    left: int
    seen: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, batch: int) -> tuple[int, frozenset[int]]:
        with self.lock:
            take = min(batch, self.left)
            self.left -= take
            return take, frozenset(self.seen)

    def claimed(self, ids: list[int], asked: int) -> None:
        with self.lock:
            self.seen.update(ids)
            self.left += asked - len(ids)


class Outbox:
    def __init__(
        self,
        ctx: AppContext,
        sender: StepSender,
        reads: SlackReads,
        executor: Executor,
        *,
        workers: int = 4,
        claim_batch: int = 8,
        forward: Callable[[Sequence[int | None]], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.forward = forward  # a serving process hands its kicks to the sender process
        self.sender = sender
        self.reads = reads
        self.executor = executor
        self.workers = workers
        self.claim_batch = claim_batch  # steps one worker claims per statement; sent in turn within the lease

    @property
    def switch(self) -> SendingSwitch:
        return self.sender.switch

    @property
    def lease(self) -> timedelta:
        return self.sender.lease

    def kick(self, message_ids: Sequence[int | None]) -> None:
        """Send freshly queued steps soon, off the request thread (in the sender process, when
        sending runs apart)."""
        if self.forward is not None:
            self.forward(message_ids)
            return
        for message_id in message_ids:
            if message_id is not None:
                self.executor.submit(self.send_logged, message_id)

    def tick(self) -> int:
        """The scheduler's job: send what is due with a few workers; a database outage is
        logged and waited out (the next tick tries again), never fatal."""
        try:
            return self.send_due(workers=self.workers)
        except DBAPIError as error:
            log.warning(
                "database unavailable, sending waits: %s",
                type(error.orig).__name__ if error.orig else error,
                extra={"action": "outbox.db_down"},
            )
            return 0

    def send_due(self, limit: int = 500, workers: int = 1) -> int:
        """Claim and send due steps until none is left (or `limit`); returns how many were
        delivered. Each worker claims a batch of due steps in one statement (SKIP LOCKED) and
        sends them in due order; every send renews its claim from fresh time first, so a step
        whose lease ran out while it waited is given up, never sent twice."""
        if self.switch.halted():
            log.info(
                "sending is stopped (%s); waiting for auth.test to succeed",
                self.switch.halted(),
                extra={"action": "outbox.stopped"},
            )
            return 0
        budget = _Budget(limit)
        if workers <= 1:
            return self._work(budget)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nudge-tick") as pool:
            return sum(f.result() for f in [pool.submit(self._work, budget) for _ in range(workers)])

    def _work(self, budget: _Budget) -> int:
        sent = 0
        while not self.switch.halted():
            take, skip = budget.take(self.claim_batch)
            if take <= 0:
                return sent
            claimed_at = self.ctx.clock()
            with self.ctx.sessions() as session, session.begin():
                ids = steps.claim_due(session, now=claimed_at, lease=self.lease, limit=take, exclude=skip)
            if not ids:
                return sent
            budget.claimed(ids, take)
            self._read_dnd_for(ids)
            for message_id in ids:
                if self.switch.halted():  # what is left stays claimed until its lease ends, then is retried
                    break
                sent += self.send_logged(message_id, busy_retries=1, held=claimed_at + self.lease)
        return sent

    def _read_dnd_for(self, message_ids: list[int]) -> None:
        with self.ctx.sessions() as session:
            users = steps.recipients(session, message_ids=message_ids, kinds=PROACTIVE)
        self.reads.read_dnd_for(users)

    def send_logged(self, message_id: int, busy_retries: int = 50, held: datetime | None = None) -> bool:
        """Send one step; while another send to the same person is in flight, try again shortly
        (replies should not wait for the next tick just because a message was on its way)."""
        try:
            for attempt in range(busy_retries):
                outcome = self.sender.send_one(message_id, held=held if attempt == 0 else None)
                if outcome is not SendOutcome.BUSY:
                    return outcome is SendOutcome.SENT
                time.sleep(BUSY_PAUSE_SECONDS)
            return False
        except Exception:  # a worker thread has no caller to tell; the lease runs out and it is retried
            log.exception("sending step %s failed", message_id, extra={"action": "outbox.crash"})
            return False

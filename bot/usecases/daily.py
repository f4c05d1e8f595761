"""The daily jobs: consent renewal and data retention, once a day across every process.

Whichever process first records today's run does it (a `daily_run` row per job and UTC day);
on PostgreSQL an advisory lock also keeps two processes from starting it at the same moment.
Candidates are read a page at a time (keyset pagination by primary key, `batch_size` rows per
short read), never all at once, and what a page needs to know (when each person opted in, when
each was last in contact) is read for the whole page in one grouped query, not per person: at
100k candidates per-person lookups were 300k round trips, minutes of a busy thread. Each change is
its own short write transaction, so one failure does not stop the rest and no write lock is held
long enough to delay a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text

from bot.copy import candidate as wording
from bot.rules import consent
from bot.rules.consent import ConsentStatus, Via
from bot.rules.steps import Kind
from bot.rules.timing import consent_renewal_due, renewal_lapsed, retention_due
from bot.usecases import ledger
from bot.usecases.context import AppContext
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from storage import candidates, markers, runs, steps
from storage import ledger as ledger_rows

log = logging.getLogger(__name__)

DAILY_LOCK_ID = 0x4E75_6467_6502
JOB = "daily"


@dataclass
class DailyJobs:
    ctx: AppContext
    inflight: InFlight
    batch_size: int = 500
    # A breath between pages: the job shares the process (its interpreter) and the machine with
    # the threads that answer Slack. After each page it rests `share` times as long as the page
    # took (at least `pause`), so it never takes more than 1 / (1 + share) of the time, on a slow
    # machine as on a fast one: the acks stay quick and the job, which has all day, takes longer.
    pause: float = 0.02
    share: float = 3.0
    timer: Callable[[], float] = time.monotonic  # pacing measures real work, not the domain clock
    rest: Callable[[float], None] = time.sleep
    # Called before each page and each person's write: returns once no request is being answered
    # (bounded; see `bot.entry.web.RequestsInFlight`), so a slice of the job never runs beside an ack.
    give_way: Callable[[], None] = lambda: None

    def run(self) -> bool:
        """Run today's jobs unless another process already has; True when this one ran them."""
        now = self.ctx.clock()
        day = now.date().isoformat()
        with self.ctx.sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                got = session.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": DAILY_LOCK_ID}).scalar_one()
                if not got:
                    return False
            if not runs.start_daily_run(session, job=JOB, day=day, now=now):
                return False
        renewals = self.consent_renewal()
        lapsed = self.renewal_lapses()
        erased = self.retention()
        with self.ctx.sessions() as session, session.begin():
            markers.prune_processed_events(session, before=now - timedelta(days=7))
        with self.ctx.sessions() as session, session.begin():
            runs.finish_daily_run(session, job=JOB, day=day, now=self.ctx.clock())
        log.info(
            "daily jobs: %d renewal questions, %d lapsed opt-ins, %d erased",
            renewals,
            lapsed,
            erased,
            extra={"action": "daily.done"},
        )
        return True

    def _pages(self):
        """Every candidate, streamed a page at a time: one short read per page, none held open
        while the caller works on a page (writes happen between reads, not inside one)."""
        after = 0
        while True:
            self.give_way()
            started = self.timer()
            with self.ctx.sessions() as session:
                page = candidates.candidates_after(session, after_id=after, limit=self.batch_size)
            if not page:
                return
            yield page
            after = page[-1].id
            if len(page) < self.batch_size:
                return
            if self.pause > 0:
                self.rest(max(self.pause, self.share * (self.timer() - started)))

    def consent_renewal(self) -> int:
        """Ask people whose consent period has passed whether to keep their opt-in (once)."""
        period = self.ctx.settings.consent_period
        asked = 0
        for page in self._pages():
            opted_in = [c for c in page if c.consent_status == ConsentStatus.OPTED_IN and not c.renewal_asked_at]
            with self.ctx.sessions() as session:  # one read per page: most people are not due
                since = ledger_rows.consents_since(session, slack_user_ids=[c.slack_user_id for c in opted_in])
            now = self.ctx.clock()
            for candidate in opted_in:
                given = since.get(candidate.slack_user_id)
                if given is None or not consent_renewal_due(given, None, period, now):
                    continue
                self.give_way()
                with self.ctx.sessions() as session, session.begin():
                    if steps.pending_step_exists(
                        session, slack_user_id=candidate.slack_user_id, kind=Kind.CONSENT_RENEWAL
                    ):
                        continue
                    steps.enqueue_message(
                        session,
                        slack_user_id=candidate.slack_user_id,
                        channel_id=None,
                        kind=Kind.CONSENT_RENEWAL,
                        now=now,
                    )
                    asked += 1
        return asked

    def renewal_lapses(self) -> int:
        """No answer within 30 days of being asked: opted out, recorded as the system's doing."""
        lapsed = 0
        for page in self._pages():
            for candidate in page:
                now = self.ctx.clock()
                if candidate.renewal_asked_at is None or not renewal_lapsed(candidate.renewal_asked_at, now):
                    continue
                self.give_way()
                with self.ctx.sessions() as session, session.begin():
                    fresh = candidates.lock_existing_candidate(session, slack_user_id=candidate.slack_user_id)
                    if (
                        fresh is None
                        or fresh.renewal_asked_at is None
                        or fresh.consent_status is not ConsentStatus.OPTED_IN
                    ):
                        continue
                    fresh.renewal_asked_at = None
                    ledger.apply_consent_change(
                        session,
                        fresh,
                        consent.opt_out(ConsentStatus.OPTED_IN),
                        via=Via.SYSTEM,
                        wording_version=wording.RENEWAL_WORDING_VERSION,
                        actor=ledger.SYSTEM_ACTOR,
                        now=now,
                    )
                lapsed += 1
                self.ctx.changed(candidate.slack_user_id)
        return lapsed

    def retention(self) -> int:
        """Erase people with no contact for the retention period."""
        retention = self.ctx.settings.retention
        erased = 0
        for page in self._pages():
            with self.ctx.sessions() as session:  # one read per page
                last = candidates.last_contacts(session, candidates=page)
            now = self.ctx.clock()
            for candidate in page:
                if retention_due(last[candidate.slack_user_id], retention, now):
                    self.give_way()
                    self.inflight.wait_until_quiet(candidate.slack_user_id)
                    erase(
                        self.ctx,
                        self.inflight,
                        candidate.slack_user_id,
                        reason=Via.RETENTION,
                        asked_by=ledger.SYSTEM_ACTOR,
                    )
                    erased += 1
        return erased

"""The daily jobs: consent renewal and data retention, once a day across every process.

Whichever process first records today's run does it (a `daily_run` row per job and UTC day);
on PostgreSQL an advisory lock also keeps two processes from starting it at the same moment.
One walk over every candidate does all three jobs, a slice at a time (keyset pagination by primary
key, `batch_size` candidates per short read), and each slice's read returns only the few people
who may be due (`storage.candidates.daily_slice`, narrowed by `bot.rules.timing.daily_cutoffs`):
at a million candidates, three walks each handing every row to Python were most of the job's
cost. The rules still decide each person. Each change is its own short write transaction, so one
failure does not stop the rest and no write lock is held long enough to delay a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text

from bot.copy import candidate as wording
from bot.rules import consent
from bot.rules.consent import ConsentStatus, Via
from bot.rules.steps import Kind
from bot.rules.timing import consent_renewal_due, daily_cutoffs, renewal_lapsed, retention_due
from bot.usecases import ledger
from bot.usecases.context import AppContext
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from storage import candidates, markers, runs, steps

log = logging.getLogger(__name__)

DAILY_LOCK_ID = 0x4E75_6467_6502
JOB = "daily"


@dataclass
class DailyCounts:
    """What one walk did: renewal questions queued, lapsed opt-ins ended, people erased."""

    renewals: int = 0
    lapsed: int = 0
    erased: int = 0


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
        counts = self.sweep()
        with self.ctx.sessions() as session, session.begin():
            markers.prune_processed_events(session, before=now - timedelta(days=7))
        with self.ctx.sessions() as session, session.begin():
            runs.finish_daily_run(session, job=JOB, day=day, now=self.ctx.clock())
        log.info(
            "daily jobs: %d renewal questions, %d lapsed opt-ins, %d erased",
            counts.renewals,
            counts.lapsed,
            counts.erased,
            extra={"action": "daily.done"},
        )
        return True

    def sweep(self, *, renew: bool = True, lapse: bool = True, retain: bool = True) -> DailyCounts:
        """One walk over every candidate for the jobs asked for, each slice's due people handled
        before the next slice is read: renewal questions, then lapses, then erasures (a lapse is
        contact, so it keeps that person from being erased the same day)."""
        counts = DailyCounts()
        for now, piece in self._slices():
            if renew:
                counts.renewals += self._ask_renewals(piece.rows, now)
            if lapse:
                counts.lapsed += self._lapse_renewals(piece.rows, now)
            if retain:
                counts.erased += self._erase_expired(piece.rows, now)
        return counts

    def consent_renewal(self) -> int:
        """Ask people whose consent period has passed whether to keep their opt-in (once)."""
        return self.sweep(lapse=False, retain=False).renewals

    def renewal_lapses(self) -> int:
        """No answer within 30 days of being asked: opted out, recorded as the system's doing."""
        return self.sweep(renew=False, retain=False).lapsed

    def retention(self) -> int:
        """Erase people with no contact for the retention period."""
        return self.sweep(renew=False, lapse=False).erased

    def _slices(self) -> Iterator[tuple[datetime, candidates.DailySlice]]:
        """Every candidate, a slice at a time, each slice one short read that returns only the
        people who may be due (none held open while the caller writes). After each slice the job
        rests `share` times as long as the slice took, its writes included."""
        after = 0
        while True:
            self.give_way()
            started = self.timer()
            now = self.ctx.clock()
            settings = self.ctx.settings
            cutoffs = daily_cutoffs(now, settings.consent_period, settings.retention)
            with self.ctx.sessions() as session:
                piece = candidates.daily_slice(session, after_id=after, limit=self.batch_size, cutoffs=cutoffs)
            if not piece.scanned:
                return
            yield now, piece
            after = piece.end_id
            if piece.scanned < self.batch_size:
                return
            if self.pause > 0:
                self.rest(max(self.pause, self.share * (self.timer() - started)))

    def _ask_renewals(self, rows: list, now: datetime) -> int:
        period = self.ctx.settings.consent_period
        asked = 0
        for row in rows:
            if row.consent_since is None or not consent_renewal_due(row.consent_since, None, period, now):
                continue
            self.give_way()
            with self.ctx.sessions() as session, session.begin():
                if steps.pending_step_exists(session, slack_user_id=row.slack_user_id, kind=Kind.CONSENT_RENEWAL):
                    continue
                steps.enqueue_message(
                    session, slack_user_id=row.slack_user_id, channel_id=None, kind=Kind.CONSENT_RENEWAL, now=now
                )
                asked += 1
        return asked

    def _lapse_renewals(self, rows: list, now: datetime) -> int:
        lapsed = 0
        for row in rows:
            if row.renewal_asked_at is None or not renewal_lapsed(row.renewal_asked_at, now):
                continue
            self.give_way()
            with self.ctx.sessions() as session, session.begin():
                fresh = candidates.lock_existing_candidate(session, slack_user_id=row.slack_user_id)
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
            self.ctx.changed(row.slack_user_id)
        return lapsed

    def _erase_expired(self, rows: list, now: datetime) -> int:
        expiring = [row for row in rows if row.may_expire]
        if not expiring:
            return 0
        retention = self.ctx.settings.retention
        with self.ctx.sessions() as session:  # read after this slice's lapses: a lapse is contact
            last = candidates.last_contacts(session, candidates=expiring)
        erased = 0
        for row in expiring:
            if not retention_due(last[row.slack_user_id], retention, now):
                continue
            self.give_way()
            self.inflight.wait_until_quiet(row.slack_user_id)
            erase(self.ctx, self.inflight, row.slack_user_id, reason=Via.RETENTION, asked_by=ledger.SYSTEM_ACTOR)
            erased += 1
        return erased

"""Sending one step: the state machine every message step goes through, each phase its own
short transaction or Slack call.

1. Claim it with a lease (a conditional update: only one sender wins) and ask `steps.gate`
   whether it is still wanted; a step that must wait goes back with its new due time.
2. For proactive messages, read the person's Slack zone, status and Do Not Disturb now (not from
   a cache) and ask the moment gate (`bot.sending.moment`).
3. With the person's row locked, gate again, take the person's send lock (one send per person
   at a time) and count the attempt.
4. Deliver (`bot.sending.delivery`: reconcile before any resend), then record the result and
   what follows it (`bot.sending.recording`) in one transaction, and release the lock.

Failures go to `bot.sending.failures`; errors about the bot stop all sending in every process
(`bot.sending.halt`). Row locks follow the order in `storage`.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk import WebClient

from bot.rules.language import Language
from bot.rules.statuses import CancelReason
from bot.rules.steps import EDITS, INTERNAL, PROACTIVE, Decision, Kind, Verdict, gate
from bot.sending.delivery import deliver
from bot.sending.failures import record_failure
from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.recording import record_sent
from bot.sending.render import render
from bot.sending.slack_calls import SendError
from bot.sending.step import Step, load_step, still_queued
from bot.usecases.context import AppContext
from bot.usecases.roles import hand_yes_to_admins
from storage import candidates, invitations, runs, send_locks, steps

log = logging.getLogger(__name__)


class SendOutcome(StrEnum):
    SENT = "sent"  # delivered now
    NOT_SENT = "not_sent"  # waits, was cancelled, failed, or someone else holds it
    BUSY = "busy"  # another send to the same person was in flight: the step stays due


@dataclass(frozen=True)
class _Locked:
    """What phase 3 hands to phase 4: the step as reloaded under the locks."""

    step: Step
    holder: str
    attempt: int
    earlier_post: datetime | None
    started: datetime


class StepSender:
    def __init__(
        self,
        ctx: AppContext,
        client: WebClient,
        switch: SendingSwitch,
        reads: SlackReads,
        *,
        lease: timedelta,
        languages: Callable[[str], Language] | None = None,
    ) -> None:
        self.ctx = ctx
        self.languages = languages  # a person's language when this send read no locale (kept a day)
        self.client = client
        self.switch = switch
        self.reads = reads
        self.lease = lease
        self.retry_base = timedelta(seconds=5)
        self.process_id = f"{socket.gethostname()}:{os.getpid()}"

    def send_one(self, message_id: int, *, held: datetime | None = None) -> SendOutcome:
        """Claim, check, send and record one step (`held`: our batch's claim on it)."""
        if self.switch.halted():
            return SendOutcome.NOT_SENT
        now = self.ctx.clock()
        claimed = self._claim_and_gate(message_id, held, now)
        if claimed is None:
            return SendOutcome.NOT_SENT
        step, cancel_in_order = claimed
        if step.kind in PROACTIVE and not cancel_in_order and not self._good_moment(step, now):
            return SendOutcome.NOT_SENT
        locked = self._lock_for_send(step, cancel_in_order)
        if not isinstance(locked, _Locked):
            return locked
        return self._deliver_and_record(locked)

    def _claim_and_gate(self, message_id: int, held: datetime | None, now: datetime) -> tuple[Step, bool] | None:
        """Phase 1: the step claimed and gated; None when it does not go now. The second value
        says a cancel that touches the invitation is left for phase 3, which locks the person's
        and the invitation's rows first (the lock order); this transaction holds the step only."""
        with self.ctx.sessions() as session, session.begin():
            row = steps.get_message(session, message_id=message_id) if held is not None else None
            if row is None or row.claimed_until != held:
                # Not claimed by our batch, or the lease ran out while the step waited its turn
                # (someone may have taken it over): claim it now, or leave it to whoever holds it.
                row = steps.claim_message(session, message_id=message_id, now=now, lease=self.lease)
            if row is None:
                return None
            if runs.sending_stop(session) is not None:  # stopped by another process meanwhile
                steps.release_claim(
                    session, message_id=row.id, not_before=now, reason="sending_stopped", held=row.claimed_until
                )
                self.switch.forget_read()
                return None
            step = self._load(session, row)
            decision = gate(step.facts, now)
            cancel_in_order = decision.verdict is Verdict.CANCEL and step.kind is Kind.INVITATION and still_queued(step)
            if not cancel_in_order and self._settle(session, step, decision, now):
                return None
        return step, cancel_in_order

    def _good_moment(self, step: Step, now: datetime) -> bool:
        """Phase 2: a proactive step reads the person's moment from Slack; a failed read counts
        as an attempt, bounded like any other."""
        try:
            decision = self.reads.moment(step.user_id, step.candidate, now)
        except SendError as error:
            self._failed(step, error.code, attempt=None, retry_after=error.retry_after)
            return False
        except Exception as error:  # a malformed answer or a bug: counted and bounded like any failure
            log.exception("reading the moment for step %s failed", step.row.id, extra={"action": "outbox.crash"})
            self._failed(step, type(error).__name__, attempt=None)
            return False
        if decision.verdict is Verdict.GO:
            return True
        with self.ctx.sessions() as session, session.begin():
            self._settle(session, step, decision, now)
        return False

    def _lock_for_send(self, step: Step, cancel_in_order: bool) -> _Locked | SendOutcome:
        """Phase 3, from fresh time (the reads took a while): the person, the invitation and the
        step locked in that order, every gate asked again (an opt-out or an answer either commits
        before this and the step is cancelled, or waits until our send lock is visible to its
        confirmation), the person's send lock taken and the attempt counted."""
        holder = f"{self.process_id}:{uuid.uuid4().hex[:8]}"
        with self.ctx.sessions() as session, session.begin():
            now = self.ctx.clock()
            fresh = candidates.lock_existing_candidate(session, slack_user_id=step.user_id)
            if step.row.invitation_id is not None:
                invitations.get_invitation(session, invitation_id=step.row.invitation_id, for_update=True)
            claim = steps.renew_claim(
                session, message_id=step.row.id, held=step.row.claimed_until, now=now, lease=self.lease
            )
            step.row.claimed_until = claim
            if claim is None:
                log.warning(
                    "lost the claim on step %s (lease ran out)", step.row.id, extra={"action": "outbox.claim_lost"}
                )
                return SendOutcome.NOT_SENT
            read, locale = self.reads.take_locale(step.user_id)
            if fresh is not None and read:
                fresh.slack_locale, fresh.slack_locale_checked_at = (locale or None) and locale[:16], now
            step = self._load(session, step.row, candidate=fresh)
            step.slack_locale = locale if read else None
            if self._settle(session, step, gate(step.facts, now), now):
                return SendOutcome.NOT_SENT
            if cancel_in_order:  # no longer to be cancelled after all: its moment was not read yet
                steps.release_claim(session, message_id=step.row.id, not_before=now, reason="gate_changed", held=claim)
                return SendOutcome.NOT_SENT
            until = now + self.lease
            if not send_locks.acquire_send_lock(session, user_id=step.user_id, holder=holder, until=until, now=now):
                steps.release_claim(session, message_id=step.row.id, not_before=now, reason="person_busy", held=claim)
                return SendOutcome.BUSY
            attempt = steps.count_attempt(session, message_id=step.row.id)
            earlier_post = None
            if step.kind not in INTERNAL and step.kind not in EDITS and not step.withheld:
                earlier_post = steps.note_post_attempt(session, message_id=step.row.id, now=now)
        return _Locked(step, holder, attempt, earlier_post, now)

    def _deliver_and_record(self, locked: _Locked) -> SendOutcome:
        """Phase 4: the Slack call, then its record (the send lock released either way)."""
        step = locked.step
        try:
            channel_id, ts = deliver(
                self.client,
                step,
                lambda: render(self.ctx.settings, step, self._language_without_a_read(step)),
                earlier_post=locked.earlier_post,
                time_left=lambda: self.lease - (self.ctx.clock() - locked.started),
                lease=self.lease,
            )
        except SendError as error:
            self._failed(step, error.code, attempt=locked.attempt, holder=locked.holder, retry_after=error.retry_after)
            return SendOutcome.NOT_SENT
        except Exception as error:  # a bug or the database: never leave the person locked until the lease ends
            log.exception("unexpected error sending step %s", step.row.id, extra={"action": "outbox.crash"})
            self._failed(step, type(error).__name__, attempt=locked.attempt, holder=locked.holder)
            return SendOutcome.NOT_SENT
        with self.ctx.sessions() as session, session.begin():
            record_sent(session, self.ctx, step, channel_id=channel_id, ts=ts, now=self.ctx.clock())
            send_locks.release_send_lock(session, user_id=step.user_id, holder=locked.holder)
        log.info("sent %s", step.kind, extra={"action": "outbox.sent", "kind": step.kind, "message_id": step.row.id})
        self.ctx.metrics.sent(step.kind)
        if step.kind is Kind.STILL_WELCOME_LAPSE:
            self.ctx.changed(step.user_id)
        return SendOutcome.SENT

    def _language_without_a_read(self, step: Step) -> Language | None:
        """For a step that read no locale (a reply, a welcome): the person's language as the
        request that caused it found it, or from their row (no new Slack call in the usual case)."""
        if step.slack_locale is not None or self.languages is None or step.kind in INTERNAL:
            return None
        return self.languages(step.user_id)

    def _load(self, session, row, candidate=None) -> Step:
        return load_step(
            session, self.ctx.settings, row, subject_hash=self.ctx.hash_of(row.slack_user_id), candidate=candidate
        )

    def _failed(
        self, step: Step, code: str, *, attempt: int | None, holder: str | None = None, retry_after=None
    ) -> None:
        record_failure(
            self.ctx, self.switch, step, code, attempt=attempt, retry_after=retry_after, holder=holder,
            retry_base=self.retry_base,
        )  # fmt: skip

    def _settle(self, session, step: Step, decision: Decision, now: datetime) -> bool:
        """Apply a WAIT or CANCEL decision; True when the step does not go now."""
        if decision.verdict is Verdict.GO:
            return False
        if decision.verdict is Verdict.WAIT:
            until = decision.until or now
            steps.release_claim(
                session, message_id=step.row.id, not_before=until, reason=decision.reason, held=step.claim
            )
            return True
        reason = decision.reason if isinstance(decision.reason, CancelReason) else CancelReason.NOT_QUEUED
        if not steps.mark_message_cancelled(session, message_id=step.row.id, reason=reason, now=now, held=step.claim):
            return True  # another sender owns the step now
        invitation = step.invitation
        if invitation is not None and step.kind is Kind.INVITATION and still_queued(step):
            invitations.cancel_queued(
                session, now=now, reason=reason, candidate_id=invitation.candidate_id, role_id=invitation.role_id
            )
        if invitation is not None and step.kind is Kind.RECRUITER_ACCEPTED and reason is CancelReason.RECRUITER_REMOVED:
            hand_yes_to_admins(session, self.ctx.settings, invitation_id=invitation.id, now=now)
        if step.kept_only_as_hash(step.candidate):
            steps.anonymize_message(session, message_id=step.row.id, subject_hash=self.ctx.hash_of(step.user_id))
        log.info("%s not sent: %s", step.kind, reason, extra={"action": "outbox.cancelled", "reason": reason})
        return True

"""Recording a failed try at a step, as `bot.rules.failures` decides: give it back to wait, stop
all sending, mark the person unreachable, or record a failure recruiters can see."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from bot.rules.failures import Failure, FailurePlan, Outcome, classify_failure, plan_after_failure
from bot.rules.statuses import CancelReason, InvitationStatus
from bot.rules.steps import ENDED_BY_UNREACHABLE, TO_RECRUITER, Kind
from bot.sending.halt import SendingSwitch, log_stop
from bot.sending.step import Step
from bot.usecases.context import AppContext
from storage import candidates, invitations, runs, send_locks, steps

log = logging.getLogger(__name__)

# What Slack's answer is stored as on a failed invitation (`cancel_reason` holds 32 characters).
FAILED_REASON_LENGTH = 32


def record_failure(
    ctx: AppContext,
    switch: SendingSwitch,
    step: Step,
    code: str,
    *,
    attempt: int | None,
    retry_after: float | None = None,
    holder: str | None = None,
    retry_base: timedelta = timedelta(seconds=5),
) -> Outcome:
    """Record a failed try and release the person's send lock (`holder`) if it was taken.
    `attempt` None: a Slack read before the send failed, and this try is counted here, so those
    failures end after `MAX_ATTEMPTS` like any other."""
    now = ctx.clock()
    row = step.row
    failure = classify_failure(code, retry_after=retry_after)
    ctx.metrics.failed(code)
    newly_stopped = False
    with ctx.sessions() as session, session.begin():
        if failure is Failure.TRANSIENT and attempt is None:
            attempt = steps.count_attempt(session, message_id=row.id)
        plan = plan_after_failure(
            failure, attempt=attempt or 0, now=now, retry_after=retry_after, retry_base=retry_base,
            jitter=random.uniform(0.8, 1.2),
        )  # fmt: skip
        if plan.outcome is Outcome.HALTED:
            newly_stopped = runs.stop_sending(session, reason=code, now=now)
        _apply(session, ctx, step, code, plan, now)
        if holder:
            send_locks.release_send_lock(session, user_id=row.slack_user_id, holder=holder)
    if plan.outcome is Outcome.HALTED:
        switch.forget_read()
        if newly_stopped:
            log_stop(code)
    else:
        log.warning(
            "could not send %s: %s",
            step.kind,
            code,
            extra={"action": f"outbox.{plan.outcome}", "error": code, "message_id": row.id},
        )
    return plan.outcome


def _apply(session, ctx: AppContext, step: Step, code: str, plan: FailurePlan, now: datetime) -> None:
    row = step.row
    if plan.retry_at is not None:
        steps.release_claim(session, message_id=row.id, not_before=plan.retry_at, reason=code, held=row.claimed_until)
        return
    if plan.outcome is Outcome.UNREACHABLE:
        _person_unreachable(session, step, code, now)
    else:
        if step.kind is Kind.INVITATION:
            _invitation_failed(session, step, code)
        steps.mark_message_failed(session, message_id=row.id, error=code, now=now)
    if step.kept_only_as_hash(step.candidate):
        steps.anonymize_message(session, message_id=row.id, subject_hash=ctx.hash_of(row.slack_user_id))


def _person_unreachable(session, step: Step, code: str, now: datetime) -> None:
    """Slack says this person cannot get DMs: stop trying, and say so where recruiters look."""
    row = step.row
    candidate = candidates.lock_existing_candidate(session, slack_user_id=row.slack_user_id)  # lock order
    if step.kind is Kind.INVITATION:
        _invitation_failed(session, step, code)
    steps.mark_message_failed(session, message_id=row.id, error=code, now=now)
    if candidate is not None and step.kind not in TO_RECRUITER:
        candidate.unreachable_at, candidate.unreachable_reason = now, code
        session.add(candidate)
        steps.cancel_steps(
            session,
            now=now,
            reason=CancelReason.UNREACHABLE,
            slack_user_id=row.slack_user_id,
            kinds=ENDED_BY_UNREACHABLE,
        )
        invitations.cancel_queued(session, now=now, reason=CancelReason.UNREACHABLE, candidate_id=row.slack_user_id)


def _invitation_failed(session, step: Step, code: str) -> None:
    if step.row.invitation_id is None:
        return
    invitation = invitations.get_invitation(session, invitation_id=step.row.invitation_id, for_update=True)
    if invitation is not None and invitation.status is InvitationStatus.QUEUED:
        invitation.status, invitation.cancel_reason = InvitationStatus.FAILED, code[:FAILED_REASON_LENGTH]
        session.add(invitation)

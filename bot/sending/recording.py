"""What a delivered step leaves behind, recorded in one transaction with the send itself: the
step marked sent, the DM channel Slack named, and what the delivery sets off (the invitation's
follow-up and expiry, the still-welcome question after two expiries in a row, the 30 days to
answer the renewal question, the pause when "still welcome?" went unanswered)."""

from __future__ import annotations

from datetime import datetime

from bot.rules.consent import Via
from bot.rules.preferences import add_months
from bot.rules.statuses import Answer
from bot.rules.steps import EDITS, TO_RECRUITER, Kind, still_welcome_steps
from bot.rules.timing import resolve_zone, should_ask_still_welcome
from bot.sending.step import Step
from bot.usecases import ledger
from bot.usecases.context import AppContext
from bot.usecases.delivery import record_delivery
from storage import candidates, invitations, steps
from storage.models import Candidate, Invitation

STILL_WELCOME_PAUSE_MONTHS = 6


def record_sent(session, ctx: AppContext, step: Step, *, channel_id: str | None, ts: str | None, now: datetime) -> None:
    """Record the delivery and what follows it. Locks the person, then the invitation, then the
    step (the order in `storage`): an opt-out racing with this send either sees the steps created
    here (and cancels them) or has already committed (and none are created)."""
    row, kind = step.row, step.kind
    candidate = (
        None if kind in TO_RECRUITER else candidates.lock_existing_candidate(session, slack_user_id=row.slack_user_id)
    )
    invitation = (
        invitations.get_invitation(session, invitation_id=row.invitation_id, for_update=True)
        if row.invitation_id
        else None
    )
    if _erased_meanwhile(session, row.id, row.slack_user_id):
        # `forget`, then `join` (which finishes the erasure at once) while this send was in flight:
        # the rows are now keyed by the person's hash, and the fresh row `join` made is not the
        # one this send belonged to. It went out, so it is sent; nothing about it is kept.
        steps.mark_message_sent(session, message_id=row.id, slack_ts=None, channel_id="", now=now)
        return
    steps.mark_message_sent(
        session, message_id=row.id, slack_ts=ts, channel_id=channel_id or row.channel_id or "", now=now
    )
    named = channel_id is not None and channel_id.startswith("D") and kind not in EDITS
    if candidate is not None and named and candidate.dm_channel_id != channel_id:
        candidate.dm_channel_id = channel_id  # as Slack named it in its answer
        session.add(candidate)
    if step.kept_only_as_hash(candidate):
        steps.anonymize_message(session, message_id=row.id, subject_hash=ctx.hash_of(row.slack_user_id))
    if kind is Kind.INVITATION and invitation is not None and step.withheld:
        invitation.withheld = True
    _follow_delivery(session, ctx, kind, invitation, candidate, channel_id=channel_id, ts=ts, now=now)


def _erased_meanwhile(session, message_id: int, user_id: str) -> bool:
    """Whether the step's person was erased after the step was claimed (its row re-keyed)."""
    current = steps.get_message(session, message_id=message_id)
    return current is None or current.slack_user_id != user_id


def _follow_delivery(
    session,
    ctx: AppContext,
    kind: Kind,
    invitation: Invitation | None,
    candidate: Candidate | None,
    *,
    channel_id,
    ts,
    now,
) -> None:
    if kind is Kind.INVITATION and invitation is not None:
        record_delivery(
            session, ctx.settings, invitation=invitation, candidate=candidate, channel_id=channel_id, ts=ts, now=now
        )
    elif kind is Kind.FOLLOWUP and invitation is not None:
        invitation.followup_sent_at = now
        session.add(invitation)
    elif kind is Kind.EXPIRE and invitation is not None:
        if invitation.answer not in (None, Answer.DETAILS):
            return  # answered while the edit was on its way: the answer stands
        invitation.answer, invitation.expired_at = Answer.EXPIRED, now
        session.add(invitation)
        session.flush()
        if not invitation.withheld:  # they never saw it: it is no sign they lost interest
            _maybe_ask_still_welcome(session, ctx, invitation, candidate, now)
    elif kind is Kind.CONSENT_RENEWAL and candidate is not None:
        candidate.renewal_asked_at = now  # the 30 days to answer start when they were asked
        session.add(candidate)
    elif kind is Kind.STILL_WELCOME_LAPSE and candidate is not None and candidate.still_welcome_asked_at is not None:
        zone = resolve_zone(candidate.slack_tz, candidate.tz_override)
        until = add_months(now, zone, STILL_WELCOME_PAUSE_MONTHS)
        ledger.pause(session, candidate, until=until, via=Via.SYSTEM, actor=ledger.SYSTEM_ACTOR, now=now)
        candidate.still_welcome_asked_at = None
        candidate.streak_reset_at = now  # earlier expiries no longer count toward a streak
        session.add(candidate)


def _maybe_ask_still_welcome(
    session, ctx: AppContext, invitation: Invitation, candidate: Candidate | None, now: datetime
) -> None:
    """Two invitations in a row expired: ask once whether invitations are still welcome."""
    if candidate is None or candidate.still_welcome_asked_at is not None:
        return
    outcomes = invitations.recent_outcomes(session, candidate_id=candidate.slack_user_id)
    if not should_ask_still_welcome(outcomes, since=candidate.streak_reset_at):
        return
    candidate.still_welcome_asked_at = now
    session.add(candidate)
    for kind, at in still_welcome_steps(now=now, expire_after=ctx.settings.expire_after):
        steps.enqueue_step_once(
            session,
            invitation_id=invitation.id,
            kind=kind,
            slack_user_id=candidate.slack_user_id,
            now=now,
            not_before=at,
        )

"""Recording that an invitation reached its candidate, inside the caller's transaction.

The sender records it when Slack answers the post; a click on the message records it first when
it arrives before that answer (the click proves the delivery). Both come here, so whichever is
first records the delivery and queues what follows it, and the other adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.rules.consent import ConsentStatus
from bot.rules.statuses import InvitationStatus
from bot.rules.steps import steps_after_delivery
from bot.settings import Settings
from storage import invitations, steps
from storage.models import Candidate, Invitation


def record_delivery(
    session,
    settings: Settings,
    *,
    invitation: Invitation,
    candidate: Candidate | None,
    channel_id: str | None,
    ts: str | None,
    now: datetime,
) -> list[int]:
    """Mark the invitation sent and queue its follow-up and expiry (`steps_after_delivery`);
    returns the steps queued. Call with the candidate and invitation rows locked. A delivery
    already recorded records nothing twice."""
    if invitation.status is InvitationStatus.SENT:
        return []
    invitations.mark_sent(session, invitation=invitation, channel_id=channel_id, ts=ts, now=now)
    opted_in = candidate is not None and candidate.consent_status is ConsentStatus.OPTED_IN
    queued = [
        steps.enqueue_step_once(
            session,
            invitation_id=invitation.id,
            kind=kind,
            slack_user_id=invitation.candidate_id,
            now=now,
            not_before=at,
        )
        for kind, at in steps_after_delivery(
            now=now, followup_after=settings.followup_after, expire_after=settings.expire_after, opted_in=opted_in
        )
    ]
    return [step for step in queued if step is not None]

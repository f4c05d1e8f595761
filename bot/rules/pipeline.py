"""Where an invitation stands, as recruiters see it in `pipeline`, `status` and App Home."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from bot.rules.statuses import Answer, InvitationStatus, Stage


class PipelineLabel(StrEnum):
    """One label per invitation; the members are in display order, from just queued to the end
    of the road, and their values are what recruiters read."""

    QUEUED = "queued"
    AWAITING_ANSWER = "awaiting answer"
    ASKED_FOR_DETAILS = "asked for details"
    ACCEPTED = "accepted"
    CONVERSATION = "conversation"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    CLOSED = "closed"
    STEPPED_BACK = "stepped back"
    SNOOZED = "snoozed"
    DECLINED = "declined"
    OPTED_OUT = "opted out"
    EXPIRED = "expired"
    NOT_DELIVERED = "not delivered"


PIPELINE_ORDER: tuple[str, ...] = tuple(PipelineLabel)
_FOR_STAGE = {
    Stage.ACCEPTED: PipelineLabel.ACCEPTED,
    Stage.CONVERSATION: PipelineLabel.CONVERSATION,
    Stage.INTERVIEWING: PipelineLabel.INTERVIEWING,
    Stage.OFFER: PipelineLabel.OFFER,
    Stage.CLOSED: PipelineLabel.CLOSED,
    Stage.STEPPED_BACK: PipelineLabel.STEPPED_BACK,
}
_FOR_ANSWER = {
    Answer.STOPPED: PipelineLabel.OPTED_OUT,
    Answer.DECLINED: PipelineLabel.DECLINED,
    Answer.SNOOZED: PipelineLabel.SNOOZED,
    Answer.EXPIRED: PipelineLabel.EXPIRED,
}


def pipeline_stage(
    status: InvitationStatus, answer: Answer | None, stage: Stage | None, details_asked_at: datetime | None
) -> PipelineLabel | None:
    """One label per invitation; None for cancelled ones (they never reached the candidate)."""
    if status is InvitationStatus.CANCELLED:
        return None
    if status is InvitationStatus.QUEUED:
        return PipelineLabel.QUEUED
    if status is InvitationStatus.FAILED:
        return PipelineLabel.NOT_DELIVERED
    if answer is Answer.ACCEPTED:
        return _FOR_STAGE[stage or Stage.ACCEPTED]
    if answer in _FOR_ANSWER:
        return _FOR_ANSWER[answer]
    return PipelineLabel.ASKED_FOR_DETAILS if details_asked_at else PipelineLabel.AWAITING_ANSWER


def count_stages(labels: Iterable[str | None]) -> list[tuple[str, int]]:
    """Counts per label in display order, leaving out empty ones."""
    counts = Counter(label for label in labels if label)
    return [(label, counts[label]) for label in PIPELINE_ORDER if counts[label]]

"""Where an invitation stands, as recruiters see it in `pipeline`, `status` and App Home."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

# Display order: from just queued to the end of the road.
PIPELINE_ORDER: tuple[str, ...] = (
    "queued",
    "awaiting answer",
    "asked for details",
    "accepted",
    "conversation",
    "interviewing",
    "offer",
    "closed",
    "stepped back",
    "snoozed",
    "declined",
    "opted out",
    "expired",
    "not delivered",
)


def pipeline_stage(status: str, answer: str | None, stage: str | None, details_asked_at: datetime | None) -> str | None:
    """One label per invitation; None for cancelled ones (they never reached the candidate)."""
    if status == "cancelled":
        return None
    if status == "queued":
        return "queued"
    if status == "failed":
        return "not delivered"
    if answer == "accepted":
        return (stage or "accepted").replace("_", " ")
    if answer == "stopped":
        return "opted out"
    if answer in ("declined", "snoozed", "expired"):
        return answer
    return "asked for details" if details_asked_at else "awaiting answer"


def count_stages(labels: Iterable[str | None]) -> list[tuple[str, int]]:
    """Counts per label in display order, leaving out empty ones."""
    counts = Counter(label for label in labels if label)
    return [(label, counts[label]) for label in PIPELINE_ORDER if counts[label]]

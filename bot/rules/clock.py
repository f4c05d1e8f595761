"""Time is passed in: only the assembly function and the scheduler read the real clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(moment: datetime, name: str = "now") -> datetime:
    """The moment in UTC. Naive datetimes are refused: guessing their zone is how messages
    arrive at 3 a.m."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


def from_timestamp(ts: float) -> datetime:
    """A Unix timestamp (as Slack gives them) as an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)

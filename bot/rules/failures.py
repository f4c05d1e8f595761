"""What a failed try at a message step leads to: wait and retry, stop everything, give up on
one person, or record a failure recruiters can see.

Pure: the sender reports Slack's error code (or the connection error's name), how many tries
were made and any `Retry-After`; it gets back what to do and when to try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Errors that are about one person: retrying cannot help.
PERSON_ERRORS = frozenset(
    {"user_not_found", "user_disabled", "cannot_dm_bot", "channel_not_found", "is_bot", "user_is_bot"}
)
# Errors that are about the bot itself: nothing can be sent until a human fixes the app.
BOT_ERRORS = frozenset(
    {
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "not_authed",
        "token_expired",
        "no_permission",
        "missing_scope",
    }
)
# The claim had too little time left for the post's own worst case: not an attempt at all.
CLAIM_RUNNING_OUT = "claim_running_out"
MAX_ATTEMPTS = 5
MAX_RETRY_DELAY = timedelta(minutes=10)
# Sending is stopped for the bot: the step is looked at again after this (auth.test decides).
HALTED_RECHECK = timedelta(minutes=1)


class Failure(StrEnum):
    """What kind of failure a code is."""

    CLAIM_RUNNING_OUT = "claim_running_out"
    RATE_LIMITED = "ratelimited"  # Slack asked for a wait too long to sit out in place
    BOT = "halted"  # Slack refuses the bot: stop all sending
    PERSON = "unreachable"  # this person cannot get DMs
    TRANSIENT = "transient"  # anything else: try again, a bounded number of times


class Outcome(StrEnum):
    """What the sender does with the step (also the log action `outbox.<outcome>`)."""

    RETRY = "retry"
    RATE_LIMITED = "ratelimited"
    HALTED = "halted"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


@dataclass(frozen=True)
class FailurePlan:
    outcome: Outcome
    retry_at: datetime | None = None  # when the step is due again (RETRY, RATE_LIMITED, HALTED)


def classify_failure(code: str, *, retry_after: float | None) -> Failure:
    """The kind of failure, in order: a claim running out, a long 429, the bot, one person."""
    if code == CLAIM_RUNNING_OUT:
        return Failure.CLAIM_RUNNING_OUT
    if retry_after is not None:
        return Failure.RATE_LIMITED
    if code in BOT_ERRORS:
        return Failure.BOT
    if code in PERSON_ERRORS:
        return Failure.PERSON
    return Failure.TRANSIENT


def retry_delay(attempts: int, base: timedelta, jitter: float) -> timedelta:
    """Capped exponential backoff: base, 2×base, 4×base … at most ten minutes, times `jitter`
    (the sender draws it from 0.8–1.2 so retries of many steps spread out)."""
    seconds = min(base.total_seconds() * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY.total_seconds())
    return timedelta(seconds=seconds * jitter)


def plan_after_failure(
    failure: Failure,
    *,
    attempt: int,
    now: datetime,
    retry_after: float | None = None,
    retry_base: timedelta = timedelta(seconds=5),
    jitter: float = 1.0,
) -> FailurePlan:
    """What to do now. `attempt` is the number of tries made so far, this one included (only a
    transient failure needs it: the others are not attempts that could wear out)."""
    if failure is Failure.CLAIM_RUNNING_OUT:
        return FailurePlan(Outcome.RETRY, now)
    if failure is Failure.RATE_LIMITED:
        return FailurePlan(Outcome.RATE_LIMITED, now + timedelta(seconds=retry_after or 0))
    if failure is Failure.BOT:
        return FailurePlan(Outcome.HALTED, now + HALTED_RECHECK)
    if failure is Failure.PERSON:
        return FailurePlan(Outcome.UNREACHABLE)
    if attempt >= MAX_ATTEMPTS:
        return FailurePlan(Outcome.FAILED)
    return FailurePlan(Outcome.RETRY, now + retry_delay(max(attempt, 1), retry_base, jitter))

"""Timing rules: when a message may reach a candidate, and which step of an invitation is due.

Pure functions, no Slack, no database and no clock: ``now`` is always passed in as an aware
datetime (any zone; results are UTC). The scheduler loads the facts (send window, time zone,
invitation times), asks here, then acts; Do Not Disturb and away statuses are `bot.rules.quiet`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.rules.clock import as_utc as _utc
from bot.rules.clock import from_timestamp as _at
from bot.rules.grammar import SendWindow
from bot.rules.statuses import Answer

__all__ = [
    "RENEWAL_GRACE",
    "DailyCutoffs",
    "consent_renewal_due",
    "daily_cutoffs",
    "next_window_opening",
    "renewal_lapsed",
    "resolve_zone",
    "retention_due",
    "should_ask_still_welcome",
    "window_open",
]

#: How long a consent-renewal question stays open before silence counts as "no".
RENEWAL_GRACE = timedelta(days=30)

# How far ahead next_window_opening looks. A week would do for any window, except that a weekly
# window can fall entirely into a DST gap (Sun 02:00-02:30 in New York on the spring-forward
# Sunday) or a skipped calendar day, pushing the next opening to two weeks away.
_SEARCH_AHEAD = timedelta(days=15)


# --------------------------------------------------------------------------
# time zones and send windows


def _zone(name: str | None) -> ZoneInfo | None:
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return None


def resolve_zone(slack_tz: str | None, override: str | None) -> ZoneInfo:
    """The candidate's zone: their own override, else Slack's ``tz``, else UTC.

    Never raises: a bad name must not stop sending, so an unknown override falls back to the
    Slack zone (the next best guess at their clock), and an unknown Slack zone to UTC.
    """
    return _zone(override) or _zone(slack_tz) or ZoneInfo("UTC")


def window_open(window: SendWindow, zone: ZoneInfo, now: datetime) -> bool:
    """Whether ``now`` falls inside the window on the candidate's own wall clock."""
    return window.contains(_utc(now).astimezone(zone))


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> Iterator[datetime]:
    """UTC instants in (start, end] where the zone's offset changes (DST, zone rule changes).

    zoneinfo does not expose its transition table, so scan hourly and bisect to the second.
    Real transitions are months apart, never two within one hour.
    """
    step = timedelta(hours=1)
    left = start
    left_offset = left.astimezone(zone).utcoffset()
    while left < end:
        right = min(left + step, end)
        right_offset = right.astimezone(zone).utcoffset()
        if right_offset != left_offset:
            # Bisect on whole epoch seconds (transitions fall on whole seconds):
            # lo keeps the old offset, hi has the new one.
            lo, hi = math.floor(left.timestamp()), math.ceil(right.timestamp())
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _at(mid).astimezone(zone).utcoffset() == left_offset:
                    lo = mid
                else:
                    hi = mid
            yield _at(hi)
        left, left_offset = right, right_offset


def _local_starts(window: SendWindow, zone: ZoneInfo, first: date, last: date) -> Iterator[datetime]:
    """Every UTC instant whose wall time is a window start, both folds of a repeated hour."""
    start = time(window.start // 60, window.start % 60)
    day = first
    while day <= last:
        for fold in (0, 1):
            yield datetime.combine(day, start, tzinfo=zone).replace(fold=fold).astimezone(UTC)
        day += timedelta(days=1)


def next_window_opening(window: SendWindow, zone: ZoneInfo, now: datetime) -> datetime:
    """The earliest UTC instant >= ``now`` at which :func:`window_open` is True.

    ``now`` itself when the window is open. Otherwise the window can only open where the wall
    clock reaches its start time (on either pass through a repeated fall-back hour), or where
    the clock jumps: a start inside a spring-forward gap opens at the first instant after the
    gap, and a window that closed during a fall-back hour opens again when the hour repeats.
    So collect those candidates and take the earliest that is really open.
    """
    now = _utc(now)
    if window_open(window, zone, now):
        return now
    horizon = now + _SEARCH_AHEAD
    local_now = now.astimezone(zone)
    candidates = list(_transitions(zone, now, horizon))
    candidates += _local_starts(
        window,
        zone,
        local_now.date() - timedelta(days=1),
        horizon.astimezone(zone).date() + timedelta(days=1),
    )
    opening = min(
        (c for c in candidates if now <= c <= horizon and window_open(window, zone, c)),
        default=None,
    )
    if opening is None:
        raise ValueError(f"send window {window} does not open within {_SEARCH_AHEAD.days} days")
    return opening


def should_ask_still_welcome(recent_outcomes: Iterable, since: datetime | None = None) -> bool:
    """True when the candidate's two newest invitation outcomes (newest first) both expired.

    Outcomes are answers, or (answer, when) pairs. With `since` (the candidate answered "keep",
    or a lapse paused them), only outcomes after that moment count: earlier expiries no longer
    make a streak. Stays True while the streak lasts, so the caller records that it asked and asks once.
    """
    counted = []
    for outcome in recent_outcomes:
        answer, at = (outcome, None) if isinstance(outcome, str) else (outcome[0], outcome[1])
        if since is not None and (at is None or _utc(at) <= _utc(since)):
            break  # newest first: everything from here on is older still
        counted.append(str(answer).strip().lower())
        if len(counted) == 2:
            break
    return counted == [Answer.EXPIRED, Answer.EXPIRED]


# --------------------------------------------------------------------------
# consent renewal and retention (boundaries inclusive: "after a year" is due at the year)


def consent_renewal_due(
    opted_in_at: datetime, last_renewed_at: datetime | None, consent_period: timedelta, now: datetime
) -> bool:
    """The period counts from the latest opt-in or renewal."""
    since = opted_in_at if last_renewed_at is None else max(opted_in_at, last_renewed_at)
    return _utc(now) >= since + consent_period


def renewal_lapsed(asked_at: datetime, now: datetime, grace: timedelta = RENEWAL_GRACE) -> bool:
    """No answer within the grace period (30 days) after asking: the caller opts them out."""
    return _utc(now) >= asked_at + grace


def retention_due(last_contact_at: datetime, retention: timedelta, now: datetime) -> bool:
    """No contact for the whole retention period: the caller erases their data."""
    return _utc(now) >= last_contact_at + retention


@dataclass(frozen=True)
class DailyCutoffs:
    """The latest moments at which a person can be due today, one per daily job: a consent given
    (or renewed) at or before `renewal`, a renewal question asked at or before `lapse`, a last
    contact at or before `retention`. The job's query narrows a million people to the few due
    with them; the rules above still decide each one."""

    renewal: datetime
    lapse: datetime
    retention: datetime


def daily_cutoffs(
    now: datetime, consent_period: timedelta, retention: timedelta, grace: timedelta = RENEWAL_GRACE
) -> DailyCutoffs:
    """The cutoffs of `consent_renewal_due`, `renewal_lapsed` and `retention_due` at `now`."""
    at = _utc(now)
    return DailyCutoffs(renewal=at - consent_period, lapse=at - grace, retention=at - retention)

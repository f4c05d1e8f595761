"""Timing rules: when a message may reach a candidate, and which step of an invitation is due.

Pure functions, no Slack, no database and no clock: ``now`` is always passed in as an aware
datetime (any zone; results are UTC). The scheduler loads the facts (send window, time zone,
``dnd.info``, profile status, invitation times), asks here, then acts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.rules.grammar import SendWindow

__all__ = [
    "AWAY_EMOJIS",
    "AWAY_RECHECK",
    "AWAY_WORDS",
    "RENEWAL_GRACE",
    "Dnd",
    "consent_renewal_due",
    "dnd_active",
    "dnd_ends_at",
    "next_window_opening",
    "quiet_until",
    "renewal_lapsed",
    "resolve_zone",
    "retention_due",
    "should_ask_still_welcome",
    "status_says_away",
    "window_open",
]

UTC = UTC

#: How long to wait before looking again when someone is away (or snoozed) with no known end.
AWAY_RECHECK = timedelta(hours=1)

#: How long a consent-renewal question stays open before silence counts as "no".
RENEWAL_GRACE = timedelta(days=30)

# How far ahead next_window_opening looks. A week would do for any window, except that a weekly
# window can fall entirely into a DST gap (Sun 02:00-02:30 in New York on the spring-forward
# Sunday) or a skipped calendar day, pushing the next opening to two weeks away.
_SEARCH_AHEAD = timedelta(days=15)


def _utc(moment: datetime, name: str = "now") -> datetime:
    """Naive datetimes are refused: guessing their zone is how messages arrive at 3 a.m."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


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


# --------------------------------------------------------------------------
# Do Not Disturb


def _ts(value: Any) -> float | None:
    """A Slack timestamp (int, float or numeric string) as a float; 0, junk and bools are None.

    Slack sends 0 (or 1) for "no such moment", so only positive values count.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if number != number or number in (float("inf"), float("-inf")) or number <= 0:
        return None
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if isinstance(value, (bool, int)) else False


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@dataclass(frozen=True)
class Dnd:
    """The parts of Slack's ``dnd.info`` (or one ``dnd.teamInfo`` entry) that Nudge uses.

    ``dnd_enabled`` only says a schedule exists; whether DND is on *now* is read from the
    ``next_dnd_*`` interval. The ``snooze_*`` fields are usually hidden from bots.
    """

    dnd_enabled: bool = False
    next_dnd_start_ts: float | None = None
    next_dnd_end_ts: float | None = None
    snooze_enabled: bool = False
    snooze_endtime: float | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any] | None) -> Dnd:
        """Tolerant on purpose: a missing or odd field means "not known", never an exception."""
        if not isinstance(data, Mapping):
            return cls()
        return cls(
            dnd_enabled=_flag(data.get("dnd_enabled")),
            next_dnd_start_ts=_ts(data.get("next_dnd_start_ts")),
            next_dnd_end_ts=_ts(data.get("next_dnd_end_ts")),
            snooze_enabled=_flag(data.get("snooze_enabled")),
            snooze_endtime=_ts(data.get("snooze_endtime")),
        )


def _schedule_end(dnd: Dnd, now: datetime) -> datetime | None:
    if dnd.next_dnd_start_ts is None or dnd.next_dnd_end_ts is None:
        return None
    start, end = _at(dnd.next_dnd_start_ts), _at(dnd.next_dnd_end_ts)
    return end if start <= now < end else None


def _snooze_end(dnd: Dnd, now: datetime) -> datetime | None:
    """When an active snooze ends; ``now + AWAY_RECHECK`` when it has no known end."""
    if not dnd.snooze_enabled:
        return None
    if dnd.snooze_endtime is None:
        return now + AWAY_RECHECK
    end = _at(dnd.snooze_endtime)
    return end if end > now else None


def dnd_active(dnd: Dnd, now: datetime) -> bool:
    """Scheduled DND (start inclusive, end exclusive) or a snooze that has not ended.

    ``dnd_enabled`` is deliberately not consulted: the spec defines "active" by the interval.
    """
    now = _utc(now)
    return _schedule_end(dnd, now) is not None or _snooze_end(dnd, now) is not None


def dnd_ends_at(dnd: Dnd, now: datetime) -> datetime | None:
    """When active DND ends (the later of the applying schedule and snooze ends), else None.

    A snooze with no end time reports ``now + AWAY_RECHECK``: the moment to look again.
    """
    now = _utc(now)
    ends = [e for e in (_schedule_end(dnd, now), _snooze_end(dnd, now)) if e is not None]
    return max(ends, default=None)


# --------------------------------------------------------------------------
# profile status

#: Words and phrases in ``status_text`` that mean "not at work", matched as whole words in any
#: case; spaces inside a phrase also match hyphens ("out-of-office"). Travel counts (a recruiting
#: DM can wait until they land); "working remotely", "commuting", "in a meeting" do not.
#: A bare "leave" does not either ("leave me a note"): only "on leave" and named kinds of leave.
AWAY_WORDS: tuple[str, ...] = (
    "vacation",
    "vacations",
    "vacationing",
    "vacay",
    "holiday",
    "holidays",
    "holidaying",
    "out of office",
    "out of the office",
    "ooo",
    "away",
    "sick",
    "off sick",
    "out sick",
    "sick leave",
    "unwell",
    "on leave",
    "parental leave",
    "maternity leave",
    "paternity leave",
    "annual leave",
    "medical leave",
    "family leave",
    "bereavement leave",
    "compassionate leave",
    "garden leave",
    "study leave",
    "pto",
    "time off",
    "day off",
    "days off",
    "sabbatical",
    "honeymoon",
    "travelling",
    "traveling",
)

#: Status emoji that mean "not at work". ``:house_with_garden:`` is Slack's "Working remotely":
#: NOT away. Matched on ``status_emoji`` (skin tone ignored) and inside ``status_text``.
AWAY_EMOJIS: tuple[str, ...] = (
    ":palm_tree:",
    ":desert_island:",
    ":beach_with_umbrella:",
    ":umbrella_on_ground:",
    ":airplane:",
    ":airplane_departure:",
    ":airplane_arriving:",
    ":small_airplane:",
    ":face_with_thermometer:",
    ":thermometer:",
    ":mask:",
    ":sick:",
    ":face_with_head_bandage:",
    ":nauseated_face:",
    ":face_vomiting:",
    ":sneezing_face:",
    ":hospital:",
    ":ooo:",
    ":out_of_office:",
)

_AWAY_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        r"[\s\-_]+".join(re.escape(part) for part in phrase.split())
        for phrase in sorted(AWAY_WORDS, key=len, reverse=True)
    )
    + r")(?!\w)",
    re.IGNORECASE,
)
_EMOJI_SET = frozenset(AWAY_EMOJIS)
_EMOJI_RE = re.compile(r":[a-z0-9_+\-']+:", re.IGNORECASE)


def status_says_away(
    status_text: str | None,
    status_emoji: str | None,
    status_expiration: int | float | str | None,
    now: datetime,
) -> bool:
    """Whether the profile status says vacation, out of office, sick or similar, right now.

    A status with a passed ``status_expiration`` no longer applies (Slack may not have cleared
    it yet); 0 or None means "until cleared". Whole words only, so "Sickly sweet" and
    "Moving office" are not away, while "Holidaying in Rome" and "OOO until Monday" are.
    """
    expiration = _ts(status_expiration)
    if expiration is not None and _at(expiration) <= _utc(now):
        return False
    emojis: list[str] = []
    if isinstance(status_emoji, str) and status_emoji.strip():
        name = status_emoji.strip().lower().strip(":").split("::", 1)[0]  # drop ::skin-tone-N:
        emojis.append(f":{name}:")
    text = status_text if isinstance(status_text, str) else ""
    emojis += (e.lower() for e in _EMOJI_RE.findall(text))
    if any(e in _EMOJI_SET for e in emojis):
        return True
    return _AWAY_RE.search(text) is not None


def quiet_until(*, dnd: Dnd, away: bool, status_expiration: float | None, now: datetime) -> datetime | None:
    """None when a message may go now; else the earliest moment worth checking again.

    DND end while DND is on; the status expiration while away with one; an hour from now while
    away with no (future) expiration. When both apply, the later: before it, one still holds.
    """
    now = _utc(now)
    until: list[datetime] = []
    dnd_end = dnd_ends_at(dnd, now)
    if dnd_end is not None:
        until.append(dnd_end)
    if away:
        expiration = _ts(status_expiration)
        if expiration is not None and _at(expiration) > now:
            until.append(_at(expiration))
        else:
            until.append(now + AWAY_RECHECK)
    return max(until, default=None)


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
    return counted == ["expired", "expired"]


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

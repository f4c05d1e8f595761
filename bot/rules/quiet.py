"""Quiet times: when Slack says a person is not to be disturbed (Do Not Disturb, a snooze) or
their profile status says they are away (vacation, out of office, sick …). Nothing proactive
reaches them then; the message waits for the end Slack gives, or looks again later.

Pure functions: the sender reads `dnd.info` and the profile status when a message is due and
asks here with `now`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.rules.clock import as_utc as _utc
from bot.rules.clock import from_timestamp as _at

__all__ = [
    "AWAY_EMOJIS",
    "AWAY_RECHECK",
    "AWAY_WORDS",
    "Dnd",
    "dnd_active",
    "dnd_ends_at",
    "quiet_until",
    "status_says_away",
]

#: How long to wait before looking again when someone is away (or snoozed) with no known end.
AWAY_RECHECK = timedelta(hours=1)


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

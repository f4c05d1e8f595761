"""The grammars of the spec's durations (`30s`, `15m`, `2h`, `7d`) and send windows
(`Mon-Fri 10:00-17:00`), shared by settings, preferences and the rules that read windows.

Pure: no Slack, no database. `read_*` raise `GrammarError` with the reason alone (the settings
loader names the variable); `parse_*` raise ValueError with the reason and the value shown.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import timedelta


def shown(value: str, limit: int = 60) -> str:
    """repr() of a user value, shortened; repr keeps it on one line."""
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return repr(value)


class GrammarError(Exception):
    """Why a value does not parse, without the value itself (callers name the variable)."""


class DurationTooLong(GrammarError):
    """A well-formed duration beyond MAX_DURATION."""


# --------------------------------------------------------------------------
# durations

_DURATION_RE = re.compile(r"([0-9]+)([smhd])")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION_EXPECTED = "a duration such as 30s, 15m, 2h or 7d"
# Ten years: longer than anything Nudge waits for (retention defaults to 730d), and far enough
# from datetime's limits that `now + duration` can never overflow (it did, after a post, for
# NUDGE_FOLLOWUP_AFTER=999999999d).
MAX_DURATION = timedelta(days=3650)
MAX_DURATION_TEXT = "3650d"
_MAX_SECONDS = int(MAX_DURATION.total_seconds())


def read_duration(text: str) -> timedelta:
    match = _DURATION_RE.fullmatch(text.strip())
    if match is None:
        raise GrammarError("a whole number followed by a unit s, m, h or d is expected")
    number, unit = match.groups()
    digits = number.lstrip("0") or "0"
    # Compared as whole seconds before any timedelta exists (a huge one overflows), and the
    # digits counted before int() (which refuses over 4,300 of them).
    seconds = int(digits) * _UNIT_SECONDS[unit] if len(digits) <= 12 else None
    if seconds is None or seconds > _MAX_SECONDS:
        raise DurationTooLong(f"durations can be at most {MAX_DURATION_TEXT} (ten years)")
    return timedelta(seconds=seconds)


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``15m``, ``2h``, ``7d`` (``0s`` allowed, spaces around ok), up to
    :data:`MAX_DURATION` (3650d).

    Raises ValueError saying what is expected: no signs, no fractions, no other
    units, no missing unit, nothing longer than ten years.
    """
    try:
        return read_duration(text)
    except GrammarError as err:
        raise ValueError(f"expected {DURATION_EXPECTED} ({err}), got {shown(text)}") from None


def format_duration(td: timedelta) -> str:
    """Inverse of :func:`parse_duration`, in the largest exact unit: 90d, 36h, 30s, 0s."""
    if td < timedelta(0):
        raise ValueError(f"durations cannot be negative, got {td!r}")
    if td.microseconds:
        raise ValueError(f"durations are whole seconds, got {td!r}")
    seconds = td.days * 86400 + td.seconds
    if seconds == 0:
        return "0s"
    for unit, size in _UNIT_SECONDS.items():  # largest unit first
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable: every whole number of seconds divides by 1")


# --------------------------------------------------------------------------
# send windows

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NUMBERS = {name.lower(): i for i, name in enumerate(_DAY_ABBR)} | {name: i for i, name in enumerate(_DAY_FULL)}
WINDOW_EXAMPLE = "Mon-Fri 10:00-17:00"
WINDOW_EXPECTED = f"days and an hour range such as {WINDOW_EXAMPLE}"
_WINDOW_RE = re.compile(r"(?P<days>.*?)\s*(?P<start>[0-9]{1,2}:[0-9]{2})\s*-\s*(?P<end>[0-9]{1,2}:[0-9]{2})")
_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class SendWindow:
    """Days of the week and an hour range, in the candidate's local time.

    ``days``: 0 = Monday … 6 = Sunday. ``start``/``end``: minutes after
    midnight; ``end`` may be 1440 (24:00); ``end < start`` spans midnight and
    then the day named is the day the window STARTS.
    """

    days: frozenset[int]
    start: int
    end: int

    def __post_init__(self) -> None:
        days = frozenset(self.days)
        object.__setattr__(self, "days", days)
        if not days:
            raise ValueError("a send window needs at least one day")
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            raise ValueError(f"days must be 0 (Monday) to 6 (Sunday), got {sorted(days)!r}")
        if not 0 <= self.start <= 1439:
            raise ValueError(f"start must be 0..1439 minutes after midnight, got {self.start!r}")
        if not 1 <= self.end <= 1440:
            raise ValueError(f"end must be 1..1440 minutes after midnight, got {self.end!r}")
        if self.start == self.end:
            raise ValueError("a send window cannot start and end at the same time")

    @property
    def spans_midnight(self) -> bool:
        return self.end < self.start

    def contains(self, local: datetime.datetime) -> bool:
        """Whether ``local`` (already in the candidate's zone) is inside the window.

        Only the wall-clock fields are used, so aware and naive datetimes both
        work. "Fri 22:00-02:00" contains Saturday 01:00 but not Friday 01:00.
        """
        minute = local.hour * 60 + local.minute
        weekday = local.weekday()
        if not self.spans_midnight:
            return weekday in self.days and self.start <= minute < self.end
        if minute >= self.start:
            return weekday in self.days
        if minute < self.end:
            return (weekday - 1) % 7 in self.days
        return False

    def _days_text(self) -> str:
        if len(self.days) == 7:
            return "Mon-Sun"
        # Runs of consecutive days, going round the week (so Sat,Sun,Mon stays
        # one run "Sat-Mon"), listed in order of their first day.
        items = []
        for first in sorted(d for d in self.days if (d - 1) % 7 not in self.days):
            last = first
            while (last + 1) % 7 in self.days:
                last = (last + 1) % 7
            if last == first:
                items.append(_DAY_ABBR[first])
            else:
                items.append(f"{_DAY_ABBR[first]}-{_DAY_ABBR[last]}")
        return ",".join(items)

    def __str__(self) -> str:
        return f"{self._days_text()} {_format_minutes(self.start)}-{_format_minutes(self.end)}"


def _parse_day(name: str) -> int:
    key = name.strip().lower()
    if key not in _DAY_NUMBERS:
        if not key:
            raise GrammarError("a day is missing (check for doubled or trailing commas or dashes)")
        raise GrammarError(f"unknown day {shown(name.strip(), 20)} (use Mon … Sun or Monday … Sunday)")
    return _DAY_NUMBERS[key]


def _parse_days(text: str) -> frozenset[int]:
    if not text.strip():
        raise GrammarError(f"days are missing before the hours, as in {WINDOW_EXAMPLE}")
    days: set[int] = set()
    for item in text.split(","):
        parts = item.split("-")
        if len(parts) == 1:
            days.add(_parse_day(parts[0]))
        elif len(parts) == 2:
            first, last = _parse_day(parts[0]), _parse_day(parts[1])
            day = first
            days.add(day)
            while day != last:  # ranges may wrap round the week: Sat-Mon
                day = (day + 1) % 7
                days.add(day)
        else:
            raise GrammarError(f"{shown(item.strip(), 30)} is not a day or a day range like Mon-Fri")
    return frozenset(days)


def _parse_time(text: str, *, is_end: bool) -> int:
    match = _TIME_RE.fullmatch(text)
    assert match is not None  # guaranteed by _WINDOW_RE
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0:
        if not is_end:
            raise GrammarError("24:00 can only end a window (start at 00:00 instead)")
        return 1440
    if hours > 23 or minutes > 59:
        raise GrammarError(f"{text} is not a time of day (use 00:00 to 23:59, or 24:00 as the end)")
    return hours * 60 + minutes


def read_send_window(text: str) -> SendWindow:
    match = _WINDOW_RE.fullmatch(text.strip())
    if match is None:
        raise GrammarError("the hour range HH:MM-HH:MM is missing or malformed")
    days = _parse_days(match.group("days"))
    start = _parse_time(match.group("start"), is_end=False)
    end = _parse_time(match.group("end"), is_end=True)
    if start == end:
        raise GrammarError("the start and end times are the same")
    if end == 0:
        end = 1440  # "22:00-00:00" ends at midnight, i.e. 24:00
    return SendWindow(days=days, start=start, end=end)


def parse_send_window(text: str) -> SendWindow:
    """Parse ``Mon-Fri 10:00-17:00``, ``Mon,Wed 09:30-12:00``, ``Sat-Mon 22:00-02:00``.

    Days are comma-separated days or ranges (any case, short or full names;
    ranges may wrap round the week), then one hour range; ``24:00`` only as the
    end; an end before the start spans midnight. Raises ValueError.
    """
    try:
        return read_send_window(text)
    except GrammarError as err:
        raise ValueError(f"expected {WINDOW_EXPECTED}: {err}, got {shown(text)}") from None

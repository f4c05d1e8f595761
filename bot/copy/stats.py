"""`/nudge stats`: the invitation funnel of the last days, its counts and shares written as
the reader's locale writes numbers."""

from __future__ import annotations

from datetime import timedelta

from bot.copy.blocks import Message, plain
from bot.copy.i18n import _, number, percent, tenths
from bot.rules.recruiting import Funnel


def usage(*, command: str) -> Message:
    return plain(_("Usage: `{command} stats [30d]` (a number of days, up to 3650d)", command=command))


def stats(result: Funnel, period: timedelta) -> Message:
    def pct(name: str) -> str:
        rate = result.rate(name)
        return "" if rate is None else f" ({percent(rate)})"

    median = result.median_time_to_answer
    median_text = "—" if median is None else _duration(median)
    days = period.days or 1
    return plain(
        _("*Last {days} days*", days=number(days))
        + "\n• "
        + "\n• ".join(
            (
                _("Invited: {count}", count=number(result.invited)),
                _("Answered: {count}", count=number(result.answered)) + pct("answered"),
                _("Interested: {count}", count=number(result.interested)) + pct("interested"),
                _("Snoozed: {count}", count=number(result.snoozed)) + pct("snoozed"),
                _("Declined: {count}", count=number(result.declined)) + pct("declined"),
                _("Opted out: {count}", count=number(result.opted_out)),
                _("Median time to answer: {duration}", duration=median_text),
            )
        )
    )


def _duration(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("{hours} hours", hours=tenths(hours))
    return _("{days} days", days=tenths(hours / 24))

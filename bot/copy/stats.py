"""`/nudge stats`: the invitation funnel of the last days, its counts and shares written as
the reader's locale writes numbers."""

from __future__ import annotations

from datetime import timedelta

from bot.copy.blocks import Message, plain
from bot.copy.i18n import N_, _, number, percent, tenths
from bot.rules.recruiting import Funnel


def usage(*, command: str) -> Message:
    return plain(_("Usage: `{command} stats [30d]` (a number of days, up to 3650d)", command=command))


# funnel part -> its line without and with its share of the invitations (none when nobody was invited)
_PARTS: dict[str, tuple[str, str]] = {
    "answered": (N_("Answered: {count}"), N_("Answered: {count} ({share})")),
    "interested": (N_("Interested: {count}"), N_("Interested: {count} ({share})")),
    "snoozed": (N_("Snoozed: {count}"), N_("Snoozed: {count} ({share})")),
    "declined": (N_("Declined: {count}"), N_("Declined: {count} ({share})")),
}


def _part(result: Funnel, name: str) -> str:
    alone, with_share = _PARTS[name]
    count, rate = number(getattr(result, name)), result.rate(name)
    return _(alone, count=count) if rate is None else _(with_share, count=count, share=percent(rate))


def stats(result: Funnel, period: timedelta) -> Message:
    median = result.median_time_to_answer
    median_text = "—" if median is None else _duration(median)
    lines = (
        _("Invited: {count}", count=number(result.invited)),
        *(_part(result, name) for name in _PARTS),
        _("Opted out: {count}", count=number(result.opted_out)),
        _("Median time to answer: {duration}", duration=median_text),
    )
    return plain(_("*Last {days} days*", days=number(period.days or 1)) + "\n• " + "\n• ".join(lines))


def _duration(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("{hours} hours", hours=tenths(hours))
    return _("{days} days", days=tenths(hours / 24))

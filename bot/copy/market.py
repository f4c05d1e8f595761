"""The market pulse, as a `/nudge market` reply and as a section of the candidate's App Home.
Titles and companies are what recruiters typed: escaped and shown verbatim."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.copy.blocks import Message, context, verbatim_section
from bot.rules.market import Pulse
from bot.rules.pay import pay_text
from bot.rules.text import escape

HEAD = "*Your market pulse* (roles opened here in the last 90 days)"
FROM_ROLES_ONLY = "Built from roles only, never from other candidates: a view of your market, no conversation needed."


def _title(title: str, company: str | None) -> str:
    return f"• {escape(title)} — {escape(company) if company else '_company kept confidential for now_'}"


def pulse_text(pulse: Pulse, *, command: str) -> str:
    if not pulse.has_interests:
        return (
            f"{HEAD}\nTell Nudge what interests you and it will show you what recruiters here have opened "
            f"lately that fits: add a few interests with `{command} prefs` (for example backend, python, remote)."
        )
    if not pulse.count:
        return (
            f"{HEAD}\nNo roles matching your interests were opened here lately. That's worth knowing too; "
            f"you can widen your interests any time with `{command} prefs`."
        )
    roles = "role matches" if pulse.count == 1 else "roles match"
    remote = f"; {pulse.remote} of them remote" if pulse.remote else "; none of them fully remote"
    lines = [f"{HEAD}\n{pulse.count} {roles} your interests{remote}."]
    lines += [_title(t.title, t.company) for t in pulse.titles]
    if pulse.count > len(pulse.titles):
        lines.append(f"…and {pulse.count - len(pulse.titles)} more.")
    if pulse.pay_ranges:
        lines.append("Pay ranges stated: " + ", ".join(escape(pay_text(p)) for p in pulse.pay_ranges) + ".")
    else:
        lines.append("None of them stated a pay range.")
    return "\n".join(lines)


def market_blocks(pulse: Pulse, *, command: str) -> list[Block]:
    """The pulse as App Home blocks."""
    return [verbatim_section(pulse_text(pulse, command=command)), context(FROM_ROLES_ONLY)]


def market_pulse(pulse: Pulse, *, command: str) -> Message:
    """The `/nudge market` reply."""
    text = pulse_text(pulse, command=command)
    return Message(text=text, blocks=tuple(market_blocks(pulse, command=command)))

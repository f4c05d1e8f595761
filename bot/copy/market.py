"""The market pulse, as a `/nudge market` reply and as a section of the candidate's App Home.
Titles and companies are what recruiters typed: escaped and shown verbatim."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.copy.blocks import Message, context, verbatim_section
from bot.copy.i18n import N_, _, current_language, money, ngettext, number
from bot.rules.language import Language
from bot.rules.market import Pulse
from bot.rules.pay import PayRange, pay_text
from bot.rules.text import escape

HEAD = N_("*Your market pulse* (roles opened here in the last 90 days)")
FROM_ROLES_ONLY = N_(
    "Built from roles only, never from other candidates: a view of your market, no conversation needed."
)


def _title(title: str, company: str | None) -> str:
    shown = escape(company) if company else _("_company kept confidential for now_")
    return f"• {escape(title)} — {shown}"


def pay_shown(pay: PayRange) -> str:
    """English keeps the short `€80k–95k` recruiters write; other languages write the amounts as
    their locale writes money (`80.000 € – 95.000 €`)."""
    if current_language() is Language.ENGLISH:
        return pay_text(pay)
    return " – ".join(money(amount, pay.currency) for amount in dict.fromkeys((pay.low, pay.high)))


def pulse_text(pulse: Pulse, *, command: str) -> str:
    if not pulse.has_interests:
        return (
            _(HEAD)
            + "\n"
            + _(
                "Tell Nudge what interests you and it will show you what recruiters here have opened "
                "lately that fits: add a few interests with `{command} prefs` (for example backend, python, remote).",
                command=command,
            )
        )
    if not pulse.count:
        return (
            _(HEAD)
            + "\n"
            + _(
                "No roles matching your interests were opened here lately. That's worth knowing too; "
                "you can widen your interests any time with `{command} prefs`.",
                command=command,
            )
        )
    matching = ngettext("{n} role matches your interests", "{n} roles match your interests", pulse.count)
    remote = (
        ngettext("{n} of them remote", "{n} of them remote", pulse.remote)
        if pulse.remote
        else _("none of them fully remote")
    )
    lines = [_(HEAD) + "\n" + _("{matching}; {remote}.", matching=matching, remote=remote)]
    lines += [_title(t.title, t.company) for t in pulse.titles]
    if pulse.count > len(pulse.titles):
        lines.append(_("…and {count} more.", count=number(pulse.count - len(pulse.titles))))
    if pulse.pay_ranges:
        lines.append(
            _("Pay ranges stated: {ranges}.", ranges=", ".join(escape(pay_shown(p)) for p in pulse.pay_ranges))
        )
    else:
        lines.append(_("None of them stated a pay range."))
    return "\n".join(lines)


def market_blocks(pulse: Pulse, *, command: str) -> list[Block]:
    """The pulse as App Home blocks."""
    return [verbatim_section(pulse_text(pulse, command=command)), context(_(FROM_ROLES_ONLY))]


def market_pulse(pulse: Pulse, *, command: str) -> Message:
    """The `/nudge market` reply."""
    text = pulse_text(pulse, command=command)
    return Message(text=text, blocks=tuple(market_blocks(pulse, command=command)))

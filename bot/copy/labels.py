"""Stored words shown to people: pipeline labels, stages, answers and consent-ledger terms.

The database, the exports, the webhooks and the `/nudge stage` grammar keep the English values
(they are contracts); only what a person reads is translated. Each English label is the stored
value itself, so English readers see exactly what they always have. A value with no label here
(a newer one, or text from elsewhere) is shown as stored.
"""

from __future__ import annotations

from bot.copy.i18n import N_, _, number
from bot.rules.consent import role_of_share_scope

_STATES: dict[str, str] = {
    "queued": N_("queued"),
    "awaiting answer": N_("awaiting answer"),
    "asked for details": N_("asked for details"),
    "accepted": N_("accepted"),
    "conversation": N_("conversation"),
    "interviewing": N_("interviewing"),
    "offer": N_("offer"),
    "closed": N_("closed"),
    "stepped back": N_("stepped back"),
    "stepped_back": N_("stepped back"),
    "snoozed": N_("snoozed"),
    "declined": N_("declined"),
    "opted out": N_("opted out"),
    "expired": N_("expired"),
    "not delivered": N_("not delivered"),
    "details": N_("details"),
    "stopped": N_("stopped"),
}

_LEDGER: dict[str, str] = {
    "invitations": N_("invitations"),
    "preferences": N_("preferences"),
    "cadence": N_("cadence"),
    "granted": N_("granted"),
    "withdrawn": N_("withdrawn"),
    "paused": N_("paused"),
    "resumed": N_("resumed"),
    "updated": N_("updated"),
    "renewed": N_("renewed"),
    "erased": N_("erased"),
    "command": N_("command"),
    "button": N_("button"),
    "keyword": N_("keyword"),
    "app_home": N_("app_home"),
    "modal": N_("modal"),
    "system": N_("system"),
    "retention": N_("retention"),
    "admin_purge": N_("admin_purge"),
}


def state_label(value: str) -> str:
    """A pipeline label, stage or answer as the reader's language names it."""
    label = _STATES.get(value)
    return _(label) if label else value


def ledger_term(value: str) -> str:
    """A consent-ledger scope, action or channel as the reader's language names it."""
    role_id = role_of_share_scope(value)
    if role_id is not None:
        return _("share:role:{id}", id=role_id)
    label = _LEDGER.get(value)
    return _(label) if label else value


def stage_counts(stages: list[tuple[str, int]]) -> str:
    """`accepted 2, offer 1`, in the reader's language; empty when there is nothing to count."""
    return ", ".join(_("{label} {n}", label=state_label(label), n=number(n)) for label, n in stages)


def count_rows(counts: list[tuple[str, int]]) -> str:
    """One `• label: n` line per label, in the reader's language."""
    return "\n".join("• " + _("{label}: {n}", label=state_label(label), n=number(n)) for label, n in counts)

"""Admin tools: the consent ledger export and the workspace purge (admins only)."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import ActionsBlock

from bot.copy.blocks import Message, button, context, plain, section
from bot.copy.i18n import _, hundredths, ngettext
from bot.rules.text import escape

ACTION_PURGE_CONFIRM = "nudge.admin.purge.confirm"
ACTION_PURGE_CANCEL = "nudge.admin.purge.cancel"
# The button carries a fixed value, never user text: the clicker is checked again on click.
PURGE_VALUE = "purge-workspace"

EXPORT_FILENAME = "nudge-consent-ledger.csv"


def admins_only() -> Message:
    """Anyone who is not an admin: this, and nothing else."""
    return plain(_("That's for admins only."))


def export_on_its_way(since: date | None) -> Message:
    return plain(
        _(
            "The consent ledger {scope} is on its way to your DM as a CSV file: one row per consent event, "
            "erased people as their suppression hash, no notes or free text.",
            scope=_scope(since),
        )
    )


def _scope(since: date | None) -> str:
    return _("since {date} (UTC)", date=since.isoformat()) if since else _("from the start")


def export_asked_a_moment_ago() -> Message:
    return plain(
        _(
            "You asked for an export a moment ago, so it is already on its way to your DM. "
            "If it doesn't arrive, ask again in a minute."
        )
    )


def export_title() -> str:
    return _("Nudge consent ledger")


def export_comment(*, since: date | None, rows: int) -> str:
    return ngettext(
        "The consent ledger {scope}: {n} event. Erased people appear as their suppression hash.",
        "The consent ledger {scope}: {n} events. Erased people appear as their suppression hash.",
        rows,
        scope=_scope(since),
    )


def input_problem(text: str) -> Message:
    return plain(text)


def purge_confirmation() -> Message:
    """Asked before anything happens; the buttons carry fixed values only."""
    text = _(
        "*Erase every candidate?* Nudge will erase everyone's personal data as `forget` does: preferences, "
        "invitations' notes, private notes, disclosures and DM references. Only the suppression hashes and the "
        "ledger (re-keyed to those hashes) stay, so nobody is messaged again unless they join again themselves. "
        "This cannot be undone. It is recorded with your name and the time."
    )
    return Message(
        text=_("Erase every candidate? This cannot be undone."),
        blocks=(
            section(text),
            ActionsBlock(
                elements=[
                    button(_("Erase every candidate"), ACTION_PURGE_CONFIRM, PURGE_VALUE, style="danger"),
                    button(_("Cancel"), ACTION_PURGE_CANCEL, "cancel"),
                ]
            ),
        ),
    )


def purge_started() -> Message:
    return plain(_("Erasing every candidate now, in small batches. I'll confirm here when it's done."))


def purge_cancelled() -> Message:
    return plain(_("Cancelled: nothing was erased."))


def purge_done(*, erased: int, waiting: int, at: datetime) -> Message:
    lines = [
        ngettext(
            "Done: {n} candidate erased at {time} UTC. "
            "Their suppression hashes stay, so nobody is messaged again unless they join again themselves.",
            "Done: {n} candidates erased at {time} UTC. "
            "Their suppression hashes stay, so nobody is messaged again unless they join again themselves.",
            erased,
            time=f"{at:%Y-%m-%d %H:%M}",
        )
    ]
    if waiting:
        lines.append(
            _(
                "{n} of them had a message on its way; their erasure is recorded and finishes within a minute.",
                n=waiting,
            )
        )
    return Message(
        text=" ".join(lines),
        blocks=(section("\n".join(lines)), context(_("The purge is recorded with who ran it and when."))),
    )


def webhooks_off() -> Message:
    return plain(
        _(
            "Webhooks are off. Set `NUDGE_WEBHOOK_URL` and `NUDGE_WEBHOOK_SECRET` to tell your recruiting system "
            "what happens in Nudge."
        )
    )


def webhook_ping_on_its_way(host: str) -> Message:
    return plain(_("Sending a `ping` to {host}; I'll tell you what comes back.", host=escape(host)))


def webhook_ping_result(host: str, *, status: int | None, seconds: float, delivered: bool) -> Message:
    where = escape(host)
    if delivered:
        seconds_text = hundredths(seconds)
        return plain(
            _(
                "`ping` delivered: {host} answered {status} in {seconds} s.",
                host=where,
                status=status,
                seconds=seconds_text,
            )
        )
    if status is None:
        return plain(
            _(
                "`ping` not delivered: no answer from {host} within 10 s (a timeout or a connection error). "
                "Events wait in the queue and are retried.",
                host=where,
            )
        )
    if status == 410:
        return plain(
            _(
                "`ping` not delivered: {host} answered {status} (410 Gone: the endpoint asks for no more events). "
                "Check the receiver and its secret.",
                host=where,
                status=status,
            )
        )
    return plain(
        _(
            "`ping` not delivered: {host} answered {status}. Check the receiver and its secret.",
            host=where,
            status=status,
        )
    )


def _when(moment: datetime | None) -> str:
    return _("never") if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


def webhook_status(
    host: str,
    *,
    last_success: datetime | None,
    last_failure: datetime | None,
    last_failure_status: str | None,
    waiting: int,
    oldest_waiting: datetime | None,
    stopped_at: datetime | None,
) -> Message:
    failure = _when(last_failure) + (
        f" ({escape(last_failure_status)})" if last_failure and last_failure_status else ""
    )
    lines = [
        _("*Webhooks to {host}*", host=escape(host)),
        "• " + _("Last success: {when}", when=_when(last_success)),
        "• " + _("Last failure: {when}", when=failure),
        "• "
        + (
            ngettext(
                "Waiting: {n} event, the oldest since {when}",
                "Waiting: {n} events, the oldest since {when}",
                waiting,
                when=_when(oldest_waiting),
            )
            if oldest_waiting
            else ngettext("Waiting: {n} event", "Waiting: {n} events", waiting)
        ),
    ]
    if stopped_at is not None:
        lines.append(
            "• "
            + _(
                "Stopped since {when}: the endpoint answered 410 Gone. Deliveries resume when "
                "`NUDGE_WEBHOOK_URL` or `NUDGE_WEBHOOK_SECRET` changes.",
                when=_when(stopped_at),
            )
        )
    return plain("\n".join(lines))

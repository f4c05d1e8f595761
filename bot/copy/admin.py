"""Admin tools: the consent ledger export and the workspace purge (admins only)."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import ActionsBlock

from bot.copy.blocks import Message, button, context, plain, section
from bot.rules.text import escape

ACTION_PURGE_CONFIRM = "nudge.admin.purge.confirm"
ACTION_PURGE_CANCEL = "nudge.admin.purge.cancel"
# The button carries a fixed value, never user text: the clicker is checked again on click.
PURGE_VALUE = "purge-workspace"

EXPORT_FILENAME = "nudge-consent-ledger.csv"


def admins_only() -> Message:
    """Anyone who is not an admin: this, and nothing else."""
    return plain("That's for admins only.")


def export_on_its_way(since: date | None) -> Message:
    scope = f"since {since.isoformat()} (UTC)" if since else "from the start"
    return plain(
        f"The consent ledger {scope} is on its way to your DM as a CSV file: one row per consent event, "
        "erased people as their suppression hash, no notes or free text."
    )


def export_asked_a_moment_ago() -> Message:
    return plain(
        "You asked for an export a moment ago, so it is already on its way to your DM. "
        "If it doesn't arrive, ask again in a minute."
    )


def export_comment(*, since: date | None, rows: int) -> str:
    scope = f"since {since.isoformat()} (UTC)" if since else "from the start"
    return f"The consent ledger {scope}: {rows} event{'s' if rows != 1 else ''}. Erased people appear as their suppression hash."


def input_problem(text: str) -> Message:
    return plain(text)


def purge_confirmation() -> Message:
    """Asked before anything happens; the buttons carry fixed values only."""
    text = (
        "*Erase every candidate?* Nudge will erase everyone's personal data as `forget` does: preferences, "
        "invitations' notes, private notes, disclosures and DM references. Only the suppression hashes and the "
        "ledger (re-keyed to those hashes) stay, so nobody is messaged again unless they join again themselves. "
        "This cannot be undone. It is recorded with your name and the time."
    )
    return Message(
        text="Erase every candidate? This cannot be undone.",
        blocks=(
            section(text),
            ActionsBlock(
                elements=[
                    button("Erase every candidate", ACTION_PURGE_CONFIRM, PURGE_VALUE, style="danger"),
                    button("Cancel", ACTION_PURGE_CANCEL, "cancel"),
                ]
            ),
        ),
    )


def purge_started() -> Message:
    return plain("Erasing every candidate now, in small batches. I'll confirm here when it's done.")


def purge_cancelled() -> Message:
    return plain("Cancelled: nothing was erased.")


def purge_done(*, erased: int, waiting: int, at: datetime) -> Message:
    lines = [
        f"Done: {erased} candidate{'s' if erased != 1 else ''} erased at {at:%Y-%m-%d %H:%M} UTC. "
        "Their suppression hashes stay, so nobody is messaged again unless they join again themselves."
    ]
    if waiting:
        lines.append(
            f"{waiting} of them had a message on its way; their erasure is recorded and finishes within a minute."
        )
    return Message(
        text=" ".join(lines),
        blocks=(section("\n".join(lines)), context("The purge is recorded with who ran it and when.")),
    )


def webhooks_off() -> Message:
    return plain(
        "Webhooks are off. Set `NUDGE_WEBHOOK_URL` and `NUDGE_WEBHOOK_SECRET` to tell your recruiting system "
        "what happens in Nudge."
    )


def webhook_ping_on_its_way(host: str) -> Message:
    return plain(f"Sending a `ping` to {escape(host)}; I'll tell you what comes back.")


def webhook_ping_result(host: str, *, status: int | None, seconds: float, delivered: bool) -> Message:
    where = escape(host)
    if delivered:
        return plain(f"`ping` delivered: {where} answered {status} in {seconds:.2f} s.")
    if status is None:
        return plain(
            f"`ping` not delivered: no answer from {where} within 10 s (a timeout or a connection error). "
            "Events wait in the queue and are retried."
        )
    gone = " (410 Gone: the endpoint asks for no more events)" if status == 410 else ""
    return plain(f"`ping` not delivered: {where} answered {status}{gone}. Check the receiver and its secret.")


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


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
        f"*Webhooks to {escape(host)}*",
        f"• Last success: {_when(last_success)}",
        f"• Last failure: {failure}",
        f"• Waiting: {waiting} event{'s' if waiting != 1 else ''}"
        + (f", the oldest since {_when(oldest_waiting)}" if oldest_waiting else ""),
    ]
    if stopped_at is not None:
        lines.append(
            f"• Stopped since {_when(stopped_at)}: the endpoint answered 410 Gone. Deliveries resume when "
            "`NUDGE_WEBHOOK_URL` or `NUDGE_WEBHOOK_SECRET` changes."
        )
    return plain("\n".join(lines))

"""Admin tools: the consent ledger export and the workspace purge (admins only)."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import ActionsBlock

from bot.copy.blocks import Message, button, context, plain, section

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

"""The `/nudge` slash command. Replies are the ack body, which Slack shows as ephemeral."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import messages
from bot.commands import Audience, ParsedCommand, parse_command
from bot.consent import ConsentStatus, Via
from bot.messages import Message
from bot.service import Nudge


def register(app: App, *, nudge: Nudge) -> None:
    @app.command(nudge.settings.command)
    def on_nudge_command(ack: Ack, command: dict) -> None:
        reply = answer(nudge, user_id=command["user_id"], parsed=parse_command(command.get("text")))
        ack(**reply.as_kwargs())


def answer(nudge: Nudge, *, user_id: str, parsed: ParsedCommand) -> Message:
    """The reply to one `/nudge …` command from one person."""
    settings = nudge.settings
    name, audience = parsed.name, parsed.audience
    if audience is Audience.UNKNOWN:
        return messages.unknown_command(command=settings.command)
    if audience is Audience.RECRUITER and not nudge.is_recruiter(user_id):
        return messages.recruiters_only(
            command=settings.command,
            privacy_url=settings.privacy_url,
            opted_in_now=nudge.consent_status(user_id) is ConsentStatus.OPTED_IN,
        )
    if name == "join":
        change = nudge.join(user_id, via=Via.COMMAND)
        return messages.opted_in(command=settings.command, privacy_url=settings.privacy_url, already=not change.changed)
    if name == "stop":
        change = nudge.stop(user_id, via=Via.COMMAND)
        return messages.opted_out(command=settings.command, already=not change.changed)
    if name == "help":
        return messages.help_message(
            command=settings.command,
            is_recruiter=nudge.is_recruiter(user_id),
            opted_in_now=nudge.consent_status(user_id) is ConsentStatus.OPTED_IN,
            privacy_url=settings.privacy_url,
        )
    return messages.not_available_yet(command=settings.command, name=name)

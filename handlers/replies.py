"""What a `/nudge` subcommand answers, as one typed value the router acts on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.copy.blocks import Message
from bot.usecases.roles import RolesWhenAsked
from handlers.services import Services


@dataclass(frozen=True)
class CommandRequest:
    user_id: str
    args: str
    roles: RolesWhenAsked
    client: WebClient


@dataclass(frozen=True)
class Reply:
    """The ephemeral answer, and what happens around it.

    kick: steps the command queued, sent right after the answer.
    later: slow work after the ack (an upload, a purge), logged as `later_name` if it fails.
    follow_up: slow work after the ack whose result is answered to the person (a webhook ping).
    after_quiet: confirm only once any send in flight to this person has landed (an opt-out's
    confirmation never overtakes a message on its way).
    """

    message: Message
    kick: tuple[int, ...] = ()
    later: Callable[[], object] | None = None
    later_name: str = "command.later"
    follow_up: Callable[[], Message] | None = None
    after_quiet: bool = False

    @classmethod
    def queued(cls, message: Message, step_ids: list[int | None]) -> Reply:
        return cls(message, kick=tuple(i for i in step_ids if i is not None))


@dataclass(frozen=True)
class OpenModal:
    """Open this view with the command's trigger (within Slack's 3 s) and answer nothing."""

    view: View


Answer = Reply | OpenModal
Route = Callable[[Services, CommandRequest], Answer]

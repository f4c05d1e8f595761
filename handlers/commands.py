"""The `/nudge` slash command: one router, built from the command catalogue
(`bot.rules.commands`), with who may use what decided in one place. Replies are the ack body,
which Slack shows as ephemeral; modals open before the ack (Slack's 3 s trigger window) and
slow work runs after it."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.copy import admin as admin_copy
from bot.copy import candidate as messages
from bot.rules.commands import Audience, parse_command
from bot.usecases.roles import RolesWhenAsked
from handlers import admin_commands, candidate_commands, recruiter_commands
from handlers.candidate_commands import opted_in_now
from handlers.middleware import RoleChecks
from handlers.replies import Answer, CommandRequest, OpenModal, Reply, Route
from handlers.services import Services
from handlers.shared import run_later

ROUTES: dict[str, Route] = {**candidate_commands.ROUTES, **recruiter_commands.ROUTES, **admin_commands.ROUTES}


class NudgeCommand:
    def __init__(self, services: Services, checks: RoleChecks) -> None:
        self.services = services
        self.checks = checks

    def register(self, app: App) -> None:
        app.command(self.services.command, middleware=[self.checks.know_roles])(self.on_command)

    def on_command(self, ack: Ack, command: dict, client: WebClient, respond: Respond, roles: RolesWhenAsked) -> None:
        user_id = command["user_id"]
        parsed = parse_command(command.get("text"))
        request = CommandRequest(user_id, parsed.args, roles, client)
        reply = self.answer(parsed.name, parsed.audience, request)
        if isinstance(reply, OpenModal):
            client.views_open(trigger_id=command["trigger_id"], view=reply.view)  # within 3 s of the trigger
            ack()
            return
        self.services.outbox.kick(list(reply.kick))
        message = reply.message
        if reply.after_quiet and self.services.inflight.send_in_flight(user_id):
            # A message to them is on its way: confirm only once it has landed.
            ack()
            self.services.inflight.when_quiet(user_id, lambda: respond(**message.as_kwargs()))
        else:
            ack(**message.as_kwargs())
        if reply.later is not None:
            run_later(self.services, reply.later, reply.later_name)
        follow_up = reply.follow_up
        if follow_up is not None:
            run_later(self.services, lambda: respond(**follow_up().as_kwargs()), reply.later_name)

    def answer(self, name: str, audience: Audience, request: CommandRequest) -> Answer:
        """The reply to one `/nudge …` command, once the person's roles allow it."""
        if audience is Audience.UNKNOWN:
            return Reply(messages.unknown_command(command=self.services.command))
        if audience is Audience.RECRUITER and not request.roles.recruiter:
            return Reply(
                messages.recruiters_only(
                    command=self.services.command,
                    privacy_url=self.services.privacy_url,
                    opted_in_now=opted_in_now(self.services, request.user_id),
                )
            )
        if audience is Audience.ADMIN and not request.roles.admin:
            return Reply(admin_copy.admins_only())
        return ROUTES[name](self.services, request)

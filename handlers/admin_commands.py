"""`/nudge admin …` and the purge confirmation buttons. Admins only (the router and the
buttons' middleware check it): everyone else is told "That's for admins only." and nothing
else. Slow work (the upload, the purge) runs after the ack."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.copy import admin as copy
from bot.copy.blocks import Message
from bot.copy.i18n import say
from bot.rules.commands import EXPORT_CONSENT, WEBHOOK_STATUS, WEBHOOK_TEST, AdminInputError, parse_admin
from bot.usecases.exports import Export
from handlers.middleware import RoleChecks
from handlers.replies import CommandRequest, Reply, Route
from handlers.services import Services
from handlers.shared import run_later


def admin(services: Services, request: CommandRequest) -> Reply:
    try:
        wanted = parse_admin(request.args, command=services.command)
    except AdminInputError as error:
        return Reply(copy.input_problem(say(error.args[0])))
    if wanted.action == EXPORT_CONSENT:
        if not services.exports.allow(request.user_id, Export.CONSENT_LEDGER):
            return Reply(copy.export_asked_a_moment_ago())
        return Reply(
            copy.export_on_its_way(wanted.since),
            later=lambda: services.admin.export_consent(request.user_id, wanted.since),
            later_name="admin.export_consent",
        )
    if wanted.action in (WEBHOOK_TEST, WEBHOOK_STATUS):
        return webhook(services, wanted.action)
    return Reply(copy.purge_confirmation())  # nothing happens until the button is clicked


def webhook(services: Services, action: str) -> Reply:
    """The ping is posted after the ack (it may take the endpoint's full 10 s), and its outcome
    follows as a second ephemeral reply; the status is one quick database read."""
    sender = services.webhooks
    if sender.url is None:
        return Reply(copy.webhooks_off())
    if action == WEBHOOK_STATUS:
        state = sender.status()
        return Reply(
            copy.webhook_status(
                sender.host,
                last_success=state.last_success,
                last_failure=state.last_failure,
                last_failure_status=state.last_failure_status,
                waiting=state.waiting,
                oldest_waiting=state.oldest_waiting,
                stopped_at=state.stopped_at,
            )
        )

    def ping() -> Message:
        result = sender.ping()
        return copy.webhook_ping_result(
            sender.host, status=result.status, seconds=result.seconds, delivered=result.delivered
        )

    return Reply(copy.webhook_ping_on_its_way(sender.host), follow_up=ping, later_name="admin.webhook_test")


ROUTES: dict[str, Route] = {"admin": admin}


class PurgeButtons:
    def __init__(self, services: Services, checks: RoleChecks) -> None:
        self.services = services
        self.checks = checks

    def register(self, app: App) -> None:
        app.action(copy.ACTION_PURGE_CONFIRM, middleware=[self.checks.admins_click])(self.on_purge_confirmed)
        app.action(copy.ACTION_PURGE_CANCEL, middleware=[self.checks.admins_click])(self.on_purge_cancelled)

    def on_purge_confirmed(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        user_id = body["user"]["id"]
        horizon = self.services.admin.confirmed()  # whoever joins after this click is kept
        respond(replace_original=True, **copy.purge_started().as_kwargs())

        def purge() -> None:
            result = self.services.admin.purge_workspace(user_id, horizon)
            done = copy.purge_done(erased=result.erased, waiting=result.waiting, at=result.finished_at)
            respond(replace_original=True, **done.as_kwargs())

        run_later(self.services, purge, "admin.purge_workspace")

    def on_purge_cancelled(self, ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, **copy.purge_cancelled().as_kwargs())

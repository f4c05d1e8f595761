"""A person's own buttons, on messages and on App Home: join, stop, pause, resume, preferences,
and the recruiter's *Send one-time opt-in request*. Each click is acknowledged and applied; a
clicked message is replaced in place, and App Home refreshes through the change notifications."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.copy import candidate as messages
from bot.copy import recruiter as recruiter_copy
from bot.copy.i18n import _
from bot.rules.recruiter_input import parse_user_ref
from handlers.middleware import RECRUITERS_ONLY, RoleChecks
from handlers.services import Services
from handlers.shared import pause_for_months, preferences_modal, reply_in_place, via

PAUSE_MONTHS = {"1": 1, "3": 3, "6": 6}
DEFAULT_PAUSE_MONTHS = 3


class CandidateButtons:
    def __init__(self, services: Services, checks: RoleChecks) -> None:
        self.services = services
        self.checks = checks

    def register(self, app: App) -> None:
        app.action(messages.ACTION_JOIN)(self.on_join)
        app.action(messages.ACTION_STOP)(self.on_stop)
        app.action(messages.ACTION_PAUSE)(self.on_pause)
        app.action(messages.ACTION_RESUME)(self.on_resume)
        app.action(messages.ACTION_EDIT_PREFERENCES)(self.on_edit_preferences)
        app.action(recruiter_copy.ACTION_SEND_OPT_IN_REQUEST, middleware=[self.checks.recruiters_click])(
            self.on_send_opt_in_request
        )

    def on_join(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        change = self.services.consent.join(body["user"]["id"], via=via(body))
        services = self.services
        reply = messages.opted_in(
            command=services.command, privacy_url=services.privacy_url, already=not change.changed
        )
        reply_in_place(services, body, respond, reply)

    def on_stop(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        user_id = body["user"]["id"]
        change = self.services.consent.stop(user_id, via=via(body))
        reply = messages.opted_out(command=self.services.command, already=not change.changed)
        self.services.inflight.when_quiet(user_id, lambda: reply_in_place(self.services, body, respond, reply))

    def on_pause(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        months = PAUSE_MONTHS.get(action.get("value") or "", DEFAULT_PAUSE_MONTHS)
        reply = pause_for_months(self.services, body["user"]["id"], months, via=via(body))
        reply_in_place(self.services, body, respond, reply)

    def on_resume(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        result = self.services.consent.resume(body["user"]["id"], via=via(body))
        command = self.services.command
        if result.applied:
            reply = messages.resumed(command=command)
        else:
            reply = messages.nothing_to_pause(command=command, standing=result.standing)
        reply_in_place(self.services, body, respond, reply)

    def on_edit_preferences(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=preferences_modal(self.services, body["user"]["id"]))

    def on_send_opt_in_request(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        candidate_id = action.get("value") or ""
        if parse_user_ref(candidate_id) != candidate_id:
            reply_in_place(self.services, body, respond, recruiter_copy.problem(_(RECRUITERS_ONLY)))
            return
        result = self.services.recruiting.request_opt_in(candidate_id=candidate_id)
        self.services.outbox.kick([result.step_id])
        reply_in_place(
            self.services, body, respond, recruiter_copy.opt_in_request_outcome(result.outcome, candidate_id)
        )

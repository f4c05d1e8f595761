"""Buttons on invitations, on the sharing question, on "still welcome?" and on the renewal
question. Each click is acknowledged, recorded, and the clicked message is updated in place with
`chat.update` after the ack."""

from __future__ import annotations

import logging
import re
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.copy import journey as copy
from bot.copy.blocks import Message
from bot.copy.candidate import opted_out
from bot.copy.i18n import day_and_date
from bot.rules.statuses import ANSWERS, Answer
from bot.usecases.journey import DEFAULT_SNOOZE_MONTHS, AnswerResult, Click
from handlers.services import Services
from handlers.shared import invitation_id_in, seen_in, update_clicked

log = logging.getLogger("nudge.handlers")
SNOOZE = re.compile(copy.ACTION_SNOOZE_PATTERN)
# The answers the clicked message is updated to show (expiry included: it settles the invitation).
SHOWN_ANSWERS = ANSWERS | {Answer.EXPIRED}


class InvitationButtons:
    def __init__(self, services: Services) -> None:
        self.services = services

    def register(self, app: App) -> None:
        app.action(copy.ACTION_ACCEPT)(self.on_accept)
        app.action(copy.ACTION_DECLINE)(self.on_decline)
        app.action(copy.ACTION_STOP_FROM_INVITATION)(self.on_stop)
        app.action(SNOOZE)(self.on_snooze)
        app.action(copy.ACTION_LATER)(self.on_later)
        app.action(copy.ACTION_BACK)(self.on_back)
        app.action(copy.ACTION_DETAILS)(self.on_details)
        app.action(copy.ACTION_SHARE_YES)(self.on_share_yes)
        app.action(copy.ACTION_SHARE_NO)(self.on_share_no)
        app.action(copy.ACTION_STILL_WELCOME_YES)(self.on_still_welcome_yes)
        app.action(copy.ACTION_STILL_WELCOME_PAUSE)(self.on_still_welcome_pause)
        app.action(copy.ACTION_RENEW_KEEP)(self.on_renew_keep)
        app.action(copy.ACTION_RENEW_END)(self.on_renew_end)

    def _answered_message(self, result: AnswerResult, answer: Answer) -> Message:
        _, role = result.invited()
        until = day_and_date(result.paused_until, ZoneInfo(result.zone_name)) if result.paused_until else None
        return copy.answered(
            role=role,
            answer=answer,
            command=self.services.command,
            until_text=until,
            recruiter_left=result.recruiter_left,
        )

    def _answer(self, body: dict, action: dict, client: WebClient, answer: Answer, months: int | None = None) -> None:
        user_id = body["user"]["id"]
        invitation_id = invitation_id_in(action.get("value"))
        if invitation_id is None:
            return
        result = self.services.journey.answer(user_id, invitation_id, answer, months=months, seen_in=seen_in(body))
        if result.state is Click.NOT_YOURS:
            log.warning("a click on someone else's invitation was ignored", extra={"action": "invitation.not_yours"})
            return
        if result.state in (Click.ANSWERED, Click.ALREADY) and result.answer in SHOWN_ANSWERS:
            message = self._answered_message(result, result.answer)
            if answer is Answer.STOPPED:  # the confirmation never overtakes a message in flight
                self.services.inflight.when_quiet(user_id, lambda: update_clicked(self.services, client, body, message))
            else:
                update_clicked(self.services, client, body, message)
        self.services.outbox.kick(result.steps)

    def on_accept(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        self._answer(body, action, client, Answer.ACCEPTED)

    def on_decline(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        self._answer(body, action, client, Answer.DECLINED)

    def on_stop(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        self._answer(body, action, client, Answer.STOPPED)

    def on_snooze(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        match = SNOOZE.match(action.get("action_id") or "")
        months = int(match.group(1)) if match else 0
        chosen = months if months in copy.SNOOZE_MONTHS else DEFAULT_SNOOZE_MONTHS
        self._answer(body, action, client, Answer.SNOOZED, months=chosen)

    def _open(self, body: dict, action: dict) -> AnswerResult | None:
        """The invitation behind a click if it is the clicker's and still open, else None."""
        invitation_id = invitation_id_in(action.get("value"))
        if invitation_id is None:
            return None
        return self.services.journey.open_invitation(body["user"]["id"], invitation_id, seen_in=seen_in(body))

    def on_later(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        result = self._open(body, action)
        if result is not None:
            invitation, role = result.invited()
            update_clicked(self.services, client, body, copy.later_choices(invitation_id=invitation.id, role=role))

    def _invitation(self, result: AnswerResult, *, with_details: bool) -> Message:
        """The invitation message as first sent (for *Back* and *Tell me more*)."""
        invitation, role = result.invited()
        return copy.invitation(
            invitation_id=invitation.id,
            role=role,
            recruiter_id=invitation.recruiter_id,
            note=invitation.note,
            matched=self.services.journey.matched_interests(invitation, role),
            with_details=with_details,
        )

    def on_back(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        result = self._open(body, action)
        if result is not None:
            asked = result.invited()[0].details_asked_at is not None
            update_clicked(self.services, client, body, self._invitation(result, with_details=asked))

    def on_details(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        invitation_id = invitation_id_in(action.get("value"))
        if invitation_id is None:
            return
        result = self.services.journey.show_details(body["user"]["id"], invitation_id, seen_in=seen_in(body))
        if result.state is Click.DETAILS:
            update_clicked(self.services, client, body, self._invitation(result, with_details=True))
        elif result.state is Click.ALREADY and result.answer is not None:
            update_clicked(self.services, client, body, self._answered_message(result, result.answer))

    def on_share_yes(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        self._share(body, action, client, yes=True)

    def on_share_no(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        self._share(body, action, client, yes=False)

    def _share(self, body: dict, action: dict, client: WebClient, *, yes: bool) -> None:
        invitation_id = invitation_id_in(action.get("value"))
        if invitation_id is None:
            return
        result = self.services.journey.share(body["user"]["id"], invitation_id, yes=yes)
        if result.state is Click.ANSWERED:
            message = copy.share_answered(role=result.role, yes=yes, command=self.services.command)
            update_clicked(self.services, client, body, message)
        elif result.state is Click.NOT_OPEN:
            update_clicked(
                self.services, client, body, copy.share_closed(role=result.role, command=self.services.command)
            )

    def on_still_welcome_yes(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        self._still_welcome(body, client, keep=True)

    def on_still_welcome_pause(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        self._still_welcome(body, client, keep=False)

    def _still_welcome(self, body: dict, client: WebClient, *, keep: bool) -> None:
        command = self.services.command
        result = self.services.journey.still_welcome(body["user"]["id"], keep=keep)
        if result.state is Click.ERASED:
            update_clicked(self.services, client, body, opted_out(command=command, already=True))
            return
        until = None
        if not keep:
            until = day_and_date(result.paused_until, ZoneInfo(result.zone_name)) if result.paused_until else None
        update_clicked(
            self.services, client, body, copy.still_welcome_answered(keep=keep, until_text=until, command=command)
        )

    def on_renew_keep(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        if self.services.consent.renew(body["user"]["id"], keep=True):
            update_clicked(
                self.services, client, body, copy.consent_renewal_answered(keep=True, command=self.services.command)
            )

    def on_renew_end(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        if self.services.consent.renew(user_id, keep=False):
            message = copy.consent_renewal_answered(keep=False, command=self.services.command)
            self.services.inflight.when_quiet(user_id, lambda: update_clicked(self.services, client, body, message))

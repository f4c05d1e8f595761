"""Buttons on invitations, on the sharing question and on "still welcome?". Each click is
acknowledged, recorded, and the clicked message is updated in place with `chat.update`."""

from __future__ import annotations

import logging
import re
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.copy import journey as copy
from bot.copy.candidate import opted_out
from bot.rules.preferences import describe_day
from bot.sending.replies import AfterAck, Inline
from bot.usecases.journey import Journey, render_invitation

log = logging.getLogger("nudge.handlers")


def _invitation_id(value: str | None) -> int | None:
    head = (value or "").split(":", 1)[0]
    return int(head) if head.isdigit() and len(head) < 10 else None


def _seen_in(body: dict) -> tuple[str, str] | None:
    """The (channel, ts) of the message that was clicked: proof that it was delivered."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") == "message" and not container.get("is_ephemeral") and channel and ts:
        return str(channel), str(ts)
    return None


def _update(client: WebClient, body: dict, message, *, after_ack: AfterAck | Inline | None = None) -> None:
    """Replace the clicked message; with `after_ack`, after the ack (the answer is committed)."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if channel and ts:
        (after_ack or Inline()).send(
            body["user"]["id"], lambda: client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
        )


def register(app: App, *, journey: Journey, outbox, after_ack: AfterAck | Inline | None = None) -> None:
    candidates = journey.candidates
    command = candidates.settings.command

    def answered_message(result):
        until = describe_day(result.paused_until, ZoneInfo(result.zone_name)) if result.paused_until else None
        return copy.answered(role=result.role, answer=result.answer, command=command, until_text=until)

    def handle_answer(body: dict, action: dict, client: WebClient, answer: str, months: int | None = None) -> None:
        user_id = body["user"]["id"]
        invitation_id = _invitation_id(action.get("value"))
        if invitation_id is None:
            return
        result = journey.answer(user_id, invitation_id, answer, months=months, seen_in=_seen_in(body))
        if result.state == "not_yours":
            log.warning("a click on someone else's invitation was ignored", extra={"action": "invitation.not_yours"})
            return
        if result.state in ("answered", "already") and result.answer in (
            "accepted",
            "declined",
            "snoozed",
            "stopped",
            "expired",
        ):
            message = answered_message(result)
            if answer == "stopped":  # the confirmation never overtakes a message in flight
                candidates.when_quiet(user_id, lambda: _update(client, body, message, after_ack=after_ack))
            else:
                _update(client, body, message, after_ack=after_ack)
        outbox.kick(result.steps)

    def answer_with(answer: str):
        def on_click(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
            ack()
            handle_answer(body, action, client, answer)

        return on_click

    for action_id, answer in (
        (copy.ACTION_ACCEPT, "accepted"),
        (copy.ACTION_DECLINE, "declined"),
        (copy.ACTION_STOP_FROM_INVITATION, "stopped"),
    ):
        app.action(action_id)(answer_with(answer))

    snooze_pattern = re.compile(copy.ACTION_SNOOZE_PATTERN)

    @app.action(snooze_pattern)
    def on_snooze(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        match = snooze_pattern.match(action.get("action_id") or "")
        months = int(match.group(1)) if match else 0
        handle_answer(body, action, client, "snoozed", months=months if months in copy.SNOOZE_MONTHS else 3)

    @app.action(copy.ACTION_LATER)
    def on_later(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        result = _open(body, action)
        if result is not None:
            _update(
                client,
                body,
                copy.later_choices(invitation_id=result.invitation.id, role=result.role),
                after_ack=after_ack,
            )

    @app.action(copy.ACTION_BACK)
    def on_back(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        result = _open(body, action)
        if result is not None:
            _update(
                client,
                body,
                render_invitation(
                    candidates,
                    result.invitation,
                    result.role,
                    with_details=result.invitation.details_asked_at is not None,
                ),
                after_ack=after_ack,
            )

    @app.action(copy.ACTION_DETAILS)
    def on_details(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        invitation_id = _invitation_id(action.get("value"))
        if invitation_id is None:
            return
        result = journey.show_details(body["user"]["id"], invitation_id, seen_in=_seen_in(body))
        if result.state == "details":
            _update(
                client,
                body,
                render_invitation(candidates, result.invitation, result.role, with_details=True),
                after_ack=after_ack,
            )
        elif result.state == "already":
            _update(client, body, answered_message(result), after_ack=after_ack)

    def _open(body: dict, action: dict):
        """The invitation behind a click if it is the clicker's and still open, else None."""
        invitation_id = _invitation_id(action.get("value"))
        return (
            None
            if invitation_id is None
            else journey.open_invitation(body["user"]["id"], invitation_id, seen_in=_seen_in(body))
        )

    @app.action(copy.ACTION_SHARE_YES)
    def on_share_yes(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        _share(body, action, client, yes=True)

    @app.action(copy.ACTION_SHARE_NO)
    def on_share_no(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        _share(body, action, client, yes=False)

    def _share(body: dict, action: dict, client: WebClient, *, yes: bool) -> None:
        invitation_id = _invitation_id(action.get("value"))
        if invitation_id is None:
            return
        result = journey.share(body["user"]["id"], invitation_id, yes=yes)
        if result.state == "answered":
            _update(client, body, copy.share_answered(role=result.role, yes=yes, command=command), after_ack=after_ack)

    @app.action(copy.ACTION_STILL_WELCOME_YES)
    def on_still_welcome_yes(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        result = journey.still_welcome(body["user"]["id"], keep=True)
        if result.state == "erased":
            _update(client, body, opted_out(command=command, already=True), after_ack=after_ack)
            return
        _update(
            client, body, copy.still_welcome_answered(keep=True, until_text=None, command=command), after_ack=after_ack
        )

    @app.action(copy.ACTION_STILL_WELCOME_PAUSE)
    def on_still_welcome_pause(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        result = journey.still_welcome(body["user"]["id"], keep=False)
        if result.state == "erased":
            _update(client, body, opted_out(command=command, already=True), after_ack=after_ack)
            return
        until = describe_day(result.paused_until, ZoneInfo(result.zone_name)) if result.paused_until else "later"
        _update(
            client,
            body,
            copy.still_welcome_answered(keep=False, until_text=until, command=command),
            after_ack=after_ack,
        )


def register_renewal(app: App, *, candidates, after_ack: AfterAck | Inline | None = None) -> None:
    command = candidates.settings.command

    @app.action(copy.ACTION_RENEW_KEEP)
    def on_renew_keep(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        if candidates.renew_consent(body["user"]["id"], keep=True):
            _update(client, body, copy.consent_renewal_answered(keep=True, command=command), after_ack=after_ack)

    @app.action(copy.ACTION_RENEW_END)
    def on_renew_end(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        if candidates.renew_consent(body["user"]["id"], keep=False):
            message = copy.consent_renewal_answered(keep=False, command=command)
            candidates.when_quiet(body["user"]["id"], lambda: _update(client, body, message, after_ack=after_ack))

"""Buttons. Each click is acknowledged and applied; a clicked message is replaced in place, and
the App Home tab refreshes through the use cases' change listeners."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.copy import candidate as messages
from bot.copy.blocks import Message
from bot.rules.consent import Via
from bot.rules.preferences import add_months, describe_day
from bot.sending.replies import AfterAck, Inline
from bot.usecases.candidates import Candidates
from bot.usecases.people import People
from handlers.commands import open_preferences

PAUSE_MONTHS = {"1": 1, "3": 3, "6": 6}


def _via(body: dict) -> Via:
    return Via.APP_HOME if body.get("container", {}).get("type") == "view" else Via.BUTTON


def _reply_in_place(
    body: dict, respond: Respond, reply: Message, *, after_ack: AfterAck | Inline | None = None
) -> None:
    """Messages are replaced in place; on the Home tab the refreshed view is the reply. With
    `after_ack` the replace goes out after the ack (the change is already committed)."""
    if body.get("response_url"):
        (after_ack or Inline()).send(body["user"]["id"], lambda: respond(replace_original=True, **reply.as_kwargs()))


def pause_for_months(
    candidates: Candidates, people: People, user_id: str, months: int, *, via: Via, command: str
) -> Message:
    """Pause every invitation for `months` in the person's own zone; the reply says until when
    (or why there was nothing to pause)."""
    zone = people.zone(candidates.snapshot(user_id))
    until = add_months(candidates.clock(), zone, months)
    result = candidates.pause(user_id, until=until, via=via)
    if result.applied:
        return messages.paused(command=command, until_text=describe_day(until, zone))
    return messages.nothing_to_pause(command=command, standing=result.standing.value)


def register(app: App, *, candidates: Candidates, people: People, after_ack: AfterAck | Inline | None = None) -> None:
    command = candidates.settings.command

    @app.action(messages.ACTION_JOIN)
    def on_join_clicked(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        change = candidates.join(body["user"]["id"], via=_via(body))
        reply = messages.opted_in(
            command=command, privacy_url=candidates.settings.privacy_url, already=not change.changed
        )
        _reply_in_place(body, respond, reply, after_ack=after_ack)

    @app.action(messages.ACTION_STOP)
    def on_stop_clicked(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        change = candidates.stop(body["user"]["id"], via=_via(body))
        reply = messages.opted_out(command=command, already=not change.changed)
        candidates.when_quiet(body["user"]["id"], lambda: _reply_in_place(body, respond, reply, after_ack=after_ack))

    @app.action(messages.ACTION_PAUSE)
    def on_pause_clicked(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        months = PAUSE_MONTHS.get(action.get("value"), 3)
        _reply_in_place(
            body,
            respond,
            pause_for_months(candidates, people, body["user"]["id"], months, via=_via(body), command=command),
            after_ack=after_ack,
        )

    @app.action(messages.ACTION_RESUME)
    def on_resume_clicked(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        result = candidates.resume(body["user"]["id"], via=_via(body))
        reply = (
            messages.resumed(command=command)
            if result.applied
            else messages.nothing_to_pause(command=command, standing=result.standing.value)
        )
        _reply_in_place(body, respond, reply, after_ack=after_ack)

    @app.action(messages.ACTION_EDIT_PREFERENCES)
    def on_edit_preferences_clicked(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_preferences(client, candidates, people, user_id=body["user"]["id"], trigger_id=body["trigger_id"])


def register_recruiter_actions(app: App, *, recruiting, outbox, after_ack: AfterAck | Inline | None = None) -> None:
    from bot.copy import recruiter as replies

    @app.action(replies.ACTION_SEND_OPT_IN_REQUEST)
    def on_send_opt_in_request(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        recruiter_id = body["user"]["id"]
        candidate_id = action.get("value") or ""
        from bot.rules.recruiting import parse_user_ref

        if not recruiting.candidates.is_recruiter(recruiter_id) or parse_user_ref(candidate_id) != candidate_id:
            _reply_in_place(body, respond, replies.problem("That's for recruiters only."), after_ack=after_ack)
            return
        outcome, message_id = recruiting.request_opt_in(recruiter_id=recruiter_id, candidate_id=candidate_id)
        if message_id is not None:
            outbox.kick([message_id])
        _reply_in_place(body, respond, replies.opt_in_request_outcome(outcome, candidate_id), after_ack=after_ack)

"""Listeners for what follows the first yes: `/nudge sharing`, `/nudge profile`, *Share my
profile* / *Stop sharing*, *Step back*, *Write a private note* and its modal, and the
stay-in-touch buttons. Thin: parse, call `AfterYes`, render."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.copy import after_yes as copy
from bot.copy.blocks import Message
from bot.rules.consent import Via
from bot.rules.recruiting import parse_role_ref, parse_user_ref
from bot.sending.replies import AfterAck, Inline
from bot.usecases.after_yes import AfterYes
from handlers.actions import pause_for_months

log = logging.getLogger("nudge.handlers")


def _id(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _via(body: dict) -> Via:
    return Via.APP_HOME if body.get("container", {}).get("type") == "view" else Via.BUTTON


def _reply_in_place(
    body: dict, respond: Respond, reply: Message, *, after_ack: AfterAck | Inline | None = None
) -> None:
    if body.get("response_url"):
        (after_ack or Inline()).send(body["user"]["id"], lambda: respond(replace_original=True, **reply.as_kwargs()))


def sharing_reply(after_yes: AfterYes, user_id: str) -> Message:
    overview = after_yes.overview(user_id)
    return copy.sharing(
        [r.as_tuple() for r in overview.rows], overview.disclosures, command=after_yes.candidates.settings.command
    )


def profile_reply(after_yes: AfterYes, client: WebClient, *, recruiter_id: str, args: str) -> Message:
    """`/nudge profile @user ROLE_ID`: the card while the grant stands, else the one-line refusal."""
    command = after_yes.candidates.settings.command
    words = args.split()
    candidate = parse_user_ref(words[0]) if len(words) == 2 else None
    role_id = parse_role_ref(words[1]) if len(words) == 2 else None
    if candidate is None or role_id is None:
        return Message(text=f"Usage: `{command} profile @user ROLE_ID`", blocks=())
    result = after_yes.profile(recruiter_id=recruiter_id, candidate_id=candidate, role_id=role_id)
    if result.state == "no_role":
        return copy.no_role(role_id)
    if result.state != "ok":
        return copy.profile_refused(candidate_id=candidate, role_id=role_id)
    name, title = candidate, None
    try:  # read live from Slack: the name and title are never stored
        profile = (client.users_info(user=candidate)["user"] or {}).get("profile") or {}
        name = profile.get("real_name") or profile.get("display_name") or candidate
        title = profile.get("title") or None
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning(
            "could not read the profile from Slack: %s",
            type(error).__name__,
            extra={"action": "profile.users_info_failed"},
        )
    return copy.profile_card(
        candidate_id=candidate, role=result.role, name=name, title=title, interests=result.interests, note=result.note
    )


def register(app: App, *, after_yes: AfterYes, outbox, people, after_ack: AfterAck | Inline | None = None) -> None:
    candidates = after_yes.candidates
    command = candidates.settings.command

    def share(body: dict, action: dict, respond: Respond, *, yes: bool) -> None:
        user_id = body["user"]["id"]
        role_id = _id(action.get("value"))
        if role_id is None:
            return
        role = after_yes.set_sharing(user_id, role_id, yes=yes, via=_via(body))
        if role is not None and _via(body) is Via.BUTTON:
            _reply_in_place(body, respond, sharing_reply(after_yes, user_id), after_ack=after_ack)

    @app.action(copy.ACTION_SHARE_ON)
    def on_share_on(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        share(body, action, respond, yes=True)

    @app.action(copy.ACTION_SHARE_OFF)
    def on_share_off(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        share(body, action, respond, yes=False)

    @app.action(copy.ACTION_STEP_BACK)
    def on_step_back(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        invitation_id = _id(action.get("value"))
        if invitation_id is None:
            return
        result = after_yes.step_back(body["user"]["id"], invitation_id, via=_via(body))
        outbox.kick(result.steps)
        if result.state in ("stepped_back", "already") and result.role is not None:
            _reply_in_place(
                body,
                respond,
                copy.stepped_back(role=result.role, already=result.state == "already", command=command),
                after_ack=after_ack,
            )

    @app.action(copy.ACTION_WRITE_NOTE)
    def on_write_note(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        invitation_id = _id(action.get("value")) or 0
        client.views_open(
            trigger_id=body["trigger_id"], view=copy.note_modal(invitation_id=invitation_id)
        )  # within 3 s
        ack()

    @app.view(copy.NOTE_CALLBACK)
    def on_note_submitted(ack: Ack, body: dict, view: dict) -> None:
        market_value, next_role = copy.read_note_form(view["state"]["values"])
        invitation_id = _id(view.get("private_metadata"))
        after_yes.save_note(body["user"]["id"], invitation_id, market_value=market_value, next_role=next_role)
        ack(response_action="update", view=_saved_view())

    @app.action(copy.ACTION_STAY_IN_TOUCH)
    def on_stay_in_touch(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        if after_yes.stay_in_touch(body["user"]["id"], via=_via(body)):
            _reply_in_place(body, respond, copy.stay_in_touch_answered(command=command), after_ack=after_ack)

    @app.action(copy.ACTION_STAY_PAUSE)
    def on_stay_pause(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        _reply_in_place(
            body,
            respond,
            pause_for_months(candidates, people, body["user"]["id"], 6, via=_via(body), command=command),
            after_ack=after_ack,
        )


def _saved_view():
    from bot.copy.blocks import section
    from bot.copy.views import modal

    return modal(title="Saved", close="Done", blocks=[section(copy.note_saved().text)])

"""Listeners for what follows the first yes: *Share my profile* / *Stop sharing*, *Step back*,
*Write a private note* and its modal, and the stay-in-touch buttons; and the replies of
`/nudge sharing` and `/nudge profile`. Thin: parse, call `AfterYes`, render."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.copy import after_yes as copy
from bot.copy import recruiter as recruiter_copy
from bot.copy.blocks import Message, section
from bot.copy.views import modal
from bot.rules.consent import Via
from bot.rules.recruiter_input import parse_role_ref, parse_user_ref
from bot.usecases.after_yes import ProfileState, StepBack
from handlers.services import Services
from handlers.shared import id_in, pause_for_months, reply_in_place, via

log = logging.getLogger("nudge.handlers")
STAY_PAUSE_MONTHS = 6


def sharing_reply(services: Services, user_id: str) -> Message:
    overview = services.after_yes.overview(user_id)
    return copy.sharing([r.as_tuple() for r in overview.rows], overview.disclosures, command=services.command)


def profile_reply(services: Services, client: WebClient, *, recruiter_id: str, args: str) -> Message:
    """`/nudge profile @user ROLE_ID`: the card while the grant stands, else the one-line refusal."""
    words = args.split()
    candidate = parse_user_ref(words[0]) if len(words) == 2 else None
    role_id = parse_role_ref(words[1]) if len(words) == 2 else None
    if candidate is None or role_id is None:
        return recruiter_copy.usage("profile @user ROLE_ID", command=services.command)
    result = services.after_yes.profile(recruiter_id=recruiter_id, candidate_id=candidate, role_id=role_id)
    if result.state is ProfileState.NO_ROLE:
        return copy.no_role(role_id)
    if result.state is not ProfileState.SHOWN:
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


class AfterYesListeners:
    def __init__(self, services: Services) -> None:
        self.services = services

    def register(self, app: App) -> None:
        app.action(copy.ACTION_SHARE_ON)(self.on_share_on)
        app.action(copy.ACTION_SHARE_OFF)(self.on_share_off)
        app.action(copy.ACTION_STEP_BACK)(self.on_step_back)
        app.action(copy.ACTION_WRITE_NOTE)(self.on_write_note)
        app.view(copy.NOTE_CALLBACK)(self.on_note_submitted)
        app.action(copy.ACTION_STAY_IN_TOUCH)(self.on_stay_in_touch)
        app.action(copy.ACTION_STAY_PAUSE)(self.on_stay_pause)

    def on_share_on(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        self._share(body, action, respond, yes=True)

    def on_share_off(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        self._share(body, action, respond, yes=False)

    def _share(self, body: dict, action: dict, respond: Respond, *, yes: bool) -> None:
        user_id = body["user"]["id"]
        role_id = id_in(action.get("value"))
        if role_id is None:
            return
        role = self.services.after_yes.set_sharing(user_id, role_id, yes=yes, via=via(body))
        if role is not None and via(body) is Via.BUTTON:
            reply_in_place(self.services, body, respond, sharing_reply(self.services, user_id))

    def on_step_back(self, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        invitation_id = id_in(action.get("value"))
        if invitation_id is None:
            return
        result = self.services.after_yes.step_back(body["user"]["id"], invitation_id, via=via(body))
        self.services.outbox.kick(result.steps)
        if result.state in (StepBack.STEPPED_BACK, StepBack.ALREADY) and result.role is not None:
            already = result.state is StepBack.ALREADY
            reply = copy.stepped_back(role=result.role, already=already, command=self.services.command)
            reply_in_place(self.services, body, respond, reply)

    def on_write_note(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        invitation_id = id_in(action.get("value")) or 0
        client.views_open(
            trigger_id=body["trigger_id"], view=copy.note_modal(invitation_id=invitation_id)
        )  # within 3 s
        ack()

    def on_note_submitted(self, ack: Ack, body: dict, view: dict) -> None:
        market_value, next_role = copy.read_note_form(view["state"]["values"])
        invitation_id = id_in(view.get("private_metadata"))
        self.services.after_yes.save_note(
            body["user"]["id"], invitation_id, market_value=market_value, next_role=next_role
        )
        saved = modal(title="Saved", close="Done", blocks=[section(copy.note_saved().text)])
        ack(response_action="update", view=saved)

    def on_stay_in_touch(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        if self.services.after_yes.stay_in_touch(body["user"]["id"], via=via(body)):
            reply_in_place(self.services, body, respond, copy.stay_in_touch_answered(command=self.services.command))

    def on_stay_pause(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        reply = pause_for_months(self.services, body["user"]["id"], STAY_PAUSE_MONTHS, via=via(body))
        reply_in_place(self.services, body, respond, reply)

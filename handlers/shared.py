"""What several listeners need: reading ids from button values, telling a click on App Home
from one on a message, replying in place, and the two small flows more than one surface offers
(opening the preferences modal, pausing for some months)."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.copy import candidate as messages
from bot.copy import views
from bot.copy.blocks import Message
from bot.copy.i18n import day_and_date
from bot.rules.consent import Via
from bot.rules.preferences import add_months
from handlers.services import Services

log = logging.getLogger("nudge.handlers")
MAX_ID_DIGITS = 9


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= MAX_ID_DIGITS else None


def id_in(value: str | None) -> int | None:
    """The id a button value (or a modal's `private_metadata`) is; None for anything else."""
    return _number((value or "").strip())


def invitation_id_in(value: str | None) -> int | None:
    """The invitation id an invitation button's value starts with (`12` or `12:…`)."""
    return _number((value or "").split(":", 1)[0])


def via(body: dict) -> Via:
    """A click on the App Home tab, or on a message."""
    return Via.APP_HOME if body.get("container", {}).get("type") == "view" else Via.BUTTON


def seen_in(body: dict) -> tuple[str, str] | None:
    """The (channel, ts) of the message that was clicked: proof that it was delivered."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") == "message" and not container.get("is_ephemeral") and channel and ts:
        return str(channel), str(ts)
    return None


def reply_in_place(services: Services, body: dict, respond: Respond, reply: Message) -> None:
    """Replace the clicked message through its `response_url`, after the ack (the change is
    already committed); on the Home tab the refreshed view is the reply."""
    if body.get("response_url"):
        services.replies.send(body["user"]["id"], lambda: respond(replace_original=True, **reply.as_kwargs()))


def update_clicked(services: Services, client: WebClient, body: dict, message: Message) -> None:
    """Replace the clicked DM message with `chat.update`, after the ack."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if channel and ts:
        services.replies.send(
            body["user"]["id"], lambda: client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
        )


def preferences_modal(services: Services, user_id: str) -> View:
    """The preferences modal, with the cached Slack zone refreshed first (it is shown in the form)."""
    snapshot = services.preferences.snapshot(user_id)
    services.people.zone_name(snapshot)
    snapshot = services.preferences.snapshot(user_id)
    return views.preferences_modal(snapshot, slack_tz=snapshot.slack_tz)


def pause_for_months(services: Services, user_id: str, months: int, *, via: Via) -> Message:
    """Pause every invitation for `months` in the person's own zone; the reply says until when
    (or why there was nothing to pause)."""
    zone = services.people.zone(services.preferences.snapshot(user_id))
    until = add_months(services.ctx.clock(), zone, months)
    result = services.consent.pause(user_id, until=until, via=via)
    if result.applied:
        return messages.paused(command=services.command, until_text=day_and_date(until, zone))
    return messages.nothing_to_pause(command=services.command, standing=result.standing)


def run_later(services: Services, job: Callable[[], object], what: str) -> None:
    """Run slow work after the ack on the background executor; a failure is logged (the worker
    has no caller to tell, and the person can ask again)."""

    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("%s failed", what, extra={"action": f"{what}_failed"})

    services.background.submit(contextvars.copy_context().run, run)  # keeps the person's language

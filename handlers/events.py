"""Events: direct messages to the bot (keywords)."""

from __future__ import annotations

from slack_bolt import App

from bot.delivery import Outbox
from bot.service import DirectMessage, Nudge


def direct_message_from(event: dict, event_id: str | None) -> DirectMessage | None:
    """The DM a person typed to Nudge, or None for anything Nudge must ignore.

    `message.im` also carries the bot's own posts, other bots, edits (`message_changed` after every
    `chat.update`) and other subtypes; answering those could loop.
    """
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    if event.get("edited") or not event.get("user") or not event.get("channel") or not event.get("ts"):
        return None
    return DirectMessage(
        event_id=event_id,
        channel_id=event["channel"],
        ts=event["ts"],
        user_id=event["user"],
        text=event.get("text") or "",
    )


def register(app: App, *, nudge: Nudge, outbox: Outbox) -> None:
    @app.event("message")
    def on_message(body: dict, event: dict) -> None:
        dm = direct_message_from(event, body.get("event_id"))
        if dm is None:
            return
        message_ids = nudge.receive_dm(dm)
        if message_ids:
            outbox.kick(message_ids)

"""Events: direct messages to the bot (keywords), the App Home tab, community channel joins, and
the app being uninstalled or its bot token revoked."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.usecases.direct_messages import DirectMessage
from handlers.services import Services


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


class EventListeners:
    def __init__(self, services: Services) -> None:
        self.services = services

    def register(self, app: App) -> None:
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_app_home_opened)
        app.event("member_joined_channel")(self.on_member_joined_channel)
        app.event("app_uninstalled")(self.on_app_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    def on_message(self, body: dict, event: dict) -> None:
        dm = direct_message_from(event, body.get("event_id"))
        if dm is None:
            return
        message_ids = self.services.direct_messages.receive(dm)
        if message_ids:
            self.services.outbox.kick(message_ids)

    def on_app_home_opened(self, event: dict) -> None:
        if event.get("tab") == "home":
            self.services.home.refresh_soon(event["user"], first=True)  # they are looking at it now

    def on_member_joined_channel(self, body: dict, event: dict, context: BoltContext) -> None:
        community = self.services.ctx.settings.community_channel
        user_id = event.get("user")
        if not community or event.get("channel") != community or not user_id or user_id == context.bot_user_id:
            return
        self.services.outbox.kick(self.services.direct_messages.welcome(user_id=user_id, event_id=body.get("event_id")))

    def on_app_uninstalled(self) -> None:
        self.services.outbox.switch.stop_sending("app_uninstalled")

    def on_tokens_revoked(self, event: dict, context: BoltContext) -> None:
        """Only the bot's own token matters: a revoked user token changes nothing for sending."""
        bots = list((event.get("tokens") or {}).get("bot") or [])
        if bots and (context.bot_user_id is None or context.bot_user_id in bots):
            self.services.outbox.switch.stop_sending("tokens_revoked")

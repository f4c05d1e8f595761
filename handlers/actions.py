"""Buttons. Each click is acknowledged, applied, and the clicked message replaced in place."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.consent import Via
from bot.service import Nudge


def register(app: App, *, nudge: Nudge) -> None:
    command = nudge.settings.command

    @app.action(messages.ACTION_JOIN)
    def on_join_clicked(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        change = nudge.join(body["user"]["id"], via=Via.BUTTON)
        reply = messages.opted_in(command=command, privacy_url=nudge.settings.privacy_url, already=not change.changed)
        respond(replace_original=True, **reply.as_kwargs())

    @app.action(messages.ACTION_STOP)
    def on_stop_clicked(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        change = nudge.stop(body["user"]["id"], via=Via.BUTTON)
        reply = messages.opted_out(command=command, already=not change.changed)
        respond(replace_original=True, **reply.as_kwargs())

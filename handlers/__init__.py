"""Thin Bolt listeners: parse the request, delegate to the use cases, render the reply."""

from __future__ import annotations

from slack_bolt import App

from bot.delivery import Outbox
from bot.service import Nudge
from handlers import actions, commands, errors, events


def register(app: App, *, nudge: Nudge, outbox: Outbox) -> None:
    """Attach every listener to the Bolt app."""
    errors.register(app)
    commands.register(app, nudge=nudge)
    actions.register(app, nudge=nudge)
    events.register(app, nudge=nudge, outbox=outbox)

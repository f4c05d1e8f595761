"""Thin Bolt listeners: parse the request, delegate to the use cases, render the reply."""

from __future__ import annotations

from slack_bolt import App

from bot.delivery import Outbox
from bot.home import HomeTab
from bot.people import People
from bot.service import Nudge
from handlers import actions, commands, errors, events, views


def register(app: App, *, nudge: Nudge, outbox: Outbox, home: HomeTab, people: People) -> None:
    """Attach every listener to the Bolt app."""
    errors.register(app)
    commands.register(app, nudge=nudge, people=people)
    actions.register(app, nudge=nudge, people=people)
    views.register(app, nudge=nudge)
    events.register(app, nudge=nudge, outbox=outbox, home=home)

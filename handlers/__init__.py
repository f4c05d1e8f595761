"""Thin Bolt listeners: parse the request, delegate to the use cases, render the reply."""

from __future__ import annotations

from slack_bolt import App

from bot.delivery import Outbox
from bot.home import HomeTab
from bot.journey import Journey
from bot.people import People
from bot.recruiting_service import Recruiting
from bot.service import Nudge
from handlers import actions, commands, errors, events, journey, views


def register(
    app: App,
    *,
    nudge: Nudge,
    recruiting: Recruiting,
    journey_service: Journey,
    outbox: Outbox,
    home: HomeTab,
    people: People,
    mydata=None,
) -> None:
    """Attach every listener to the Bolt app."""
    errors.register(app)
    commands.register(app, nudge=nudge, people=people, recruiting=recruiting, outbox=outbox, mydata=mydata)
    actions.register(app, nudge=nudge, people=people)
    actions.register_recruiter_actions(app, recruiting=recruiting, outbox=outbox)
    views.register(app, nudge=nudge)
    views.register_recruiter_views(app, recruiting=recruiting)
    journey.register(app, journey=journey_service, outbox=outbox)
    journey.register_renewal(app, nudge=nudge)
    events.register(app, nudge=nudge, outbox=outbox, home=home)

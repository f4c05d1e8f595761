"""Thin Bolt listeners: parse the request, delegate to the use cases, render the reply."""

from __future__ import annotations

from slack_bolt import App

from bot.sending.home import HomeTab
from bot.sending.outbox import Outbox
from bot.usecases.candidates import Candidates
from bot.usecases.journey import Journey
from bot.usecases.people import People
from bot.usecases.recruiting import Recruiting
from handlers import actions, commands, errors, events, journey, views


def register(
    app: App,
    *,
    candidates: Candidates,
    recruiting: Recruiting,
    journey_service: Journey,
    outbox: Outbox,
    home: HomeTab,
    people: People,
    mydata=None,
    after_yes=None,
    after_ack=None,
) -> None:
    """Attach every listener to the Bolt app. `after_ack` (a `bot.sending.replies.AfterAck`)
    sends click replies after the ack; without it they are sent inside the listener."""
    errors.register(app)
    from bot.usecases.after_yes import AfterYes
    from handlers import after_yes as after_yes_handlers

    after_yes = after_yes or AfterYes(candidates=candidates)
    from bot.usecases.admin import Admin
    from handlers import admin_commands

    admin = Admin(candidates=candidates, client=app.client)
    commands.register(
        app,
        candidates=candidates,
        people=people,
        recruiting=recruiting,
        outbox=outbox,
        mydata=mydata,
        after_yes=after_yes,
        admin=admin,
    )
    admin_commands.register(app, admin=admin, executor=outbox.executor)
    after_yes_handlers.register(app, after_yes=after_yes, outbox=outbox, people=people, after_ack=after_ack)
    actions.register(app, candidates=candidates, people=people, after_ack=after_ack)
    actions.register_recruiter_actions(app, recruiting=recruiting, outbox=outbox, after_ack=after_ack)
    views.register(app, candidates=candidates)
    views.register_recruiter_views(app, recruiting=recruiting)
    journey.register(app, journey=journey_service, outbox=outbox, after_ack=after_ack)
    journey.register_renewal(app, candidates=candidates, after_ack=after_ack)
    events.register(app, candidates=candidates, outbox=outbox, home=home)

"""Thin Bolt listeners: parse the request, delegate to the use cases, render the reply. Each
module's listeners are named methods registered by its `register(app)`; who may use what is
checked by the middleware in `handlers.middleware`."""

from __future__ import annotations

from slack_bolt import App

from handlers import errors
from handlers.admin_commands import PurgeButtons
from handlers.after_yes import AfterYesListeners
from handlers.candidate_buttons import CandidateButtons
from handlers.commands import NudgeCommand
from handlers.events import EventListeners
from handlers.invitation_buttons import InvitationButtons
from handlers.matching import match_on_the_body
from handlers.middleware import RoleChecks, in_their_language
from handlers.recruiting_surface import RecruitingSurface
from handlers.services import Services
from handlers.views import ViewListeners


def register(app: App, services: Services) -> None:
    """Attach every listener to the Bolt app."""
    errors.register(app)
    app.use(in_their_language(services))
    checks = RoleChecks(services)
    NudgeCommand(services, checks).register(app)
    PurgeButtons(services, checks).register(app)
    AfterYesListeners(services).register(app)
    CandidateButtons(services, checks).register(app)
    InvitationButtons(services).register(app)
    ViewListeners(services, checks).register(app)
    RecruitingSurface(services, checks).register(app)
    EventListeners(services).register(app)
    match_on_the_body(app)

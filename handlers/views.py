"""Modal submissions: the preferences form and the new-role form. Invalid input is shown on the
form and nothing is saved."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.copy import recruiter as replies
from bot.copy import views
from bot.copy.i18n import say
from bot.rules.preferences import validate_preferences
from bot.rules.recruiter_input import InputError, RoleDraft, make_role_draft
from bot.rules.recruiter_text import check_recruiter_text
from handlers.middleware import RoleChecks
from handlers.services import Services


def role_form_problems(values: dict[str, Any]) -> tuple[RoleDraft | None, dict[str, str]]:
    """The role the form describes, or the problem with each field (by block id)."""
    errors = {}
    for field in views.ROLE_FIELDS:
        problem = check_recruiter_text(field, values[field]) if values[field] else None
        if problem:
            errors[field] = say(problem)
    if errors:
        return None, errors
    try:
        return make_role_draft(**values), {}
    except InputError as error:
        return None, {error.field or "title": say(error.args[0])}


class ViewListeners:
    def __init__(self, services: Services, checks: RoleChecks) -> None:
        self.services = services
        self.checks = checks

    def register(self, app: App) -> None:
        app.view(views.PREFERENCES_CALLBACK)(self.on_preferences_submitted)
        app.view(views.ROLE_CALLBACK, middleware=[self.checks.recruiters_form])(self.on_role_submitted)

    def on_preferences_submitted(self, ack: Ack, body: dict, view: dict) -> None:
        form = views.read_preferences_form(view["state"]["values"])
        result = validate_preferences(form, default_window=self.services.ctx.settings.send_window)
        if isinstance(result, dict):
            ack(
                response_action="errors",
                errors={views.ERROR_BLOCKS[field]: say(text) for field, text in result.items()},
            )
            return
        if not self.services.preferences.save(body["user"]["id"], result):
            not_saved = views.forgotten_preferences_not_saved(command=self.services.command)
            errors = {views.ERROR_BLOCKS["interests"]: not_saved}
            ack(response_action="errors", errors=errors)
            return
        ack()

    def on_role_submitted(self, ack: Ack, body: dict, view: dict) -> None:
        draft, errors = role_form_problems(views.read_role_form(view["state"]["values"]))
        if draft is None:
            ack(response_action="errors", errors=errors)
            return
        # The confirmation is built (and checked against Slack's limits) before the role is
        # committed, so a role is never stored without its answer.
        confirmation = self.services.recruiting.create_role(
            draft,
            by=body["user"]["id"],
            answer=lambda role: views.role_created_modal(replies.role_created(role).text).to_dict(),
        )
        ack(response_action="update", view=confirmation)
        if view.get("private_metadata") == views.ROLE_FROM_HOME:  # they are looking at that tab
            self.services.home.refresh_soon(body["user"]["id"], first=True)

"""Modal submissions: the preferences form. Invalid input is shown inline and nothing is saved."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.copy import views
from bot.rules.preferences import validate_preferences
from bot.usecases.candidates import Candidates


def register(app: App, *, candidates: Candidates) -> None:
    @app.view(views.PREFERENCES_CALLBACK)
    def on_preferences_submitted(ack: Ack, body: dict, view: dict) -> None:
        form = views.read_preferences_form(view["state"]["values"])
        result = validate_preferences(form, default_window=candidates.settings.send_window)
        if isinstance(result, dict):
            ack(response_action="errors", errors={views.ERROR_BLOCKS[field]: text for field, text in result.items()})
            return
        if not candidates.save_preferences(body["user"]["id"], result):
            ack(
                response_action="errors",
                errors={views.ERROR_BLOCKS["interests"]: views.FORGOTTEN_PREFERENCES_NOT_SAVED},
            )
            return
        ack()


def register_recruiter_views(app: App, *, recruiting) -> None:
    from bot.copy import recruiter as replies
    from bot.rules.recruiting import InputError, check_recruiter_text, make_role_draft

    @app.view(views.ROLE_CALLBACK)
    def on_role_submitted(ack: Ack, body: dict, view: dict) -> None:
        user_id = body["user"]["id"]
        if not recruiting.candidates.is_recruiter(user_id):
            ack(response_action="errors", errors={"title": "That's for recruiters only."})
            return
        values = views.read_role_form(view["state"]["values"])
        errors = {}
        for field in views.ROLE_FIELDS:
            problem = check_recruiter_text(field, values[field]) if values[field] else None
            if problem:
                errors[field] = problem
        if not errors:
            try:
                draft = make_role_draft(**values)
            except InputError as error:
                errors["company" if values["title"].strip() else "title"] = str(error)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        # The confirmation is built (and checked against Slack's limits) before the role is
        # committed, so a role is never stored without its answer.
        view = recruiting.create_role(
            draft, by=user_id, answer=lambda role: views.role_created_modal(replies.role_created(role).text).to_dict()
        )
        ack(response_action="update", view=view)

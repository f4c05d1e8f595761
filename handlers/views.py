"""Modal submissions: the preferences form. Invalid input is shown inline and nothing is saved."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import views
from bot.preferences import validate_preferences
from bot.service import Nudge


def register(app: App, *, nudge: Nudge) -> None:
    @app.view(views.PREFERENCES_CALLBACK)
    def on_preferences_submitted(ack: Ack, body: dict, view: dict) -> None:
        form = views.read_preferences_form(view["state"]["values"])
        result = validate_preferences(form, default_window=nudge.settings.send_window)
        if isinstance(result, dict):
            ack(response_action="errors", errors={views.ERROR_BLOCKS[field]: text for field, text in result.items()})
            return
        nudge.save_preferences(body["user"]["id"], result)
        ack()

"""One place for listener errors, instead of a try/except in every listener."""

from __future__ import annotations

import logging

from slack_bolt import App

log = logging.getLogger("nudge.handlers")


def on_listener_error(error: Exception, body: dict) -> None:
    kind = body.get("type") or ("command" if "command" in body else "unknown")
    log.error("listener failed on %s request", kind, exc_info=error, extra={"action": "listener.error"})


def register(app: App) -> None:
    app.error(on_listener_error)

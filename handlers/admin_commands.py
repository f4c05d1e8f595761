"""`/nudge admin …` and the purge confirmation buttons. Admins only: everyone else is told
"That's for admins only." and nothing else. Slow work (the upload, the purge) runs after the ack."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond

from bot.copy import admin as copy
from bot.rules.commands import EXPORT_CONSENT, AdminInputError, parse_admin
from bot.usecases.admin import Admin

log = logging.getLogger(__name__)


def _in_background(executor, job, what: str) -> None:
    """Run after the ack; a failure is logged (the worker has no caller to tell)."""

    def run() -> None:
        try:
            job()
        except Exception:  # noqa: BLE001 (a worker thread: log it, the admin can run it again)
            log.exception("%s failed", what, extra={"action": f"admin.{what}_failed"})

    executor.submit(run)


def on_admin_command(admin: Admin, *, user_id: str, args: str, command: str, ack: Ack, executor) -> None:
    if not admin.is_admin(user_id):
        ack(**copy.admins_only().as_kwargs())
        return
    try:
        request = parse_admin(args, command=command)
    except AdminInputError as error:
        ack(**copy.input_problem(str(error)).as_kwargs())
        return
    if request.action == EXPORT_CONSENT:
        ack(**copy.export_on_its_way(request.since).as_kwargs())
        _in_background(executor, lambda: admin.export_consent(user_id, request.since), "export_consent")
        return
    ack(**copy.purge_confirmation().as_kwargs())  # nothing happens until the button is clicked


def register(app: App, *, admin: Admin, executor) -> None:
    @app.action(copy.ACTION_PURGE_CONFIRM)
    def on_purge_confirmed(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        user_id = body["user"]["id"]
        if not admin.is_admin(user_id):
            respond(replace_original=True, **copy.admins_only().as_kwargs())
            return
        respond(replace_original=True, **copy.purge_started().as_kwargs())

        def purge() -> None:
            result = admin.purge_workspace(user_id)
            respond(
                replace_original=True,
                **copy.purge_done(erased=result.erased, waiting=result.waiting, at=result.finished_at).as_kwargs(),
            )

        _in_background(executor, purge, "purge_workspace")

    @app.action(copy.ACTION_PURGE_CANCEL)
    def on_purge_cancelled(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        if not admin.is_admin(body["user"]["id"]):
            respond(replace_original=True, **copy.admins_only().as_kwargs())
            return
        respond(replace_original=True, **copy.purge_cancelled().as_kwargs())

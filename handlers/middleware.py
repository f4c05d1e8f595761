"""Who may do what, checked in one place: Bolt listener middleware that reads the person's roles
once per request (`bot.usecases.roles`) and puts them in the context as `roles`, and middleware
that turns away anyone without the role a listener needs, with the wording that surface uses."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, BoltResponse, Respond

from bot.copy import admin as admin_copy
from bot.copy import recruiter as recruiter_copy
from bot.usecases.roles import RolesWhenAsked
from handlers.services import Services
from handlers.shared import reply_in_place

RECRUITERS_ONLY = "That's for recruiters only."


def _user_of(body: dict) -> str | None:
    return body.get("user_id") or (body.get("user") or {}).get("id")


class RoleChecks:
    def __init__(self, services: Services) -> None:
        self.services = services

    def know_roles(self, body: dict, context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        """The person's roles for this request (the listener takes `roles`), read at most once
        and only if the answer depends on them."""
        self._roles(body, context)
        return next()

    def _roles(self, body: dict, context: BoltContext) -> RolesWhenAsked:
        if "roles" not in context:
            context["roles"] = RolesWhenAsked(self.services.ctx, _user_of(body))
        return context["roles"]

    def recruiters_click(
        self, ack: Ack, body: dict, respond: Respond, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A button only recruiters may press: anyone else's click changes nothing and the
        message says why."""
        if self._roles(body, context).recruiter:
            return next()
        response = ack()
        reply_in_place(self.services, body, respond, recruiter_copy.problem(RECRUITERS_ONLY))
        return response

    def recruiters_form(
        self, ack: Ack, body: dict, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A modal only recruiters may submit: anyone else sees the reason on the form."""
        if self._roles(body, context).recruiter:
            return next()
        return ack(response_action="errors", errors={"title": RECRUITERS_ONLY})

    def admins_click(
        self, ack: Ack, body: dict, respond: Respond, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A button only admins may press: anyone else is told so and nothing else."""
        if self._roles(body, context).admin:
            return next()
        response = ack()
        respond(replace_original=True, **admin_copy.admins_only().as_kwargs())
        return response

"""Who may do what, checked in one place: Bolt listener middleware that reads the person's roles
once per request (`bot.usecases.roles`) and puts them in the context as `roles`, and middleware
that turns away anyone without the role a listener needs, with the wording that surface uses."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from bot.copy import admin as admin_copy
from bot.copy import recruiter as recruiter_copy
from bot.copy import recruiting_views
from bot.copy.i18n import _, speak_when_asked
from bot.usecases.roles import RolesWhenAsked
from handlers.services import Services
from handlers.shared import reply_in_place

RECRUITERS_ONLY = recruiting_views.RECRUITERS_ONLY


def _user_of(body: dict) -> str | None:
    return body.get("user_id") or (body.get("user") or {}).get("id")


def _person_of(body: dict) -> str | None:
    """Who a request comes from: a command's or a click's user, or an event's (a DM, a tab)."""
    event = body.get("event") or {}
    return _user_of(body) or (event.get("user") if isinstance(event.get("user"), str) else None)


def in_their_language(services: Services) -> Callable[..., BoltResponse]:
    """Global middleware: everything the listener builds speaks the language of the person who
    asked. Bolt runs global middleware first and then the listener, in this thread
    (`process_before_response=True`), so the language is set for the thread, and set again by
    the next request (to the default when no person is known). It is looked up only when the
    first message is built, after the ack, never before it."""

    def middleware(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse:
        person = _person_of(body)
        speak_when_asked(lambda: services.people.language_of(person))
        return next()

    return middleware


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
        reply_in_place(self.services, body, respond, recruiter_copy.problem(_(RECRUITERS_ONLY)))
        return response

    def recruiters_form(
        self, ack: Ack, body: dict, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A modal only recruiters may submit: anyone else sees the reason on the form (on its
        first field, which every form has)."""
        if self._roles(body, context).recruiter:
            return next()
        fields = list((body.get("view") or {}).get("state", {}).get("values") or {})
        if not fields:  # a confirmation without inputs: nothing to show an error on
            return ack(response_action="update", view=recruiting_views.recruiters_only_modal())
        return ack(response_action="errors", errors={fields[0]: _(RECRUITERS_ONLY)})

    def recruiters_shortcut(
        self,
        ack: Ack,
        body: dict,
        client: WebClient,
        context: BoltContext,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        """A shortcut only recruiters may use: anyone else gets "That's for recruiters only."
        and nothing else — as an ephemeral where the shortcut was used on a message, as a small
        modal for a global shortcut (it has no channel to answer in)."""
        if self._roles(body, context).recruiter:
            return next()
        url = body.get("response_url")
        if not url:
            client.views_open(trigger_id=body["trigger_id"], view=recruiting_views.recruiters_only_modal())
            return ack()
        response = ack()
        respond = Respond(response_url=url)
        self.services.replies.send(
            _user_of(body) or "", lambda: respond(response_type="ephemeral", text=_(RECRUITERS_ONLY))
        )
        return response

    def admins_click(
        self, ack: Ack, body: dict, respond: Respond, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A button only admins may press: anyone else is told so and nothing else."""
        if self._roles(body, context).admin:
            return next()
        response = ack()
        respond(replace_original=True, **admin_copy.admins_only().as_kwargs())
        return response

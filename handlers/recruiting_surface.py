"""Recruiting without typed ids: the App Home buttons and per-role menu, the two shortcuts, the
invite modal, matches with *Invite* buttons and the pipeline's stage selects. Every listener
reaches the same use cases, with the same wording, as the `/nudge` command it stands for.

Modals open with the request's `trigger_id` before the listener returns (Bolt answers Slack
only then, well inside the trigger's 3 seconds); a modal that moves on to its next step is
replaced with `views.update` (or the submission's `response_action`). Only recruiters get here:
the middleware turns everyone else away with "That's for recruiters only."
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.copy import recruiter as replies
from bot.copy import recruiting_views as copy
from bot.copy import views
from bot.copy.i18n import _, say
from bot.copy.recruiting_ids import RecruitingAction, RecruitingBlock, RecruitingCallback, RoleMenu, Shortcut
from bot.rules.recruiter_input import parse_role_ref, parse_user_ref
from bot.rules.recruiter_text import check_recruiter_text
from bot.rules.recruiting import parse_stage
from bot.usecases.roles import RolesWhenAsked
from handlers.middleware import RoleChecks
from handlers.recruiter_commands import invite_reply, set_stage
from handlers.services import Services
from handlers.shared import id_in, reply_in_place


def _pair(value: str | None) -> tuple[str, int | None]:
    """`matches:7` → ("matches", 7)."""
    kind, _, rest = (value or "").partition(":")
    return kind, parse_role_ref(rest) if rest else None


class RecruitingSurface:
    def __init__(self, services: Services, checks: RoleChecks) -> None:
        self.services = services
        self.checks = checks

    def register(self, app: App) -> None:
        clicks, forms = [self.checks.recruiters_click], [self.checks.recruiters_form]
        app.shortcut(Shortcut.INVITE_AUTHOR, middleware=[self.checks.recruiters_shortcut])(self.on_invite_author)
        app.shortcut(Shortcut.NEW_ROLE, middleware=[self.checks.recruiters_shortcut])(self.on_new_role)
        app.action(RecruitingAction.NEW_ROLE, middleware=clicks)(self.on_new_role_from_home)
        app.action(RecruitingAction.INVITE, middleware=clicks)(self.on_invite)
        app.action(RecruitingAction.FIND_MATCHES, middleware=clicks)(self.on_find_matches)
        app.action(RecruitingAction.ROLE_MENU, middleware=clicks)(self.on_role_menu)
        app.action(RecruitingAction.INVITE_PERSON, middleware=clicks)(self.on_invite_person)
        app.action(RecruitingAction.STAGE, middleware=clicks)(self.on_stage_chosen)
        app.options(RecruitingAction.ROLE_CHOICE, middleware=[self.checks.know_roles])(self.on_role_suggestions)
        app.view(RecruitingCallback.INVITE, middleware=forms)(self.on_invite_submitted)
        app.view(RecruitingCallback.PICK_ROLE, middleware=forms)(self.on_role_picked)
        app.view(RecruitingCallback.CLOSE_ROLE, middleware=forms)(self.on_close_confirmed)

    # --- opening modals ---------------------------------------------------------------------------

    def _open(self, ack: Ack, body: dict, client: WebClient, view: View) -> None:
        client.views_open(trigger_id=body["trigger_id"], view=view)  # within the trigger's 3 s
        ack()

    def on_new_role(self, ack: Ack, body: dict, client: WebClient) -> None:
        self._open(ack, body, client, views.role_modal())

    def on_new_role_from_home(self, ack: Ack, body: dict, client: WebClient) -> None:
        self._open(ack, body, client, views.role_modal(from_home=True))

    def on_invite(self, ack: Ack, body: dict, client: WebClient) -> None:
        self._open(ack, body, client, copy.invite_modal(self.services.recruiting.roles_to_choose()))

    def on_find_matches(self, ack: Ack, body: dict, client: WebClient) -> None:
        self._open(ack, body, client, copy.pick_role_modal(self.services.recruiting.roles_to_choose()))

    def on_invite_author(self, ack: Ack, body: dict, client: WebClient) -> None:
        """*Invite to a conversation* on a message: the invite modal with its author chosen (a
        bot's message has no person to choose)."""
        author = parse_user_ref(str((body.get("message") or {}).get("user") or ""))
        people = (author,) if author else ()
        self._open(ack, body, client, copy.invite_modal(self.services.recruiting.roles_to_choose(), people=people))

    def on_invite_person(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        """*Invite* beside a match: the invite modal with that person and role chosen; inside
        the matches modal it replaces that view (the next step), from a message it opens."""
        role_text, _, user_text = (action.get("value") or "").partition(":")
        roles = self.services.recruiting.roles_to_choose()
        role = next((r for r in roles if r.id == parse_role_ref(role_text)), None)
        person = parse_user_ref(user_text)
        view = copy.invite_modal(roles, role=role, people=(person,) if person else ())
        if (body.get("container") or {}).get("type") == "view" and body.get("view"):
            client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)
            ack()
            return
        self._open(ack, body, client, view)

    def on_role_menu(self, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        choice, role_id = _pair((action.get("selected_option") or {}).get("value"))
        role = self.services.recruiting.open_role(role_id) if role_id is not None else None
        if role is None:
            text = replies.no_open_role(role_id or 0, command=self.services.command).text
            self._open(ack, body, client, copy.role_closed_view(text))
        elif choice == RoleMenu.MATCHES:
            self._open(ack, body, client, copy.matches_view(*self.services.reports.match(role.id)))
        elif choice == RoleMenu.PIPELINE:
            self._open(ack, body, client, copy.pipeline_view(*self.services.reports.pipeline_people(role.id)))
        else:
            self._open(ack, body, client, copy.close_role_modal(role))

    def on_role_suggestions(self, ack: Ack, payload: dict, roles: RolesWhenAsked) -> None:
        """The external role select (past 100 open roles): the roles matching what was typed."""
        if not roles.recruiter:
            ack(options=[])
            return
        found = copy.role_suggestions(self.services.recruiting.roles_to_choose(), str(payload.get("value") or ""))
        ack(options=[option.to_dict() for option in found])

    # --- submissions --------------------------------------------------------------------------------

    def on_invite_submitted(self, ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        """Each person gets the same checks as `/nudge invite`; the recruiter gets one message
        with every outcome. A pressure word in the note is a field error, and nothing is sent."""
        form = copy.read_invite_form(view["state"]["values"])
        errors = self._invite_form_errors(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        recruiter_id, role_id = body["user"]["id"], form.role_id or 0
        outcomes, steps = [], []
        for person in form.people:
            result = self.services.recruiting.invite(
                recruiter_id=recruiter_id, candidate_id=person, role_id=role_id, note=form.note or None
            )
            steps.append(result.step_id)
            reply = invite_reply(self.services, result, person, role_id)
            outcomes.append((person, reply, result.opt_in_request_possible and result.refusal is not None))
        ack(response_action="update", view=copy.invitations_sent_view(len(outcomes)))
        self.services.outbox.kick([s for s in steps if s is not None])
        self.services.home.refresh_soon(recruiter_id)  # the pipeline counts changed
        message = copy.invite_outcomes(outcomes)
        self.services.replies.send(
            recruiter_id, lambda: client.chat_postMessage(channel=recruiter_id, **message.as_kwargs())
        )

    @staticmethod
    def _invite_form_errors(form: copy.InviteForm) -> dict[str, str]:
        errors = {}
        if form.role_id is None:
            errors[RecruitingBlock.ROLE.value] = _(copy.NO_ROLE_CHOSEN)
        if not form.people:
            errors[RecruitingBlock.PEOPLE.value] = _(copy.NO_ONE_CHOSEN)
        elif len(form.people) > copy.MAX_PEOPLE:
            errors[RecruitingBlock.PEOPLE.value] = copy.people_limit()
        problem = check_recruiter_text("note", form.note) if form.note else None
        if problem:
            errors[RecruitingBlock.NOTE.value] = say(problem)
        return errors

    def on_role_picked(self, ack: Ack, view: dict) -> None:
        form = copy.read_invite_form(view["state"]["values"])
        role, found = self.services.reports.match(form.role_id) if form.role_id is not None else (None, [])
        if role is None:
            ack(response_action="errors", errors={RecruitingBlock.ROLE.value: _(copy.NO_ROLE_CHOSEN)})
            return
        ack(response_action="update", view=copy.matches_view(role, found))

    def on_close_confirmed(self, ack: Ack, body: dict, view: dict) -> None:
        role_id = id_in(view.get("private_metadata")) or 0
        closed = self.services.recruiting.close_role(role_id, by=body["user"]["id"])
        if closed.role is None:
            text = replies.no_open_role(role_id, command=self.services.command).text
        else:
            text = replies.role_closed(closed.role, closed.cancelled).text
        ack(response_action="update", view=copy.role_closed_view(text))
        self.services.outbox.kick(list(closed.steps))
        self.services.home.refresh_soon(body["user"]["id"], first=True)  # they closed it from there

    # --- the stage select ----------------------------------------------------------------------------

    def on_stage_chosen(self, ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        """What `/nudge stage` does, then the pipeline again with the outcome on top, in place."""
        ack()
        role_text, _, rest = ((action.get("selected_option") or {}).get("value") or "").partition(":")
        user_text, _, stage_text = rest.partition(":")
        role_id, candidate, wanted = parse_role_ref(role_text), parse_user_ref(user_text), parse_stage(stage_text)
        if role_id is None or candidate is None or wanted is None:
            return
        outcome, steps = set_stage(self.services, candidate, role_id, wanted)
        self.services.outbox.kick([s for s in steps if s is not None])
        self.services.home.refresh_soon(body["user"]["id"])
        role, counts, accepted = self.services.reports.pipeline_people(role_id)
        if role is None:
            return
        if (body.get("container") or {}).get("type") == "view" and body.get("view"):
            view = copy.pipeline_view(role, counts, accepted, outcome=outcome.text)
            view_id = body["view"]["id"]
            self.services.replies.send(body["user"]["id"], lambda: client.views_update(view_id=view_id, view=view))
            return
        reply_in_place(
            self.services, body, respond, copy.pipeline_message(role, counts, accepted, outcome=outcome.text)
        )

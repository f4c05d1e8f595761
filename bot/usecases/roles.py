"""Who is a recruiter or an admin: the one place that decides, for the handlers' middleware,
App Home, the help a DM gets and the sender.

Recruiters are the ids in `NUDGE_RECRUITERS`, admins (`NUDGE_ADMINS`, always recruiters too) and
those an admin added by command; admins come from the environment only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.rules.steps import Kind
from bot.settings import Settings
from bot.usecases.context import AppContext
from storage import roles, steps


@dataclass(frozen=True)
class PersonRoles:
    recruiter: bool
    admin: bool


NOBODY = PersonRoles(recruiter=False, admin=False)


def roles_in(session, settings: Settings, user_id: str) -> PersonRoles:
    """Inside a caller's transaction: the environment first, then one query for added recruiters."""
    admin = user_id in settings.admins
    if user_id in settings.all_recruiters:
        return PersonRoles(recruiter=True, admin=admin)
    return PersonRoles(recruiter=roles.is_added_recruiter(session, user_id=user_id), admin=admin)


def roles_of(ctx: AppContext, user_id: str) -> PersonRoles:
    if user_id in ctx.settings.all_recruiters:
        return PersonRoles(recruiter=True, admin=user_id in ctx.settings.admins)
    with ctx.sessions() as session:
        return roles_in(session, ctx.settings, user_id)


class RolesWhenAsked:
    """A person's roles, read the first time an answer depends on them (and never from the
    database for the environment's ids): a request that needs no role reads nothing, so it is
    answered even while the database is away."""

    def __init__(self, ctx: AppContext, user_id: str | None) -> None:
        self._ctx = ctx
        self._user_id = user_id
        self._known: PersonRoles | None = None

    def _roles(self) -> PersonRoles:
        if self._known is None:
            self._known = roles_of(self._ctx, self._user_id) if self._user_id else NOBODY
        return self._known

    @property
    def recruiter(self) -> bool:
        return self._roles().recruiter

    @property
    def admin(self) -> bool:
        return self._roles().admin


def hand_yes_to_admins(session, settings: Settings, *, invitation_id: int, now: datetime) -> None:
    """A "Happy to chat" whose recruiter is no longer one (removed before or after the yes) goes
    to every admin, one step each, so no yes goes unheard."""
    for admin in sorted(settings.admins):
        steps.enqueue_step_once(
            session, invitation_id=invitation_id, kind=Kind.ADMIN_ACCEPTED, slack_user_id=admin, now=now, not_before=now
        )

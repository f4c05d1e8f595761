"""The team's own settings: the team-wide sending switch, who recruits (admins add and remove
recruiters), and each recruiter's booking link."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.rules.steps import Kind
from bot.usecases.context import AppContext
from bot.usecases.roles import hand_yes_to_admins
from storage import invitations, roles, steps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamSwitchState:
    paused: bool
    actor: str | None
    at: datetime | None
    changed: bool


class Team:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def switch(self) -> TeamSwitchState:
        with self.ctx.sessions() as session:
            event = roles.team_switch(session)
        if event is None:
            return TeamSwitchState(False, None, None, False)
        return TeamSwitchState(event.paused, event.actor, event.at, False)

    def set_paused(self, *, paused: bool, actor: str) -> TeamSwitchState:
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            current = roles.team_switch(session)
            if current is not None and current.paused == paused:
                return TeamSwitchState(current.paused, current.actor, current.at, False)
            if current is None and not paused:
                return TeamSwitchState(False, None, None, False)
            roles.set_team_switch(session, paused=paused, actor=actor, now=now)
        log.warning(
            "team sending %s by %s",
            "paused" if paused else "resumed",
            actor,
            extra={"action": "team.paused" if paused else "team.resumed"},
        )
        return TeamSwitchState(paused, actor, now, True)

    def add_recruiter(self, *, user_id: str, by: str) -> bool:
        with self.ctx.sessions() as session, session.begin():
            return roles.add_recruiter(session, user_id=user_id, added_by=by, now=self.ctx.clock())

    def remove_recruiter(self, *, user_id: str) -> bool:
        """An admin removes a recruiter: in the same transaction their queued invitations are
        cancelled (never sent; the candidates are told nothing) with their reminders, so nothing
        goes out in the name of someone who is no longer a recruiter. A "Happy to chat" they were
        about to hear of goes to each admin instead, so no yes is lost with them."""
        now = self.ctx.clock()
        cancelled = 0
        with self.ctx.sessions() as session, session.begin():
            removed = roles.remove_recruiter(session, user_id=user_id)
            if removed:
                unheard = steps.pending_invitation_ids(session, slack_user_id=user_id, kind=Kind.RECRUITER_ACCEPTED)
                cancelled = invitations.cancel_for_removed_recruiter(session, recruiter_id=user_id, now=now)
                for invitation_id in unheard:
                    hand_yes_to_admins(session, self.ctx.settings, invitation_id=invitation_id, now=now)
        if removed:
            log.info(
                "recruiter removed; %d queued invitation(s) cancelled", cancelled, extra={"action": "recruiter.removed"}
            )
        return removed

    def set_booking_link(self, *, user_id: str, url: str) -> None:
        with self.ctx.sessions() as session, session.begin():
            roles.set_booking_link(session, user_id=user_id, url=url)

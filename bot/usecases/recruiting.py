"""Recruiter use cases that change things: roles, invitations with honest eligibility, the
one-time opt-in request, and stages. One transaction each; replies are rendered by handlers.

Recruiters never learn what a candidate keeps private: the never-list changes nothing they can
see (see `invite` and `bot.rules.eligibility`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from bot.rules.consent import ConsentStatus, OptInRequest
from bot.rules.eligibility import InviteFacts, Refusal, RefusalReason, invite_refusal
from bot.rules.pipeline import count_stages, pipeline_stage
from bot.rules.recruiter_input import RoleDraft
from bot.rules.recruiting import allowed_next_stages
from bot.rules.statuses import Answer, CancelReason, InvitationStatus, RoleStatus, Stage
from bot.rules.steps import CHECKIN_FOR_STAGE, ENDED_BY_STEP_BACK, Kind
from bot.usecases import ledger, webhooks
from bot.usecases.context import AppContext
from storage import candidates, invitations, markers, roles, steps, suppression
from storage.models import Candidate, Invitation, Role

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RoleLine:
    role: Role
    stages: list[tuple[str, int]]


@dataclass(frozen=True)
class ClosedRole:
    role: Role | None  # None: there was no open role with that id
    cancelled: int = 0  # queued invitations cancelled
    steps: list[int] = field(default_factory=list)  # stay-in-touch DMs queued


@dataclass(frozen=True)
class InviteResult:
    role: Role | None
    invitation: Invitation | None = None
    refusal: Refusal | None = None
    opt_in_request_possible: bool = False
    team_paused: bool = False
    step_id: int | None = None


@dataclass(frozen=True)
class OptInRequestResult:
    outcome: OptInRequest
    step_id: int | None = None


class StageRefusal(StrEnum):
    NO_INVITATION = "no_invitation"
    NOT_ACCEPTED = "not_accepted"
    STEPPED_BACK = "stepped_back"
    OUT_OF_ORDER = "out_of_order"  # stages only move forward (`current` says where it is)


@dataclass(frozen=True)
class StageResult:
    invitation: Invitation | None
    refusal: StageRefusal | None = None
    current: Stage | None = None
    step_id: int | None = None


def invite_facts(settings, candidate: Candidate, live: list[Invitation], role: Role | None) -> InviteFacts:
    """The facts `invite_refusal` decides on; `live` are the candidate's queued and sent
    invitations. The never-list is not among them (see `bot.rules.eligibility`)."""
    moments = [i.sent_at or i.created_at for i in live]
    return InviteFacts(
        role_open=role is not None and role.status is RoleStatus.OPEN,
        consent=candidate.consent_status,
        erased=False,
        paused_until=candidate.paused_until,
        already_invited_to_role=role is not None and any(i.role_id == role.id for i in live),
        last_invited_at=max(moments) if moments else None,
        cadence=candidate.cadence,
        min_gap=settings.min_gap,
    )


class Recruiting:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- roles -----------------------------------------------------------------------------------

    def create_role(self, draft: RoleDraft, *, by: str, answer: Callable[[Role], T]) -> T:
        """Store the role and return `answer(role)`, the reply, built *before* the commit: if the
        reply cannot be built, nothing is stored. Committing first and then failing to answer
        would make the recruiter try again and create the role twice."""
        with self.ctx.sessions() as session, session.begin():
            role = roles.create_role(session, draft=draft, created_by=by, now=self.ctx.clock())
            reply = answer(role)
        log.info("role #%s created", role.id, extra={"action": "role.created", "role_id": role.id})
        return reply

    def open_roles(self) -> list[RoleLine]:
        with self.ctx.sessions() as session:
            open_ones = roles.open_roles(session)
            rows = invitations.pipeline_rows(session)
        by_role: dict[int, list[str | None]] = {}
        for role_id, status, answer, stage, details in rows:
            by_role.setdefault(role_id, []).append(pipeline_stage(status, answer, stage, details))
        return [RoleLine(role, count_stages(by_role.get(role.id, []))) for role in open_ones]

    def roles_to_choose(self) -> list[Role]:
        """The open roles, oldest first, for a role select (no pipeline counts needed)."""
        with self.ctx.sessions() as session:
            return roles.open_roles(session)

    def open_role(self, role_id: int) -> Role | None:
        with self.ctx.sessions() as session:
            return roles.get_open_role(session, role_id=role_id)

    def role_is_open(self, role_id: int) -> bool:
        with self.ctx.sessions() as session:
            return roles.get_open_role(session, role_id=role_id) is not None

    def close_role(self, role_id: int, *, by: str) -> ClosedRole:
        """Close a role: queued invitations are cancelled, and everyone still in its process
        (accepted, not stepped back) moves to closed and gets the one stay-in-touch DM."""
        now = self.ctx.clock()
        queued: list[int] = []
        with self.ctx.sessions() as session, session.begin():
            role = roles.get_open_role(session, role_id=role_id)
            if role is None:
                return ClosedRole(None)
            cancelled = roles.close_role(session, role=role, closed_by=by, now=now)
            for invitation in invitations.in_progress_for_role(session, role_id=role_id):
                invitation.stage, invitation.stage_changed_at = Stage.CLOSED, now
                session.add(invitation)
                webhooks.stage_changed(session, invitation, Stage.CLOSED, now=now)
                steps.cancel_steps(
                    session,
                    now=now,
                    reason=CancelReason.ROLE_CLOSED,
                    invitation_id=invitation.id,
                    kinds=ENDED_BY_STEP_BACK,
                )
                step = steps.enqueue_step_once(
                    session,
                    invitation_id=invitation.id,
                    kind=Kind.STAY_IN_TOUCH,
                    slack_user_id=invitation.candidate_id,
                    now=now,
                    not_before=now,
                )
                if step is not None:
                    queued.append(step)
        log.info(
            "role #%s closed", role_id, extra={"action": "role.closed", "role_id": role_id, "cancelled": cancelled}
        )
        return ClosedRole(role, cancelled, queued)

    # --- invitations -------------------------------------------------------------------------------

    def invite(self, *, recruiter_id: str, candidate_id: str, role_id: int, note: str | None) -> InviteResult:
        """Queue an invitation, or say exactly why not (the first reason in the spec's order).

        A role at a company on the candidate's never-list is queued like any other, and goes
        through the states of one delivered and left unanswered without reaching them
        (`steps.withheld`), so no answer here or later can reveal the list.
        """
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            role = roles.get_role(session, role_id=role_id)
            erased = InviteResult(role=role, refusal=Refusal(RefusalReason.OPTED_OUT))  # nothing can be done
            if role is not None and role.status is RoleStatus.OPEN and self._suppressed(session, candidate_id):
                return erased  # and no row is created for them
            candidate = ledger.lock_candidate(session, self.ctx, candidate_id, now)
            if candidate is None:
                return erased
            live = invitations.live_invitations(session, candidate_id=candidate_id)
            refusal = invite_refusal(invite_facts(self.ctx.settings, candidate, live, role), now)
            switch = roles.team_switch(session)
            if refusal is not None:
                return self._refused(session, candidate, role, refusal, now)
            invitation = invitations.create_invitation(
                session, role_id=role_id, candidate_id=candidate_id, recruiter_id=recruiter_id, note=note, now=now
            )
            step = steps.enqueue_step_once(
                session,
                invitation_id=invitation.id,
                kind=Kind.INVITATION,
                slack_user_id=candidate_id,
                now=now,
                not_before=now,
            )
        log.info(
            "invitation queued", extra={"action": "invite.queued", "invitation_id": invitation.id, "role_id": role_id}
        )
        return InviteResult(role=role, invitation=invitation, team_paused=bool(switch and switch.paused), step_id=step)

    def _suppressed(self, session, user_id: str) -> bool:
        return suppression.is_suppressed(session, subject_hash=self.ctx.hash_of(user_id))

    def _refused(self, session, candidate: Candidate, role: Role | None, refusal: Refusal, now) -> InviteResult:
        possible = refusal.reason is RefusalReason.NOT_OPTED_IN and not markers.one_time_message_sent(
            session, kind=Kind.OPT_IN_REQUEST, subject_hash=self.ctx.hash_of(candidate.slack_user_id)
        )
        if candidate.consent_status is ConsentStatus.NOT_JOINED and candidate.created_at == now:
            # Asking about someone must not store them: drop the row lock_candidate made.
            session.delete(candidate)
        log.info("invite refused: %s", refusal.reason, extra={"action": "invite.refused", "reason": refusal.reason})
        return InviteResult(role=role, refusal=refusal, opt_in_request_possible=possible)

    def request_opt_in(self, *, candidate_id: str) -> OptInRequestResult:
        """Queue the one-time opt-in request, or say why not."""
        now = self.ctx.clock()
        person = self.ctx.hash_of(candidate_id)
        with self.ctx.sessions() as session, session.begin():
            status = candidates.consent_status(session, slack_user_id=candidate_id)
            if suppression.is_suppressed(session, subject_hash=person) or status is ConsentStatus.OPTED_OUT:
                return OptInRequestResult(OptInRequest.OPTED_OUT)
            if status is ConsentStatus.OPTED_IN:
                return OptInRequestResult(OptInRequest.ALREADY_JOINED)
            if not markers.claim_one_time_message(session, kind=Kind.OPT_IN_REQUEST, subject_hash=person, now=now):
                return OptInRequestResult(OptInRequest.ALREADY_REQUESTED)
            message_id = steps.enqueue_message(
                session, slack_user_id=candidate_id, channel_id=None, kind=Kind.OPT_IN_REQUEST, now=now
            )
        log.info("opt-in request queued", extra={"action": "optin_request.queued", "message_id": message_id})
        return OptInRequestResult(OptInRequest.SENT, message_id)

    def set_stage(self, *, candidate_id: str, role_id: int, stage: Stage) -> StageResult:
        """Move an accepted invitation on, queueing that stage's one check-in."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidates.lock_existing_candidate(session, slack_user_id=candidate_id)  # the lock order: person first
            invitation = invitations.find_invitation(session, candidate_id=candidate_id, role_id=role_id)
            if invitation is None or invitation.status is InvitationStatus.CANCELLED:
                return StageResult(None, StageRefusal.NO_INVITATION)
            if invitation.answer is not Answer.ACCEPTED:
                return StageResult(invitation, StageRefusal.NOT_ACCEPTED)
            if invitation.stage is Stage.STEPPED_BACK:
                return StageResult(invitation, StageRefusal.STEPPED_BACK)
            current = invitation.stage or Stage.ACCEPTED
            if stage not in allowed_next_stages(current):
                return StageResult(invitation, StageRefusal.OUT_OF_ORDER, current)
            invitation.stage, invitation.stage_changed_at = stage, now
            session.add(invitation)
            webhooks.stage_changed(session, invitation, stage, now=now)
            checkin = CHECKIN_FOR_STAGE.get(stage)
            step = None
            if checkin is not None:
                step = steps.enqueue_step_once(
                    session,
                    invitation_id=invitation.id,
                    kind=checkin,
                    slack_user_id=candidate_id,
                    now=now,
                    not_before=now,
                )
        log.info("stage %s", stage, extra={"action": "invitation.stage", "invitation_id": invitation.id})
        return StageResult(invitation, step_id=step)

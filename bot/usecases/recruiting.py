"""Recruiter use cases: roles, invitations with honest eligibility, matching, pipeline, stats,
team controls and recruiter management. One transaction each; replies are rendered by handlers.

Recruiters never learn what a candidate keeps private: the never-list changes nothing they can
see (see `match` and `bot.rules.eligibility`), and preferences other than cadence and interests
are not reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import (
    Cadence,
    InviteFacts,
    Refusal,
    RefusalReason,
    invite_refusal,
)
from bot.rules.pipeline import count_stages, pipeline_stage
from bot.rules.recruiting import (
    Funnel,
    Match,
    MatchCandidate,
    RoleDraft,
    Stage,
    funnel,
    rank_matches,
    stage_change_error,
)
from bot.rules.recruiting import STEPPED_BACK
from bot.rules.steps import CHECKIN_FOR_STAGE, ENDED_BY_STEP_BACK, Kind
from bot.usecases.candidates import OPT_IN_REQUEST, Candidates
from storage import queries
from storage import recruiting as store
from storage import sharing as sharing_store
from storage.models import ConsentEvent, Invitation, Role

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RoleLine:
    role: Role
    stages: list[tuple[str, int]]


@dataclass(frozen=True)
class InviteResult:
    role: Role | None
    invitation: Invitation | None = None
    refusal: Refusal | None = None
    opt_in_request_possible: bool = False
    team_paused: bool = False
    step_id: int | None = None


@dataclass(frozen=True)
class CandidateReport:
    user_id: str
    status: ConsentStatus
    paused_until: datetime | None
    cadence: Cadence
    interests: tuple[str, ...]
    invitations: list[tuple[Invitation, Role, str | None]]
    unreachable: str | None = None
    shared_roles: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TeamSwitchState:
    paused: bool
    actor: str | None
    at: datetime | None
    changed: bool


@dataclass
class Recruiting:
    candidates: Candidates

    @property
    def clock(self):
        return self.candidates.clock

    def sessions(self):
        return self.candidates.sessions()

    # --- roles -----------------------------------------------------------------------------------

    def create_role(self, draft: RoleDraft, *, by: str, answer: Callable[[Role], T]) -> T:
        """Store the role and return `answer(role)`, the reply, built *before* the commit: if the
        reply cannot be built, nothing is stored. Committing first and then failing to answer
        would make the recruiter try again and create the role twice."""
        with self.sessions() as session, session.begin():
            role = store.create_role(session, draft=draft, created_by=by, now=self.clock())
            reply = answer(role)
        log.info("role #%s created", role.id, extra={"action": "role.created", "role_id": role.id})
        return reply

    def open_roles(self) -> list[RoleLine]:
        with self.sessions() as session:
            roles = store.open_roles(session)
            rows = store.pipeline_rows(session)
        by_role: dict[int, list[str | None]] = {}
        for role_id, status, answer, stage, details in rows:
            by_role.setdefault(role_id, []).append(pipeline_stage(status, answer, stage, details))
        return [RoleLine(role, count_stages(by_role.get(role.id, []))) for role in roles]

    def role_is_open(self, role_id: int) -> bool:
        with self.sessions() as session:
            return store.get_open_role(session, role_id=role_id) is not None

    def close_role(self, role_id: int, *, by: str) -> tuple[Role | None, int]:
        role, cancelled, _ = self.close_role_with_steps(role_id, by=by)
        return role, cancelled

    def close_role_with_steps(self, role_id: int, *, by: str) -> tuple[Role | None, int, list[int]]:
        """Close a role: queued invitations are cancelled, and everyone still in its process
        (accepted, not stepped back) moves to closed and gets the one stay-in-touch DM."""
        now = self.clock()
        steps: list[int] = []
        with self.sessions() as session, session.begin():
            role = store.get_open_role(session, role_id=role_id)
            if role is None:
                return None, 0, []
            cancelled = store.close_role(session, role=role, closed_by=by, now=now)
            for invitation in sharing_store.in_progress_for_role(session, role_id=role_id):
                invitation.stage, invitation.stage_changed_at = Stage.CLOSED.value, now
                session.add(invitation)
                queries.cancel_steps(
                    session, now=now, reason="role_closed", invitation_id=invitation.id, kinds=ENDED_BY_STEP_BACK
                )
                step = queries.enqueue_step_once(
                    session,
                    invitation_id=invitation.id,
                    kind=Kind.STAY_IN_TOUCH,
                    slack_user_id=invitation.candidate_id,
                    now=now,
                    not_before=now,
                )
                if step is not None:
                    steps.append(step)
        log.info(
            "role #%s closed", role_id, extra={"action": "role.closed", "role_id": role_id, "cancelled": cancelled}
        )
        return role, cancelled, steps

    # --- invitations -------------------------------------------------------------------------------

    def _facts(self, candidate, live: list[Invitation], role: Role | None) -> InviteFacts:
        """The facts `invite_refusal` decides on; `live` are the candidate's queued and sent
        invitations. The never-list is not among them (see `bot.rules.eligibility`)."""
        moments = [i.sent_at or i.created_at for i in live]
        return InviteFacts(
            role_open=role is not None and role.status == store.OPEN,
            consent=ConsentStatus(candidate.consent_status),
            erased=False,
            paused_until=candidate.paused_until,
            already_invited_to_role=role is not None and any(i.role_id == role.id for i in live),
            last_invited_at=max(moments) if moments else None,
            cadence=Cadence(candidate.cadence),
            min_gap=self.candidates.settings.min_gap,
        )

    def invite(self, *, recruiter_id: str, candidate_id: str, role_id: int, note: str | None) -> InviteResult:
        """Queue an invitation, or say exactly why not (the first reason in the spec's order).

        A role at a company on the candidate's never-list is queued like any other: the send-time
        gate ends it without a word, so no answer here can reveal the list (steps.SILENT_CANCELS).
        """
        now = self.clock()
        with self.sessions() as session, session.begin():
            role = store.get_role(session, role_id=role_id)
            if (
                role is not None
                and role.status == store.OPEN
                and queries.is_suppressed(session, subject_hash=self.candidates.hash_of(candidate_id))
            ):
                # Erased: nothing can be done, and no row is created for them.
                return InviteResult(role=role, refusal=Refusal(RefusalReason.OPTED_OUT))
            candidate = self.candidates.lock_candidate(session, candidate_id, now)
            if candidate is None:  # erased (the check above): nothing can be done
                return InviteResult(role=role, refusal=Refusal(RefusalReason.OPTED_OUT))
            live = store.live_invitations(session, candidate_id=candidate_id)
            refusal = invite_refusal(self._facts(candidate, live, role), now)
            switch = store.team_switch(session)
            if refusal is not None:
                possible = refusal.reason is RefusalReason.NOT_OPTED_IN and not queries.one_time_message_sent(
                    session, kind=OPT_IN_REQUEST, subject_hash=self.candidates.hash_of(candidate_id)
                )
                if ConsentStatus(candidate.consent_status) is ConsentStatus.NOT_JOINED and candidate.created_at == now:
                    # Asking about someone must not store them: drop the row lock_candidate made.
                    session.delete(candidate)
                log.info(
                    "invite refused: %s",
                    refusal.reason.value,
                    extra={"action": "invite.refused", "reason": refusal.reason.value},
                )
                return InviteResult(role=role, refusal=refusal, opt_in_request_possible=possible)
            invitation = store.create_invitation(
                session, role_id=role_id, candidate_id=candidate_id, recruiter_id=recruiter_id, note=note, now=now
            )
            step = queries.enqueue_step_once(
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

    def request_opt_in(self, *, recruiter_id: str, candidate_id: str) -> tuple[str, int | None]:
        """Queue the one-time opt-in request: ("sent", message id), or why not
        ("already_requested", "already_joined", "opted_out")."""
        now = self.clock()
        person = self.candidates.hash_of(candidate_id)
        with self.sessions() as session, session.begin():
            status = queries.consent_status(session, slack_user_id=candidate_id)
            if queries.is_suppressed(session, subject_hash=person):
                return "opted_out", None
            if status is ConsentStatus.OPTED_IN:
                return "already_joined", None
            if status is ConsentStatus.OPTED_OUT:
                return "opted_out", None
            if not queries.claim_one_time_message(session, kind=OPT_IN_REQUEST, subject_hash=person, now=now):
                return "already_requested", None
            message_id = queries.enqueue_message(
                session, slack_user_id=candidate_id, channel_id=None, kind=OPT_IN_REQUEST, now=now
            )
        log.info("opt-in request queued", extra={"action": "optin_request.queued", "message_id": message_id})
        return "sent", message_id

    # --- reports -----------------------------------------------------------------------------------

    def match(self, role_id: int) -> tuple[Role | None, list[Match]]:
        """Opted-in candidates whom `invite` would accept for this role now, by shared interests.

        Exactly the people `invite` queues, by the same rule, so a recruiter never sees someone
        listed and then refused. That includes candidates with the role's company on their
        never-list: leaving them out would show the list to anyone comparing `match` with
        `status` (opted in, not paused, not invited lately, yet missing). Inviting them is queued
        as usual and never reaches them (`steps.SILENT_CANCELS`).

        Two statements whatever the number of candidates: the role, then everyone opted in with
        their live invitations.
        """
        now = self.clock()
        with self.sessions() as session:
            role = store.get_open_role(session, role_id=role_id)
            if role is None:
                return None, []
            eligible = [
                MatchCandidate(candidate.slack_user_id, tuple(candidate.interests or ()))
                for candidate, live in store.opted_in_with_live_invitations(session)
                if invite_refusal(self._facts(candidate, live, role), now) is None
            ]
        return role, rank_matches(tuple(role.tags or ()), eligible)

    def pipeline(self, role_id: int | None) -> tuple[Role | None, list[tuple[str, int]]]:
        with self.sessions() as session:
            role = store.get_role(session, role_id=role_id) if role_id is not None else None
            rows = store.pipeline_rows(session, role_id=role_id)
        return role, count_stages(
            pipeline_stage(status, answer, stage, details) for _, status, answer, stage, details in rows
        )

    def candidate_report(self, candidate_id: str) -> CandidateReport:
        with self.sessions() as session:
            candidate = queries.get_candidate(session, slack_user_id=candidate_id)
            invitations = store.invitations_of(session, candidate_id=candidate_id)
            history = queries.consent_history(session, subject=candidate_id)
        labelled = [(i, r, pipeline_stage(i.status, i.answer, i.stage, i.details_asked_at)) for i, r in invitations]
        shares: dict[int, bool] = {}
        for event in history:  # the latest answer per role counts
            if event.scope.startswith("share:role:"):
                shares[int(event.scope.rsplit(":", 1)[1])] = event.action == "granted"
        shared = frozenset(role_id for role_id, yes in shares.items() if yes)
        if candidate is None:
            return CandidateReport(candidate_id, ConsentStatus.NOT_JOINED, None, Cadence.QUARTERLY, (), labelled)
        paused = candidate.paused_until if candidate.paused_until and candidate.paused_until > self.clock() else None
        return CandidateReport(
            candidate_id,
            ConsentStatus(candidate.consent_status),
            paused,
            Cadence(candidate.cadence),
            tuple(candidate.interests or ()),
            labelled,
            unreachable=candidate.unreachable_reason if candidate.unreachable_at else None,
            shared_roles=shared,
        )

    def set_stage(
        self, *, candidate_id: str, role_id: int, stage: Stage
    ) -> tuple[Invitation | None, str | None, int | None]:
        """Move an accepted invitation on, queueing that stage's one check-in; returns
        (invitation, problem, check-in step id)."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            invitation = store.find_invitation(session, candidate_id=candidate_id, role_id=role_id)
            if invitation is None or invitation.status == store.CANCELLED:
                return None, "no_invitation", None
            if invitation.answer != "accepted":
                return invitation, "not_accepted", None
            if invitation.stage == STEPPED_BACK:
                return invitation, "stepped_back", None
            problem = stage_change_error(Stage(invitation.stage or Stage.ACCEPTED.value), stage)
            if problem:
                return invitation, problem, None
            invitation.stage = stage.value
            invitation.stage_changed_at = now
            session.add(invitation)
            checkin = CHECKIN_FOR_STAGE.get(stage.value)
            step = None
            if checkin is not None:
                step = queries.enqueue_step_once(
                    session,
                    invitation_id=invitation.id,
                    kind=checkin,
                    slack_user_id=candidate_id,
                    now=now,
                    not_before=now,
                )
        log.info("stage %s", stage.value, extra={"action": "invitation.stage", "invitation_id": invitation.id})
        return invitation, None, step

    def stats(self, period: timedelta) -> Funnel:
        since = self.clock() - period
        with self.sessions() as session:
            outcomes = store.outcomes_since(session, since=since)
            opted_out = store.opt_outs_since(session, since=since)
        return funnel(outcomes, opted_out_in_period=opted_out)

    def audit(self, candidate_id: str) -> list[ConsentEvent]:
        with self.sessions() as session:
            return queries.consent_history(session, subject=candidate_id)

    def disclosures(self, candidate_id: str):
        """Every profile given out for this candidate (for `audit`)."""
        with self.sessions() as session:
            return sharing_store.disclosures_of(session, candidate_id=candidate_id)

    def recent_answers(self, limit: int = 5) -> list[tuple[Invitation, Role]]:
        with self.sessions() as session:
            return store.recent_answers(session, limit=limit)

    # --- team and recruiters -----------------------------------------------------------------------

    def team_state(self) -> TeamSwitchState:
        with self.sessions() as session:
            event = store.team_switch(session)
        if event is None:
            return TeamSwitchState(False, None, None, False)
        return TeamSwitchState(event.paused, event.actor, event.at, False)

    def set_team_paused(self, *, paused: bool, actor: str) -> TeamSwitchState:
        now = self.clock()
        with self.sessions() as session, session.begin():
            current = store.team_switch(session)
            if current is not None and current.paused == paused:
                return TeamSwitchState(current.paused, current.actor, current.at, False)
            if current is None and not paused:
                return TeamSwitchState(False, None, None, False)
            store.set_team_switch(session, paused=paused, actor=actor, now=now)
        log.warning(
            "team sending %s by %s",
            "paused" if paused else "resumed",
            actor,
            extra={"action": "team.paused" if paused else "team.resumed"},
        )
        return TeamSwitchState(paused, actor, now, True)

    def add_recruiter(self, *, user_id: str, by: str) -> bool:
        with self.sessions() as session, session.begin():
            return store.add_recruiter(session, user_id=user_id, added_by=by, now=self.clock())

    def remove_recruiter(self, *, user_id: str) -> bool:
        """An admin removes a recruiter: in the same transaction their queued invitations are
        cancelled (never sent; the candidates are told nothing) with their reminders, so nothing
        goes out in the name of someone who is no longer a recruiter."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            removed = store.remove_recruiter(session, user_id=user_id)
            if removed:
                cancelled = store.cancel_for_removed_recruiter(session, recruiter_id=user_id, now=now)
        if removed:
            log.info(
                "recruiter removed; %d queued invitation(s) cancelled", cancelled, extra={"action": "recruiter.removed"}
            )
        return removed

    def set_booking_link(self, *, user_id: str, url: str) -> None:
        with self.sessions() as session, session.begin():
            store.set_booking_link(session, user_id=user_id, url=url)

"""What recruiters read: matches, the pipeline, one candidate's report and audit, the funnel, and
recent answers. Read-only; the never-list and private notes never show here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.rules.consent import Action, ConsentStatus, role_of_share_scope
from bot.rules.eligibility import Cadence, invite_refusal
from bot.rules.pipeline import PipelineLabel, count_stages, pipeline_stage
from bot.rules.recruiting import Funnel, Match, MatchCandidate, funnel, rank_matches
from bot.usecases.context import AppContext
from bot.usecases.recruiting import invite_facts
from storage import candidates, invitations, ledger, roles, sharing
from storage.models import ConsentEvent, Disclosure, Invitation, Role


@dataclass(frozen=True)
class CandidateReport:
    user_id: str
    status: ConsentStatus
    paused_until: datetime | None
    cadence: Cadence
    interests: tuple[str, ...]
    invitations: list[tuple[Invitation, Role, PipelineLabel | None]]
    unreachable: str | None = None
    shared_roles: frozenset[int] = frozenset()


class Reports:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def match(self, role_id: int) -> tuple[Role | None, list[Match]]:
        """Opted-in candidates whom `invite` would accept for this role now, by shared interests.

        Exactly the people `invite` queues, by the same rule, so a recruiter never sees someone
        listed and then refused. That includes candidates with the role's company on their
        never-list: leaving them out would show the list to anyone comparing `match` with
        `status` (opted in, not paused, not invited lately, yet missing). Inviting them is queued
        as usual and never reaches them (`steps.withheld`).

        Two statements whatever the number of candidates: the role, then everyone opted in with
        their live invitations.
        """
        now = self.ctx.clock()
        with self.ctx.sessions() as session:
            role = roles.get_open_role(session, role_id=role_id)
            if role is None:
                return None, []
            eligible = [
                MatchCandidate(candidate.slack_user_id, tuple(candidate.interests or ()))
                for candidate, live in invitations.opted_in_with_live_invitations(session)
                if invite_refusal(invite_facts(self.ctx.settings, candidate, live, role), now) is None
            ]
        return role, rank_matches(tuple(role.tags or ()), eligible)

    def pipeline(self, role_id: int | None) -> tuple[Role | None, list[tuple[str, int]]]:
        with self.ctx.sessions() as session:
            role = roles.get_role(session, role_id=role_id) if role_id is not None else None
            rows = invitations.pipeline_rows(session, role_id=role_id)
        return role, count_stages(
            pipeline_stage(status, answer, stage, asked) for _, status, answer, stage, asked in rows
        )

    def pipeline_people(self, role_id: int) -> tuple[Role | None, list[tuple[str, int]], list[Invitation]]:
        """One role's counts and everyone who accepted, for the pipeline with stage selects."""
        with self.ctx.sessions() as session:
            role = roles.get_role(session, role_id=role_id)
            rows = invitations.pipeline_rows(session, role_id=role_id)
            accepted = invitations.accepted_for_role(session, role_id=role_id) if role is not None else []
        counts = count_stages(pipeline_stage(status, answer, stage, asked) for _, status, answer, stage, asked in rows)
        return role, counts, accepted

    def candidate_report(self, candidate_id: str) -> CandidateReport:
        with self.ctx.sessions() as session:
            candidate = candidates.get_candidate(session, slack_user_id=candidate_id)
            theirs = invitations.invitations_of(session, candidate_id=candidate_id)
            history = ledger.consent_history(session, subject=candidate_id)
        labelled = [(i, r, pipeline_stage(i.status, i.answer, i.stage, i.details_asked_at)) for i, r in theirs]
        shares: dict[int, bool] = {}
        for event in history:  # the latest answer per role counts
            role_id = role_of_share_scope(event.scope)
            if role_id is not None:
                shares[role_id] = event.action is Action.GRANTED
        shared = frozenset(role_id for role_id, yes in shares.items() if yes)
        if candidate is None:
            return CandidateReport(candidate_id, ConsentStatus.NOT_JOINED, None, Cadence.QUARTERLY, (), labelled)
        paused = (
            candidate.paused_until if candidate.paused_until and candidate.paused_until > self.ctx.clock() else None
        )
        return CandidateReport(
            candidate_id,
            candidate.consent_status,
            paused,
            candidate.cadence,
            tuple(candidate.interests or ()),
            labelled,
            unreachable=candidate.unreachable_reason if candidate.unreachable_at else None,
            shared_roles=shared,
        )

    def stats(self, period: timedelta) -> Funnel:
        since = self.ctx.clock() - period
        with self.ctx.sessions() as session:
            outcomes = invitations.outcomes_since(session, since=since)
            opted_out = ledger.opt_outs_since(session, since=since)
        return funnel(outcomes, opted_out_in_period=opted_out)

    def audit(self, candidate_id: str) -> list[ConsentEvent]:
        with self.ctx.sessions() as session:
            return ledger.consent_history(session, subject=candidate_id)

    def disclosures(self, candidate_id: str) -> list[Disclosure]:
        """Every profile given out for this candidate (for `audit`)."""
        with self.ctx.sessions() as session:
            return sharing.disclosures_of(session, candidate_id=candidate_id)

    def recent_answers(self, limit: int = 5) -> list[tuple[Invitation, Role]]:
        with self.ctx.sessions() as session:
            return invitations.recent_answers(session, limit=limit)

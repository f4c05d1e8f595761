"""After the first yes: per-role sharing that can change any time, profiles handed out only while
a grant stands (each one a disclosure record), stepping back, private notes, staying in touch.

Sharing state is the latest `share:role:N` ledger event of that candidate. Private notes are the
candidate's alone: no recruiter use case reads them, and their text is never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.rules.consent import Via, may_grant_share
from bot.rules.eligibility import Cadence
from bot.rules.statuses import IN_PROGRESS, Answer, CancelReason, Stage
from bot.rules.steps import ENDED_BY_STEP_BACK, Kind
from bot.usecases import ledger, webhooks
from bot.usecases.context import AppContext
from storage import candidates, invitations, roles, sharing, steps
from storage import ledger as ledger_rows
from storage.models import Disclosure, Invitation, PrivateNote, Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SharingRow:
    invitation: Invitation
    role: Role
    shared_since: datetime | None
    in_progress: bool

    def as_tuple(self):
        return (self.invitation, self.role, self.shared_since, self.in_progress)


@dataclass(frozen=True)
class SharingOverview:
    rows: list[SharingRow]
    disclosures: list[tuple[Disclosure, Role | None]]
    notes: list[PrivateNote] = field(default_factory=list)


class ProfileState(StrEnum):
    NO_ROLE = "no_role"
    REFUSED = "refused"  # no grant stands: nothing is revealed
    SHOWN = "ok"


@dataclass(frozen=True)
class ProfileResult:
    state: ProfileState
    role: Role | None = None
    interests: tuple[str, ...] = ()
    note: str | None = None


class StepBack(StrEnum):
    STEPPED_BACK = "stepped_back"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    NOT_IN_PROGRESS = "not_in_progress"


@dataclass(frozen=True)
class StepBackResult:
    state: StepBack
    role: Role | None = None
    steps: list[int] = field(default_factory=list)


def _in_progress(invitation: Invitation) -> bool:
    return (invitation.stage or Stage.ACCEPTED) in IN_PROGRESS


class AfterYes:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def overview(self, user_id: str) -> SharingOverview:
        with self.ctx.sessions() as session:
            accepted = invitations.accepted_invitations(session, candidate_id=user_id)
            granted = ledger_rows.granted_roles(session, candidate_id=user_id)
            disclosures = sharing.disclosures_of(session, candidate_id=user_id)
            notes = sharing.private_notes_of(session, candidate_id=user_id)
            known = {r.id: r for _, r in accepted}
            shown = [(d, known.get(d.role_id) or roles.get_role(session, role_id=d.role_id)) for d in disclosures]
        seen: set[int] = set()
        rows = []
        for invitation, role in reversed(accepted):  # newest invitation per role
            if role.id in seen:
                continue
            seen.add(role.id)
            rows.append(SharingRow(invitation, role, granted.get(role.id), _in_progress(invitation)))
        rows.reverse()
        return SharingOverview(rows, shown, notes)

    def set_sharing(self, user_id: str, role_id: int, *, yes: bool, via: Via) -> Role | None:
        """Share or stop sharing for a role the person said *Happy to chat* to; None otherwise,
        and for a share while `consent.may_grant_share` does not hold (opted out, or stepped back
        from the role). Setting what already stands writes nothing."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            newest = {r.id: i for i, r in invitations.accepted_invitations(session, candidate_id=user_id)}
            invitation = newest.get(role_id)
            if candidate is None or invitation is None:
                return None
            if yes and not may_grant_share(candidate.consent_status, invitation.answer, invitation.stage):
                return None
            role = roles.get_role(session, role_id=role_id)
            if ledger.sharing_stands(session, candidate_id=user_id, role_id=role_id) != yes:
                ledger.record_share(
                    session, candidate_id=user_id, role_id=role_id, granted=yes, via=via, actor=user_id, now=now
                )
        log.info("sharing changed", extra={"action": "share.granted" if yes else "share.withdrawn", "role_id": role_id})
        self.ctx.changed(user_id)
        return role

    def profile(self, *, recruiter_id: str, candidate_id: str, role_id: int) -> ProfileResult:
        """The candidate's profile for this role, only while their grant stands; each one given
        out is a disclosure record in the same transaction."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=candidate_id)  # a forget goes first
            role = roles.get_role(session, role_id=role_id)
            if role is None:
                return ProfileResult(ProfileState.NO_ROLE)
            if candidate is None or role_id not in ledger_rows.granted_roles(session, candidate_id=candidate_id):
                return ProfileResult(ProfileState.REFUSED, role)
            sharing.record_disclosure(
                session,
                candidate_id=candidate_id,
                recruiter_id=recruiter_id,
                role_id=role_id,
                company=role.company,
                now=now,
            )
            result = ProfileResult(ProfileState.SHOWN, role, tuple(candidate.interests or ()), candidate.company_note)
        log.info("profile disclosed", extra={"action": "profile.disclosed", "role_id": role_id})
        self.ctx.changed(candidate_id)
        return result

    def step_back(self, user_id: str, invitation_id: int, *, via: Via) -> StepBackResult:
        """End this role's process for the candidate: stage stepped_back, check-ins cancelled,
        the grant withdrawn, one short DM to the recruiter. A second click changes nothing."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidates.lock_existing_candidate(session, slack_user_id=user_id)
            invitation = invitations.get_invitation(session, invitation_id=invitation_id, for_update=True)
            if invitation is None or invitation.candidate_id != user_id:
                return StepBackResult(StepBack.NOT_YOURS)
            role = roles.get_role(session, role_id=invitation.role_id)
            if invitation.stage is Stage.STEPPED_BACK:
                return StepBackResult(StepBack.ALREADY, role)
            if invitation.answer is not Answer.ACCEPTED or not _in_progress(invitation):
                return StepBackResult(StepBack.NOT_IN_PROGRESS, role)
            invitation.stage, invitation.stage_changed_at = Stage.STEPPED_BACK, now
            session.add(invitation)
            webhooks.stage_changed(session, invitation, Stage.STEPPED_BACK, now=now)
            steps.cancel_steps(
                session,
                now=now,
                reason=CancelReason.STEPPED_BACK,
                invitation_id=invitation.id,
                kinds=ENDED_BY_STEP_BACK,
            )
            ledger.withdraw_grant(
                session, candidate_id=user_id, role_id=invitation.role_id, via=via, actor=user_id, now=now
            )
            step = steps.enqueue_step_once(
                session,
                invitation_id=invitation.id,
                kind=Kind.RECRUITER_STEPPED_BACK,
                slack_user_id=invitation.recruiter_id,
                now=now,
                not_before=now,
            )
        log.info("stepped back", extra={"action": "invitation.stepped_back", "invitation_id": invitation_id})
        self.ctx.changed(user_id)
        return StepBackResult(StepBack.STEPPED_BACK, role, [step] if step is not None else [])

    def save_note(
        self, user_id: str, invitation_id: int | None, *, market_value: str | None, next_role: str | None
    ) -> bool:
        """Store a private note (the text is never logged)."""
        if not (market_value or next_role):
            return False
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            if candidates.lock_existing_candidate(session, slack_user_id=user_id) is None:  # a forget goes first
                return False
            invitation = invitations.get_invitation(session, invitation_id=invitation_id) if invitation_id else None
            if invitation is None or invitation.candidate_id != user_id:
                invitation_id = None
            sharing.add_private_note(
                session,
                candidate_id=user_id,
                invitation_id=invitation_id,
                market_value=market_value,
                next_role=next_role,
                now=now,
            )
        log.info("private note saved", extra={"action": "note.saved"})
        self.ctx.changed(user_id)
        return True

    def stay_in_touch(self, user_id: str, *, via: Via) -> bool:
        """Cadence twice a year, recorded as a consent event."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:
                return False
            candidate.cadence = Cadence.TWICE_A_YEAR
            candidate.updated_at = now
            session.add(candidate)
            ledger.record_stay_in_touch(session, user_id, via=via, now=now)
        log.info("stay in touch", extra={"action": "candidate.stay_in_touch"})
        self.ctx.changed(user_id)
        return True

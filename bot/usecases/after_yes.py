"""After the first yes: per-role sharing that can change any time, profiles handed out only while
a grant stands (each one a disclosure record), stepping back, private notes, staying in touch.

Sharing state is the latest `share:role:N` ledger event of that candidate. Private notes are the
candidate's alone: no recruiter use case reads them, and their text is never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.copy import candidate as messages
from bot.rules.consent import Via
from bot.rules.eligibility import Cadence
from bot.rules.recruiting import STEPPED_BACK
from bot.rules.steps import ENDED_BY_STEP_BACK, Kind
from bot.usecases.candidates import Candidates
from storage import queries
from storage import recruiting as store
from storage import sharing
from storage.models import Disclosure, Invitation, PrivateNote, Role

log = logging.getLogger(__name__)

CADENCE_SCOPE = "cadence"
IN_PROGRESS_STAGES = ("accepted", "conversation", "interviewing", "offer")


def share_scope(role_id: int) -> str:
    return f"share:role:{role_id}"


def withdraw_grant_in(session, *, candidate_id: str, role_id: int, via: Via, actor: str, now: datetime) -> bool:
    """Withdraw this role's grant if it stands (inside the caller's transaction)."""
    state = sharing.share_states(session, candidate_id=candidate_id).get(role_id)
    if state is None or state.action != "granted":
        return False
    queries.record_ledger_event(
        session,
        subject=candidate_id,
        scope=share_scope(role_id),
        action="withdrawn",
        via=via.value,
        wording_version=messages.SHARE_WORDING_VERSION,
        actor=actor,
        now=now,
    )
    return True


def withdraw_all_grants_in(session, *, candidate_id: str, via: Via, actor: str, now: datetime) -> int:
    """`stop` and `forget`: every standing grant is withdrawn."""
    roles = sharing.granted_roles(session, candidate_id=candidate_id)
    for role_id in roles:
        queries.record_ledger_event(
            session,
            subject=candidate_id,
            scope=share_scope(role_id),
            action="withdrawn",
            via=via.value,
            wording_version=messages.SHARE_WORDING_VERSION,
            actor=actor,
            now=now,
        )
    return len(roles)


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


@dataclass(frozen=True)
class ProfileResult:
    state: str  # "no_role", "refused", "ok"
    role: Role | None = None
    interests: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class StepBackResult:
    state: str  # "stepped_back", "already", "not_yours", "not_in_progress"
    role: Role | None = None
    steps: list[int] = field(default_factory=list)


@dataclass
class AfterYes:
    candidates: Candidates

    def overview(self, user_id: str) -> SharingOverview:
        with self.candidates.sessions() as session:
            accepted = sharing.accepted_invitations(session, candidate_id=user_id)
            granted = sharing.granted_roles(session, candidate_id=user_id)
            disclosures = sharing.disclosures_of(session, candidate_id=user_id)
            notes = sharing.private_notes_of(session, candidate_id=user_id)
            roles = {r.id: r for _, r in accepted}
            shown = [(d, roles.get(d.role_id) or store.get_role(session, role_id=d.role_id)) for d in disclosures]
        seen: set[int] = set()
        rows = []
        for invitation, role in reversed(accepted):  # newest invitation per role
            if role.id in seen:
                continue
            seen.add(role.id)
            rows.append(
                SharingRow(
                    invitation, role, granted.get(role.id), (invitation.stage or "accepted") in IN_PROGRESS_STAGES
                )
            )
        rows.reverse()
        return SharingOverview(rows, shown, notes)

    def set_sharing(self, user_id: str, role_id: int, *, yes: bool, via: Via) -> Role | None:
        """Share or stop sharing for a role the person said *Happy to chat* to; None otherwise.
        Setting what already stands writes nothing."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            queries.lock_existing_candidate(session, slack_user_id=user_id)
            invitation = next(
                (i for i, r in sharing.accepted_invitations(session, candidate_id=user_id) if r.id == role_id), None
            )
            if invitation is None:
                return None
            role = store.get_role(session, role_id=role_id)
            state = sharing.share_states(session, candidate_id=user_id).get(role_id)
            standing = state is not None and state.action == "granted"
            if standing != yes:
                queries.record_ledger_event(
                    session,
                    subject=user_id,
                    scope=share_scope(role_id),
                    action="granted" if yes else "withdrawn",
                    via=via.value,
                    wording_version=messages.SHARE_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
        log.info("sharing changed", extra={"action": "share.granted" if yes else "share.withdrawn", "role_id": role_id})
        self.candidates.notify_changed(user_id)
        return role

    def profile(self, *, recruiter_id: str, candidate_id: str, role_id: int) -> ProfileResult:
        """The candidate's profile for this role, only while their grant stands; each one given
        out is a disclosure record in the same transaction."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            role = store.get_role(session, role_id=role_id)
            if role is None:
                return ProfileResult("no_role")
            if role_id not in sharing.granted_roles(session, candidate_id=candidate_id):
                return ProfileResult("refused", role)
            candidate = queries.get_candidate(session, slack_user_id=candidate_id)
            if candidate is None:
                return ProfileResult("refused", role)
            sharing.record_disclosure(
                session,
                candidate_id=candidate_id,
                recruiter_id=recruiter_id,
                role_id=role_id,
                company=role.company,
                now=now,
            )
            result = ProfileResult("ok", role, tuple(candidate.interests or ()), candidate.company_note)
        log.info("profile disclosed", extra={"action": "profile.disclosed", "role_id": role_id})
        self.candidates.notify_changed(candidate_id)
        return result

    def step_back(self, user_id: str, invitation_id: int, *, via: Via) -> StepBackResult:
        """End this role's process for the candidate: stage stepped_back, check-ins cancelled,
        the grant withdrawn, one short DM to the recruiter. A second click changes nothing."""
        now = self.candidates.clock()
        step = None
        with self.candidates.sessions() as session, session.begin():
            queries.lock_existing_candidate(session, slack_user_id=user_id)
            invitation = store.get_invitation(session, invitation_id=invitation_id, for_update=True)
            if invitation is None or invitation.candidate_id != user_id:
                return StepBackResult("not_yours")
            role = store.get_role(session, role_id=invitation.role_id)
            if invitation.stage == STEPPED_BACK:
                return StepBackResult("already", role)
            if invitation.answer != "accepted" or (invitation.stage or "accepted") not in IN_PROGRESS_STAGES:
                return StepBackResult("not_in_progress", role)
            invitation.stage, invitation.stage_changed_at = STEPPED_BACK, now
            session.add(invitation)
            queries.cancel_steps(
                session, now=now, reason="stepped_back", invitation_id=invitation.id, kinds=ENDED_BY_STEP_BACK
            )
            withdraw_grant_in(
                session, candidate_id=user_id, role_id=invitation.role_id, via=via, actor=user_id, now=now
            )
            step = queries.enqueue_step_once(
                session,
                invitation_id=invitation.id,
                kind=Kind.RECRUITER_STEPPED_BACK,
                slack_user_id=invitation.recruiter_id,
                now=now,
                not_before=now,
            )
        log.info("stepped back", extra={"action": "invitation.stepped_back", "invitation_id": invitation_id})
        self.candidates.notify_changed(user_id)
        return StepBackResult("stepped_back", role, [step] if step is not None else [])

    def save_note(
        self, user_id: str, invitation_id: int | None, *, market_value: str | None, next_role: str | None
    ) -> bool:
        """Store a private note (the text is never logged)."""
        if not (market_value or next_role):
            return False
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            invitation = store.get_invitation(session, invitation_id=invitation_id) if invitation_id else None
            if invitation is None or invitation.candidate_id != user_id:
                invitation_id = None
            if queries.get_candidate(session, slack_user_id=user_id) is None:
                return False
            sharing.add_private_note(
                session,
                candidate_id=user_id,
                invitation_id=invitation_id,
                market_value=market_value,
                next_role=next_role,
                now=now,
            )
        log.info("private note saved", extra={"action": "note.saved"})
        self.candidates.notify_changed(user_id)
        return True

    def stay_in_touch(self, user_id: str, *, via: Via) -> bool:
        """Cadence twice a year, recorded as a consent event."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:
                return False
            candidate.cadence = Cadence.TWICE_A_YEAR.value
            candidate.updated_at = now
            session.add(candidate)
            queries.record_ledger_event(
                session,
                subject=user_id,
                scope=CADENCE_SCOPE,
                action="granted",
                via=via.value,
                wording_version=messages.STAY_IN_TOUCH_WORDING_VERSION,
                actor=user_id,
                now=now,
            )
        log.info("stay in touch", extra={"action": "candidate.stay_in_touch"})
        self.candidates.notify_changed(user_id)
        return True

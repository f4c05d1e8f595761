"""One message step as the sender sees it: the row and everything it needs, loaded in the
claiming transaction, and the facts the gates decide on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.rules.companies import on_never_list
from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import Cadence
from bot.rules.statuses import ANSWERS, InvitationStatus, RoleStatus, Stage
from bot.rules.steps import ANONYMOUS, REPLIES, TO_RECRUITER, InvitationFacts, Kind, StepFacts, withheld
from bot.settings import Settings
from bot.usecases.roles import roles_in
from storage import candidates, invitations, roles, suppression
from storage.models import Candidate, Invitation, OutgoingMessage, Role


@dataclass
class Step:
    """Everything one step needs, loaded in the claiming transaction."""

    row: OutgoingMessage
    kind: Kind
    candidate: Candidate | None
    invitation: Invitation | None
    role: Role | None
    booking_link: str | None
    facts: StepFacts
    recipient_recruits: bool = False  # the recipient is a recruiter (the help a DM gets says so)
    claim: datetime | None = None  # our claim's `claimed_until`: every later write checks it is still ours
    slack_locale: str | None = None  # read with this send's `users.info` (for people without a row too)

    @property
    def user_id(self) -> str:
        return self.row.slack_user_id

    @property
    def withheld(self) -> bool:
        """Goes like any other step but never reaches Slack (the never-list: `steps.withheld`)."""
        return withheld(self.facts)

    def invited(self) -> tuple[Invitation, Role]:
        """The invitation and role of a step that belongs to one (every kind but the replies,
        the welcome DM and the opt-in request); a step whose rows are gone is a bug, said so."""
        if self.invitation is None or self.role is None:
            raise LookupError(f"step {self.row.id} ({self.kind}) has no invitation or role")
        return self.invitation, self.role

    def kept_only_as_hash(self, candidate: Candidate | None) -> bool:
        """Whether a finished step (sent, failed or cancelled) may keep only a keyed hash of its
        recipient: people who never joined (welcome DMs, opt-in requests, replies to strangers)
        and people erased are remembered only that way, whatever became of the message."""
        if self.kind in ANONYMOUS and self.facts.consent is ConsentStatus.NOT_JOINED:
            return True
        return self.kind in REPLIES and candidate is None


def _invitation_facts(
    session, settings: Settings, invitation: Invitation, role: Role | None, candidate
) -> InvitationFacts:
    return InvitationFacts(
        status=invitation.status,
        answered=invitation.answer in ANSWERS,
        expired=invitation.expired_at is not None,
        role_open=role is not None and role.status is RoleStatus.OPEN,
        company_on_never_list=role is not None
        and on_never_list(role.company, candidate.never_companies if candidate else ()),
        sent_at=invitation.sent_at,
        recruiter_active=roles_in(session, settings, invitation.recruiter_id).recruiter,
        other_delivered_at=invitations.other_delivered_at(
            session, candidate_id=invitation.candidate_id, exclude_invitation_id=invitation.id
        ),
        stepped_back=invitation.stage is Stage.STEPPED_BACK,
        withheld=invitation.withheld,
    )


def load_step(
    session, settings: Settings, row: OutgoingMessage, *, subject_hash: str, candidate: Candidate | None = None
) -> Step:
    """The step and its facts, read inside the caller's transaction (`candidate`, when given, is
    the person's row the caller has already locked)."""
    kind = row.kind
    if candidate is None and kind not in TO_RECRUITER:
        candidate = candidates.get_candidate(session, slack_user_id=row.slack_user_id)
    invitation = invitations.get_invitation(session, invitation_id=row.invitation_id) if row.invitation_id else None
    role = roles.get_role(session, role_id=invitation.role_id) if invitation else None
    switch = roles.team_switch(session)
    facts = StepFacts(
        kind=kind,
        consent=candidate.consent_status if candidate else ConsentStatus.NOT_JOINED,
        paused_until=candidate.paused_until if candidate else None,
        unreachable=bool(candidate and candidate.unreachable_at),
        team_paused=bool(switch and switch.paused),
        cadence=candidate.cadence if candidate else Cadence.QUARTERLY,
        min_gap=settings.min_gap,
        followup_after=settings.followup_after,
        expire_after=settings.expire_after,
        invitation=_invitation_facts(session, settings, invitation, role, candidate) if invitation else None,
        erased=kind not in TO_RECRUITER and suppression.is_suppressed(session, subject_hash=subject_hash),
    )
    link = roles.booking_link(session, user_id=invitation.recruiter_id) if invitation is not None else None
    recruits = kind is Kind.REPLY_HELP and roles_in(session, settings, row.slack_user_id).recruiter
    return Step(row, kind, candidate, invitation, role, link, facts, recruits, claim=row.claimed_until)


def still_queued(step: Step) -> bool:
    return step.invitation is not None and step.invitation.status is InvitationStatus.QUEUED

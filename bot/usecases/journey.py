"""Candidate answers to invitations, to the sharing question and to "still welcome?".

Each answer is one transaction: the answer, the cancelled follow-up and expiry, and whatever the
answer sets off (the recruiter's DM, the booking link, the sharing question, a pause, an opt-out)
commit together; the new steps are returned so the caller can send them at once.

A click on the invitation message is proof that it was delivered: when it arrives before the
sender has recorded the delivery (Slack's answer to the post is still on its way), the click
records it (`bot.usecases.delivery`, as the sender would) and the answer applies; the sender then
finds it recorded and adds nothing. Locks follow the order in `storage`: the candidate row first,
then the invitation, then its steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.copy import candidate as wording
from bot.rules import consent
from bot.rules.consent import ConsentStatus, Via
from bot.rules.preferences import add_months
from bot.rules.recruiting import matched_interests
from bot.rules.statuses import ANSWERS, Answer, CancelReason, InvitationStatus, Stage
from bot.rules.steps import Kind
from bot.rules.timing import resolve_zone
from bot.usecases import ledger, webhooks
from bot.usecases.context import AppContext
from bot.usecases.delivery import record_delivery
from bot.usecases.roles import roles_in
from storage import candidates, invitations, roles, steps
from storage.models import Candidate, Invitation, Role

log = logging.getLogger(__name__)

DEFAULT_SNOOZE_MONTHS = 3
STILL_WELCOME_PAUSE_MONTHS = 6


class Click(StrEnum):
    """What became of a click on an invitation or a question."""

    ANSWERED = "answered"
    ALREADY = "already"  # answered (or expired) before: nothing changes
    NOT_YOURS = "not_yours"
    NOT_OPEN = "not_open"  # cancelled, failed or not delivered
    DETAILS = "details"  # Tell me more: recorded, the invitation stays open
    OPEN = "open"  # still open to an answer
    ERASED = "erased"  # the clicker asked to be forgotten: nothing is stored


@dataclass
class AnswerResult:
    state: Click
    invitation: Invitation | None = None
    role: Role | None = None
    answer: Answer | None = None
    paused_until: datetime | None = None
    zone_name: str = "UTC"
    steps: list[int] = field(default_factory=list)
    recruiter_left: bool = False  # the inviting recruiter no longer is one: the admins were told

    def invited(self) -> tuple[Invitation, Role]:
        """The invitation and its role (every state but NOT_YOURS and ERASED carries them)."""
        if self.invitation is None or self.role is None:
            raise LookupError(f"a {self.state} answer carries no invitation")
        return self.invitation, self.role


# The (channel, ts) of the message clicked: proof that it was delivered.
SeenIn = tuple[str, str]


class Journey:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _load_unanswered(self, session, user_id: str, invitation_id: int, *, seen_in: SeenIn | None, now: datetime):
        """The clicker's candidate row and delivered invitation, locked in that order, or the
        result that says why not: someone else's, never delivered, or already answered or
        expired. The delivery is recorded from `seen_in` when the sender has not recorded it yet."""
        candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
        invitation = invitations.get_invitation(session, invitation_id=invitation_id, for_update=True)
        if candidate is None or invitation is None or invitation.candidate_id != user_id:
            return None, None, None, AnswerResult(Click.NOT_YOURS)
        role = roles.get_role(session, role_id=invitation.role_id)
        if invitation.status is InvitationStatus.QUEUED and seen_in is not None:
            self._delivered_by_click(session, candidate, invitation, seen_in, now)
        if invitation.status is not InvitationStatus.SENT or invitation.withheld:  # withheld: no message to click
            return candidate, invitation, role, AnswerResult(Click.NOT_OPEN, invitation, role)
        if invitation.answer in ANSWERS or invitation.expired_at:
            return candidate, invitation, role, AnswerResult(Click.ALREADY, invitation, role, invitation.answer)
        return candidate, invitation, role, None

    def _delivered_by_click(
        self, session, candidate: Candidate, invitation: Invitation, seen_in: SeenIn, now: datetime
    ) -> None:
        """The person clicked the message, so it reached them: record the delivery now (the
        sender, still waiting for Slack's answer, then records nothing twice)."""
        channel_id, ts = seen_in
        record_delivery(
            session,
            self.ctx.settings,
            invitation=invitation,
            candidate=candidate,
            channel_id=channel_id,
            ts=ts,
            now=now,
        )
        steps.mark_invitation_step_delivered(
            session, invitation_id=invitation.id, kind=Kind.INVITATION, channel_id=channel_id, slack_ts=ts, now=now
        )
        if channel_id.startswith("D") and candidate.dm_channel_id != channel_id:
            candidate.dm_channel_id = channel_id
            session.add(candidate)
        log.info(
            "delivery recorded from a click",
            extra={"action": "invitation.delivered_by_click", "invitation_id": invitation.id},
        )

    def open_invitation(
        self, user_id: str, invitation_id: int, *, seen_in: SeenIn | None = None
    ) -> AnswerResult | None:
        """The clicker's own invitation while it can still be answered, else None (a click on
        the message, `seen_in`, shows it was delivered even if not yet recorded)."""
        with self.ctx.sessions() as session:
            invitation = invitations.get_invitation(session, invitation_id=invitation_id)
            role = roles.get_role(session, role_id=invitation.role_id) if invitation else None
        if invitation is None or invitation.candidate_id != user_id or invitation.withheld:
            return None
        delivered = invitation.status is InvitationStatus.SENT
        if not delivered and not (invitation.status is InvitationStatus.QUEUED and seen_in is not None):
            return None
        if invitation.answer in ANSWERS or invitation.expired_at:
            return None
        return AnswerResult(Click.OPEN, invitation, role)

    def matched_interests(self, invitation: Invitation, role: Role) -> tuple[str, ...]:
        """The role's tags the candidate lists among their interests (why they were picked)."""
        with self.ctx.sessions() as session:
            candidate = candidates.get_candidate(session, slack_user_id=invitation.candidate_id)
        return matched_interests(role.tags, candidate.interests if candidate else ())

    def show_details(self, user_id: str, invitation_id: int, *, seen_in: SeenIn | None = None) -> AnswerResult:
        """*Tell me more*: recorded as "asked for details", not as interest; the invitation stays open."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            _, invitation, role, early = self._load_unanswered(
                session, user_id, invitation_id, seen_in=seen_in, now=now
            )
            if early:
                return early
            if invitation.details_asked_at is None:
                invitation.details_asked_at = now
                session.add(invitation)
                webhooks.answered(session, invitation, Answer.DETAILS, now=now)
        return AnswerResult(Click.DETAILS, invitation, role)

    def answer(
        self,
        user_id: str,
        invitation_id: int,
        answer: Answer,
        *,
        months: int | None = None,
        seen_in: SeenIn | None = None,
    ) -> AnswerResult:
        """Record an answer once; a second click on an answered invitation changes nothing. A
        click that arrives before the delivery was recorded records it first (`seen_in`)."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate, invitation, role, early = self._load_unanswered(
                session, user_id, invitation_id, seen_in=seen_in, now=now
            )
            if early:
                if early.state is Click.ALREADY and invitation is not None:
                    early.recruiter_left = not roles_in(session, self.ctx.settings, invitation.recruiter_id).recruiter
                return early
            invitation.answer, invitation.answered_at = answer, now
            steps.cancel_steps(
                session,
                now=now,
                reason=CancelReason.ANSWERED,
                invitation_id=invitation.id,
                kinds=frozenset({Kind.FOLLOWUP, Kind.EXPIRE}),
            )
            candidate.still_welcome_asked_at = None  # an answer ends an unanswered streak
            session.add(candidate)
            result = AnswerResult(Click.ANSWERED, invitation, role, answer)
            webhooks.answered(session, invitation, answer, now=now)
            self._follow_answer(session, candidate, invitation, result, months=months, now=now)
            session.add(invitation)
        log.info(
            "invitation answered: %s", answer, extra={"action": f"invitation.{answer}", "invitation_id": invitation_id}
        )
        self.ctx.changed(user_id)
        return result

    def _follow_answer(
        self, session, candidate: Candidate, invitation: Invitation, result: AnswerResult, *, months: int | None, now
    ) -> None:
        """What an answer sets off, in the answer's transaction."""
        user_id = candidate.slack_user_id
        if result.answer is Answer.ACCEPTED:
            invitation.stage, invitation.stage_changed_at = Stage.ACCEPTED, now
            for kind, recipient in self._after_yes(session, invitation, result):
                step = steps.enqueue_step_once(
                    session, invitation_id=invitation.id, kind=kind, slack_user_id=recipient, now=now, not_before=now
                )
                if step is not None:
                    result.steps.append(step)
        elif result.answer is Answer.SNOOZED:
            zone = resolve_zone(candidate.slack_tz, candidate.tz_override)
            result.zone_name = zone.key
            result.paused_until = add_months(now, zone, months or DEFAULT_SNOOZE_MONTHS)
            if candidate.consent_status is ConsentStatus.OPTED_IN:
                ledger.pause(session, candidate, until=result.paused_until, via=Via.BUTTON, actor=user_id, now=now)
        elif result.answer is Answer.STOPPED:
            change = consent.opt_out(candidate.consent_status)
            ledger.apply_consent_change(
                session,
                candidate,
                change,
                via=Via.BUTTON,
                wording_version=wording.OPT_OUT_WORDING_VERSION,
                actor=user_id,
                now=now,
            )

    def _after_yes(self, session, invitation: Invitation, result: AnswerResult) -> list[tuple[Kind, str]]:
        """Who hears of a "Happy to chat": the inviting recruiter (and the candidate gets their
        booking link); when they are no longer a recruiter, every admin instead, and no link of
        theirs. The candidate is asked about sharing either way."""
        follow = [(Kind.SHARE_ASK, invitation.candidate_id)]
        if not roles_in(session, self.ctx.settings, invitation.recruiter_id).recruiter:
            result.recruiter_left = True
            return [*((Kind.ADMIN_ACCEPTED, admin) for admin in sorted(self.ctx.settings.admins)), *follow]
        follow.insert(0, (Kind.RECRUITER_ACCEPTED, invitation.recruiter_id))
        if roles.booking_link(session, user_id=invitation.recruiter_id):
            follow.append((Kind.BOOKING_LINK, invitation.candidate_id))
        return follow

    def share(self, user_id: str, invitation_id: int, *, yes: bool) -> AnswerResult:
        """The candidate's answer to "may your details be shared with the company for this role?".
        A yes grants only while `consent.may_grant_share` holds (else nothing is recorded and the
        result is NOT_OPEN); the person's row is locked first, so a `forget` in progress finishes
        before this reads anything and nothing is written under their Slack id after it."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            invitation = invitations.get_invitation(session, invitation_id=invitation_id, for_update=True)
            if candidate is None or invitation is None or invitation.candidate_id != user_id:
                return AnswerResult(Click.NOT_YOURS)
            role = roles.get_role(session, role_id=invitation.role_id)
            if yes and not consent.may_grant_share(candidate.consent_status, invitation.answer, invitation.stage):
                return AnswerResult(Click.NOT_OPEN, invitation, role)
            ledger.record_share(
                session,
                candidate_id=user_id,
                role_id=invitation.role_id,
                granted=yes,
                via=Via.BUTTON,
                actor=user_id,
                now=now,
            )
        log.info(
            "share answer",
            extra={"action": "share.granted" if yes else "share.declined", "invitation_id": invitation_id},
        )
        return AnswerResult(Click.ANSWERED, invitation, role)

    def still_welcome(self, user_id: str, *, keep: bool, months: int = STILL_WELCOME_PAUSE_MONTHS) -> AnswerResult:
        """Answer to "are invitations still welcome?": keep them, or pause."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = ledger.lock_candidate(session, self.ctx, user_id, now)
            if candidate is None:  # erased: nothing to keep or pause, and nothing is stored
                return AnswerResult(Click.ERASED)
            candidate.still_welcome_asked_at = None
            candidate.streak_reset_at = now  # answered: earlier expiries no longer count toward a streak
            session.add(candidate)
            steps.cancel_steps(
                session,
                now=now,
                reason=CancelReason.ANSWERED,
                slack_user_id=user_id,
                kinds=frozenset({Kind.STILL_WELCOME_LAPSE}),
            )
            zone = resolve_zone(candidate.slack_tz, candidate.tz_override)
            until = None
            if not keep and candidate.consent_status is ConsentStatus.OPTED_IN:
                until = add_months(now, zone, months)
                ledger.pause(session, candidate, until=until, via=Via.BUTTON, actor=user_id, now=now)
        self.ctx.changed(user_id)
        return AnswerResult(Click.ANSWERED, paused_until=until, zone_name=zone.key)

"""Candidate answers to invitations, to the sharing question and to "still welcome?".

Each answer is one transaction: the answer, the cancelled follow-up and expiry, and whatever the
answer sets off (the recruiter's DM, the booking link, the sharing question, a pause, an opt-out)
commit together; the new steps are returned so the caller can send them at once.

A click on the invitation message is proof that it was delivered: when it arrives before the
sender has recorded the delivery (Slack's answer to the post is still on its way), the click
records it (`storage.recruiting.record_delivery`, the same as the sender would) and the answer
applies; the sender then finds it recorded and adds nothing. Locks follow the order in
`storage.queries`: the candidate row first, then the invitation, then its steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.copy import candidate as messages
from bot.rules import consent
from bot.rules.consent import ConsentStatus, Via
from bot.rules.preferences import add_months
from bot.rules.steps import Kind
from bot.rules.timing import resolve_zone
from bot.usecases.candidates import Candidates
from storage import queries
from storage import recruiting as store
from storage.models import Invitation, Role

log = logging.getLogger(__name__)

from bot.copy.candidate import SHARE_WORDING_VERSION  # noqa: E402  (re-exported)

ANSWERS = ("accepted", "declined", "snoozed", "stopped")


def share_scope(role_id: int) -> str:
    """Ledger scope of the per-role consent to share a candidate's details with the company."""
    return f"share:role:{role_id}"


@dataclass
class AnswerResult:
    """What became of a click. `state` is "answered", "already" (answered before), "not_yours",
    "not_open" (cancelled, failed or not delivered), "details" (Tell me more), or "erased" (the
    clicker asked to be forgotten: nothing is stored)."""

    state: str
    invitation: Invitation | None = None
    role: Role | None = None
    answer: str | None = None
    paused_until: datetime | None = None
    zone_name: str = "UTC"
    steps: list[int] = field(default_factory=list)


@dataclass
class Journey:
    candidates: Candidates

    def _load_unanswered(
        self, session, user_id: str, invitation_id: int, *, seen_in: tuple[str, str] | None, now: datetime
    ):
        """The clicker's candidate row and delivered invitation, locked in that order, or the
        result that says why not: someone else's, never delivered, or already answered or
        expired. `seen_in` is the (channel, ts) of the message clicked: the delivery is
        recorded from it when the sender has not recorded it yet."""
        candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
        invitation = store.get_invitation(session, invitation_id=invitation_id, for_update=True)
        if candidate is None or invitation is None or invitation.candidate_id != user_id:
            return None, None, None, AnswerResult("not_yours")
        role = store.get_role(session, role_id=invitation.role_id)
        if invitation.status == store.QUEUED and seen_in is not None:
            self._delivered_by_click(session, candidate, invitation, seen_in, now)
        if invitation.status != store.SENT:
            return candidate, invitation, role, AnswerResult("not_open", invitation, role)
        if invitation.answer in ANSWERS or invitation.expired_at:
            return candidate, invitation, role, AnswerResult("already", invitation, role, invitation.answer)
        return candidate, invitation, role, None

    def _delivered_by_click(
        self, session, candidate, invitation: Invitation, seen_in: tuple[str, str], now: datetime
    ) -> None:
        """The person clicked the message, so it reached them: record the delivery now (the
        sender, still waiting for Slack's answer, then records nothing twice)."""
        channel_id, ts = seen_in
        settings = self.candidates.settings
        store.record_delivery(
            session,
            invitation=invitation,
            channel_id=channel_id,
            ts=ts,
            now=now,
            opted_in=ConsentStatus(candidate.consent_status) is ConsentStatus.OPTED_IN,
            followup_after=settings.followup_after,
            expire_after=settings.expire_after,
        )
        queries.mark_invitation_step_delivered(
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
        self, user_id: str, invitation_id: int, *, seen_in: tuple[str, str] | None = None
    ) -> AnswerResult | None:
        """The clicker's own invitation while it can still be answered, else None (a click on
        the message, `seen_in`, shows it was delivered even if not yet recorded)."""
        with self.candidates.sessions() as session:
            invitation = store.get_invitation(session, invitation_id=invitation_id)
            role = store.get_role(session, role_id=invitation.role_id) if invitation else None
        if invitation is None or invitation.candidate_id != user_id:
            return None
        if invitation.status != store.SENT and not (invitation.status == store.QUEUED and seen_in is not None):
            return None
        if invitation.answer in ANSWERS or invitation.expired_at:
            return None
        return AnswerResult("open", invitation, role)

    def show_details(self, user_id: str, invitation_id: int, *, seen_in: tuple[str, str] | None = None) -> AnswerResult:
        """*Tell me more*: recorded as "asked for details", not as interest; the invitation stays open."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            _candidate, invitation, role, early = self._load_unanswered(
                session, user_id, invitation_id, seen_in=seen_in, now=now
            )
            if early:
                return early
            if invitation.details_asked_at is None:
                invitation.details_asked_at = now
                session.add(invitation)
        return AnswerResult("details", invitation, role)

    def answer(
        self,
        user_id: str,
        invitation_id: int,
        answer: str,
        *,
        months: int | None = None,
        seen_in: tuple[str, str] | None = None,
    ) -> AnswerResult:
        """Record an answer once; a second click on an answered invitation changes nothing. A
        click that arrives before the delivery was recorded records it first (`seen_in`)."""
        now = self.candidates.clock()
        steps: list[int | None] = []
        paused_until = None
        zone_name = "UTC"
        with self.candidates.sessions() as session, session.begin():
            candidate, invitation, role, early = self._load_unanswered(
                session, user_id, invitation_id, seen_in=seen_in, now=now
            )
            if early:
                return early
            invitation.answer, invitation.answered_at = answer, now
            queries.cancel_steps(
                session,
                now=now,
                reason="answered",
                invitation_id=invitation.id,
                kinds=frozenset({Kind.FOLLOWUP, Kind.EXPIRE}),
            )
            candidate.still_welcome_asked_at = None  # an answer ends an unanswered streak
            session.add(candidate)
            if answer == "accepted":
                invitation.stage, invitation.stage_changed_at = "accepted", now
                for kind, recipient in ((Kind.RECRUITER_ACCEPTED, invitation.recruiter_id), (Kind.SHARE_ASK, user_id)):
                    steps.append(
                        queries.enqueue_step_once(
                            session,
                            invitation_id=invitation.id,
                            kind=kind,
                            slack_user_id=recipient,
                            now=now,
                            not_before=now,
                        )
                    )
                if store.booking_link(session, user_id=invitation.recruiter_id):
                    steps.append(
                        queries.enqueue_step_once(
                            session,
                            invitation_id=invitation.id,
                            kind=Kind.BOOKING_LINK,
                            slack_user_id=user_id,
                            now=now,
                            not_before=now,
                        )
                    )
            elif answer == "snoozed":
                zone = resolve_zone(candidate.slack_tz, candidate.tz_override)
                zone_name = zone.key
                paused_until = add_months(now, zone, months or 3)
                if ConsentStatus(candidate.consent_status) is ConsentStatus.OPTED_IN:
                    self.candidates.pause_in(
                        session, candidate, until=paused_until, via=Via.BUTTON, actor=user_id, now=now
                    )
            elif answer == "stopped":
                change = consent.opt_out(ConsentStatus(candidate.consent_status))
                self.candidates.apply_in(
                    session,
                    candidate,
                    change,
                    via=Via.BUTTON,
                    wording_version=messages.OPT_OUT_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
            session.add(invitation)
        log.info(
            "invitation answered: %s", answer, extra={"action": f"invitation.{answer}", "invitation_id": invitation_id}
        )
        self.candidates.notify_changed(user_id)
        return AnswerResult(
            "answered", invitation, role, answer, paused_until, zone_name, [s for s in steps if s is not None]
        )

    def share(self, user_id: str, invitation_id: int, *, yes: bool) -> AnswerResult:
        """The candidate's answer to "may your details be shared with the company for this role?"."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            invitation = store.get_invitation(session, invitation_id=invitation_id)
            if invitation is None or invitation.candidate_id != user_id:
                return AnswerResult("not_yours")
            role = store.get_role(session, role_id=invitation.role_id)
            queries.record_ledger_event(
                session,
                subject=user_id,
                scope=share_scope(role.id),
                action="granted" if yes else "withdrawn",
                via=Via.BUTTON.value,
                wording_version=SHARE_WORDING_VERSION,
                actor=user_id,
                now=now,
            )
        log.info(
            "share answer",
            extra={"action": "share.granted" if yes else "share.declined", "invitation_id": invitation_id},
        )
        return AnswerResult("answered", invitation, role, "share_yes" if yes else "share_no")

    def still_welcome(self, user_id: str, *, keep: bool, months: int = 6) -> AnswerResult:
        """Answer to "are invitations still welcome?": keep them, or pause."""
        now = self.candidates.clock()
        with self.candidates.sessions() as session, session.begin():
            candidate = self.candidates.lock_candidate(session, user_id, now)
            if candidate is None:  # erased: nothing to keep or pause, and nothing is stored
                return AnswerResult("erased")
            candidate.still_welcome_asked_at = None
            candidate.streak_reset_at = now  # answered: earlier expiries no longer count toward a streak
            session.add(candidate)
            queries.cancel_steps(
                session, now=now, reason="answered", slack_user_id=user_id, kinds=frozenset({Kind.STILL_WELCOME_LAPSE})
            )
            zone = resolve_zone(candidate.slack_tz, candidate.tz_override)
            until = None
            if not keep and ConsentStatus(candidate.consent_status) is ConsentStatus.OPTED_IN:
                until = add_months(now, zone, months)
                self.candidates.pause_in(session, candidate, until=until, via=Via.BUTTON, actor=user_id, now=now)
        self.candidates.notify_changed(user_id)
        return AnswerResult("answered", answer="keep" if keep else "pause", paused_until=until, zone_name=zone.key)


def render_invitation(candidates: Candidates, invitation: Invitation, role: Role, *, with_details: bool = False):
    """The invitation message as first sent (for *Back* and *Tell me more*)."""
    from bot.copy import journey as journey_messages

    with candidates.sessions() as session:
        candidate = queries.get_candidate(session, slack_user_id=invitation.candidate_id)
    interests = set(candidate.interests or ()) if candidate else set()
    matched = tuple(tag for tag in role.tags or () if tag in interests)
    return journey_messages.invitation(
        invitation_id=invitation.id,
        role=role,
        recruiter_id=invitation.recruiter_id,
        note=invitation.note,
        matched=matched,
        with_details=with_details,
    )

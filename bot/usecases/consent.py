"""A person's own consent: join, stop, pause, resume, and the answer to the renewal question.

Each request is one transaction: the change, its ledger row and what it cancels commit together
(`bot.usecases.ledger`). Joining or stopping twice changes nothing and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.copy import candidate as wording
from bot.rules import consent
from bot.rules.consent import ConsentChange, ConsentStatus, Standing, Via
from bot.usecases import ledger
from bot.usecases.context import AppContext
from bot.usecases.erasure import erase_in
from storage import candidates, erasure, suppression
from storage.models import Candidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PauseResult:
    """`applied` is False when there was nothing to pause or resume (the reply says why)."""

    applied: bool
    standing: Standing
    paused_until: datetime | None


def log_consent_change(ctx: AppContext, user_id: str, change: ConsentChange, via: Via) -> None:
    action = f"consent.{change.action}" if change.changed else "consent.unchanged"
    if change.action is not None:
        ctx.metrics.consent(change.action)
    log.info(
        "consent %s -> %s via %s",
        change.before,
        change.after,
        via,
        extra={"action": action, "person": ctx.hash_of(user_id)},
    )


def change_consent_in(
    session, ctx: AppContext, user_id: str, rule: Callable[[ConsentStatus], ConsentChange], via: Via, now: datetime
) -> ConsentChange:
    """Apply `consent.opt_in` or `consent.opt_out` to this person inside the caller's
    transaction; someone erased stays opted out and unstored."""
    return change_consent_of(session, ledger.lock_candidate(session, ctx, user_id, now), user_id, rule, via, now)


def change_consent_of(
    session,
    candidate: Candidate | None,
    user_id: str,
    rule: Callable[[ConsentStatus], ConsentChange],
    via: Via,
    now: datetime,
) -> ConsentChange:
    """`change_consent_in` for a row the caller already holds locked (None: someone erased)."""
    if candidate is None:
        return rule(ConsentStatus.OPTED_OUT)
    change = rule(candidate.consent_status)
    version = (
        wording.OPT_IN_WORDING_VERSION if change.after is ConsentStatus.OPTED_IN else wording.OPT_OUT_WORDING_VERSION
    )
    ledger.apply_consent_change(session, candidate, change, via=via, wording_version=version, actor=user_id, now=now)
    return change


def _join_as_new(session, user_id: str, via: Via, now: datetime) -> ConsentChange:
    """A new person joins: their row is inserted opted in, with its ledger row (the status the
    ledger sets is the one inserted, so no UPDATE follows); someone who was inserted meanwhile is
    locked and joins as anyone stored does."""
    change = consent.opt_in(ConsentStatus.NOT_JOINED)
    candidate = candidates.insert_candidate(session, slack_user_id=user_id, now=now, status=change.after)
    if candidate is None:
        candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
        return change_consent_of(session, candidate, user_id, consent.opt_in, via, now)
    wording_version = wording.OPT_IN_WORDING_VERSION
    ledger.apply_consent_change(
        session, candidate, change, via=via, wording_version=wording_version, actor=user_id, now=now
    )
    return change


class Consent:
    """Opt in, opt out, pause, resume and renew: a person's say over receiving invitations."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def status(self, user_id: str) -> ConsentStatus:
        with self.ctx.sessions() as session:
            return candidates.consent_status(session, slack_user_id=user_id)

    def join(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt in at once. Someone who asked to be forgotten may come back this way (only they
        can: nobody else can re-add them); an erasure still pending is finished first (coming back
        starts afresh, and the late send it waited for cannot matter to someone rejoining)."""
        subject = self.ctx.hash_of(user_id)  # may create the key: its own write, once per database
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)  # the row, then the request
            request = erasure.lock_erasure_request(session, slack_user_id=user_id)
            if request is not None:
                erase_in(session, self.ctx, user_id, request.reason, now, asked_by=request.actor)
                candidate = None
            suppression.lift_suppression(session, subject_hash=subject)
            # The suppression is lifted: a new row needs no second look for one, nor for itself.
            change = (
                _join_as_new(session, user_id, via, now)
                if candidate is None
                else change_consent_of(session, candidate, user_id, consent.opt_in, via, now)
            )
        return self._announce(user_id, change, via)

    def stop(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt out at once."""
        with self.ctx.sessions() as session, session.begin():
            change = change_consent_in(session, self.ctx, user_id, consent.opt_out, via, self.ctx.clock())
        return self._announce(user_id, change, via)

    def _announce(self, user_id: str, change: ConsentChange, via: Via) -> ConsentChange:
        log_consent_change(self.ctx, user_id, change, via)
        if change.changed:
            self.ctx.changed(user_id)
        return change

    def renew(self, user_id: str, *, keep: bool) -> bool:
        """The answer to the consent-renewal question; False when nothing was asked."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None or candidate.consent_status is not ConsentStatus.OPTED_IN:
                return False
            candidate.renewal_asked_at = None
            session.add(candidate)
            if keep:
                ledger.record_renewal(session, user_id, now=now)
            else:
                ledger.apply_consent_change(
                    session,
                    candidate,
                    consent.opt_out(ConsentStatus.OPTED_IN),
                    via=Via.BUTTON,
                    wording_version=wording.RENEWAL_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
        self.ctx.changed(user_id)
        return True

    def pause(self, user_id: str, *, until: datetime, via: Via) -> PauseResult:
        """Pause every invitation until `until`; only someone opted in has anything to pause."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:  # asking changes nothing, and stores nothing about them
                return PauseResult(False, Standing.NOT_JOINED, None)
            if candidate.consent_status is not ConsentStatus.OPTED_IN:
                return PauseResult(False, consent.standing(candidate.consent_status, candidate.paused_until, now), None)
            ledger.pause(session, candidate, until=until, via=via, actor=user_id, now=now)
        self.ctx.changed(user_id)
        return PauseResult(True, Standing.PAUSED, until)

    def resume(self, user_id: str, *, via: Via) -> PauseResult:
        """End a pause early; without a running pause nothing changes."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:
                return PauseResult(False, Standing.NOT_JOINED, None)
            current = consent.standing(candidate.consent_status, candidate.paused_until, now)
            if current is not Standing.PAUSED:
                return PauseResult(False, current, None)
            ledger.resume(session, candidate, via=via, now=now)
        log.info("resumed", extra={"action": "candidate.resumed", "person": self.ctx.hash_of(user_id)})
        self.ctx.changed(user_id)
        return PauseResult(True, Standing.JOINED, None)

"""Forgetting a person (`forget`, retention, an admin's purge): their personal data goes, a
keyed-hash suppression record stays, and nobody can store or message them again.

One transaction opts them out, cancels everything still owed to them, suppresses them and records
the erasure as pending; the erasure itself then runs at once, or, while a send to them is in
flight (a late send must not write their ids back), once it has landed. The pending record is
durable: if this process dies first, the erasure tick of any process finishes it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.copy import candidate as wording
from bot.rules import consent
from bot.rules.consent import Via
from bot.usecases import ledger, webhooks
from bot.usecases.context import AppContext
from bot.usecases.inflight import InFlight
from storage import candidates, erasure, send_locks

log = logging.getLogger(__name__)


def ledger_actor(reason: Via, subject_hash: str, asked_by: str | None) -> str:
    """Who the ledger names for an erasure: the person themself (as their hash) for `forget`,
    else whoever asked for it (the admin of a purge), else Nudge itself (retention)."""
    if reason is Via.COMMAND:
        return subject_hash
    return asked_by or ledger.SYSTEM_ACTOR


def erase(
    ctx: AppContext,
    inflight: InFlight,
    user_id: str,
    *,
    reason: Via,
    asked_by: str | None = None,
    wait: bool = True,
) -> bool:
    """Forget a person; True when the erasure is finished now. `asked_by` is the admin (or
    system actor) behind a purge or retention, named in every ledger row the erasure writes; the
    person is named only for their own `forget`. With `wait` False (a purge goes on to the next
    person) a send in flight leaves it to the erasure tick."""
    now = ctx.clock()
    actor = user_id if reason is Via.COMMAND else asked_by or ledger.SYSTEM_ACTOR
    with ctx.sessions() as session, session.begin():
        candidate = candidates.lock_existing_candidate(session, slack_user_id=user_id)
        if candidate is not None:
            change = consent.opt_out(candidate.consent_status)
            ledger.apply_consent_change(
                session,
                candidate,
                change,
                via=reason,
                wording_version=wording.OPT_OUT_WORDING_VERSION,
                actor=actor,
                now=now,
            )
        erasure.request_erasure(
            session,
            slack_user_id=user_id,
            subject_hash=ctx.hash_of(user_id),
            reason=reason,
            actor=None if reason is Via.COMMAND else actor,
            now=now,
        )
    if finish_erasure(ctx, user_id):
        return True
    if not wait:
        return False
    if inflight.background is None:
        inflight.wait_until_quiet(user_id)
        return finish_erasure(ctx, user_id)
    inflight.after_quiet(user_id, lambda: finish_erasure(ctx, user_id))  # a quick path: the tick is the guarantee
    return False


def finish_erasure(ctx: AppContext, user_id: str) -> bool:
    """Run a pending erasure unless a send to the person is in flight; True when nothing is
    left pending. Their row is locked first (as the sender and `erase` lock it), so a sender
    recording its send either finished before (its lock is gone) or finds them erased."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        candidates.lock_existing_candidate(session, slack_user_id=user_id)
        request = erasure.lock_erasure_request(session, slack_user_id=user_id)
        if request is None:
            return True
        if send_locks.send_in_flight(session, user_id=user_id, now=now):
            return False
        erase_in(session, ctx, user_id, request.reason, now, asked_by=request.actor)
    log.info("person erased", extra={"action": "candidate.erased", "reason": request.reason})
    ctx.changed(user_id)
    return True


def finish_pending_erasures(ctx: AppContext, batch: int = 100) -> int:
    """The erasure tick: finish every pending erasure whose person has no send in flight (each
    its own short transaction); returns how many were finished."""
    with ctx.sessions() as session:
        pending = erasure.pending_erasures(session, limit=batch)
    return sum(finish_erasure(ctx, user_id) for user_id in pending)


def erase_in(
    session, ctx: AppContext, user_id: str, reason: Via, now: datetime, *, asked_by: str | None = None
) -> None:
    """The erasure itself, inside the caller's transaction (the person's row locked first)."""
    subject = ctx.hash_of(user_id)
    erasure.erase_person(session, slack_user_id=user_id, subject_hash=subject, reason=reason, now=now)
    webhooks.erased(session, user_id, now=now)  # after the invitations' locks: no change lands behind it
    erasure.delete_erasure_request(session, slack_user_id=user_id)
    actor = ledger_actor(reason, subject, asked_by)
    ledger.record_erasure(session, subject_hash=subject, reason=reason, actor=actor, now=now)
    session.flush()

"""Erasure: the durable erasure request, and the erasure itself (personal data removed; the
ledger, invitations and steps re-keyed to the suppression hash). Who the ledger names as having
done it is the use case's decision, not this module's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, exists, func, select, update
from sqlmodel import Session, col

from bot.rules.consent import Via
from bot.rules.statuses import CancelReason, InvitationStatus
from bot.rules.steps import ANONYMOUS
from storage.candidates import lock_existing_candidate
from storage.models import Candidate, ConsentEvent, ErasureRequest, Invitation, OutgoingMessage, SendLock
from storage.sharing import erase_after_yes
from storage.sql import insert_ignoring_conflicts, table_of
from storage.steps import pending_condition
from storage.suppression import suppress


def erase_person(session: Session, *, slack_user_id: str, subject_hash: str, reason: Via, now: datetime) -> None:
    """Erase everything personal about one person and keep a suppression record.

    The ledger stays (it is the compliance record) but is re-keyed to the hash and keeps no free
    text; invitations and message steps are re-keyed and lose notes and channel ids; the
    candidate row and their send lock are deleted (event dedupe keys name no one: see
    `ProcessedSlackEvent`). The person's row is locked first (the lock order in `storage`).
    """
    suppress(session, subject_hash=subject_hash, reason=reason, now=now)
    candidate = lock_existing_candidate(session, slack_user_id=slack_user_id)
    session.execute(update(ConsentEvent).where(col(ConsentEvent.subject) == slack_user_id).values(subject=subject_hash))
    session.execute(update(ConsentEvent).where(col(ConsentEvent.actor) == slack_user_id).values(actor=subject_hash))
    session.execute(
        update(Invitation)
        .where(col(Invitation.candidate_id) == slack_user_id, col(Invitation.status) == InvitationStatus.QUEUED)
        .values(status=InvitationStatus.CANCELLED, cancelled_at=now, cancel_reason=CancelReason.ERASED)
    )
    session.execute(
        update(Invitation)
        .where(col(Invitation.candidate_id) == slack_user_id)
        .values(candidate_id=subject_hash, note=None, channel_id=None, message_ts=None)
    )
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.slack_user_id) == slack_user_id, pending_condition())
        .values(cancelled_at=now, claimed_until=None, last_error=CancelReason.ERASED)
    )
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.slack_user_id) == slack_user_id)
        .values(slack_user_id=subject_hash, channel_id=None, slack_ts=None)
    )
    session.execute(delete(SendLock).where(col(SendLock.user_id) == slack_user_id))
    erase_after_yes(session, candidate_id=slack_user_id)
    if candidate is not None:
        session.delete(candidate)


def request_erasure(
    session: Session, *, slack_user_id: str, subject_hash: str, reason: Via, actor: str | None, now: datetime
) -> None:
    """Record, with the opt-out, that this person is to be erased: the suppression holds at once
    (nobody can invite or store them), and the request stays until `erase_person` has run."""
    suppress(session, subject_hash=subject_hash, reason=reason, now=now)
    insert_ignoring_conflicts(
        session,
        table_of(ErasureRequest),
        {"slack_user_id": slack_user_id, "reason": reason, "requested_at": now, "actor": actor},
        ["slack_user_id"],
    )


_LOCKED_REQUEST = (
    select(ErasureRequest).where(col(ErasureRequest.slack_user_id) == bindparam("person")).with_for_update()
)


def lock_erasure_request(session: Session, *, slack_user_id: str) -> ErasureRequest | None:
    return session.execute(_LOCKED_REQUEST, {"person": slack_user_id}).scalar_one_or_none()


def delete_erasure_request(session: Session, *, slack_user_id: str) -> None:
    session.execute(delete(ErasureRequest).where(col(ErasureRequest.slack_user_id) == slack_user_id))


def pending_erasures(session: Session, *, limit: int) -> list[str]:
    """People whose erasure was asked for and not finished, oldest first."""
    statement = (
        select(col(ErasureRequest.slack_user_id))
        .order_by(col(ErasureRequest.requested_at), col(ErasureRequest.slack_user_id))
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def pending_anonymous_people(session: Session, *, up_to_step: int, after: str, limit: int) -> list[str]:
    """People with a welcome DM or opt-in request still queued (queued by step `up_to_step` at
    the latest) and no candidate row: those a purge erases besides the candidates, a page at a
    time in Slack id order."""
    statement = (
        select(col(OutgoingMessage.slack_user_id))
        .where(
            pending_condition(),
            col(OutgoingMessage.kind).in_(sorted(ANONYMOUS)),
            col(OutgoingMessage.id) <= up_to_step,
            col(OutgoingMessage.slack_user_id) > after,
            ~exists().where(col(Candidate.slack_user_id) == col(OutgoingMessage.slack_user_id)),
        )
        .distinct()
        .order_by(col(OutgoingMessage.slack_user_id))
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def purge_horizon(session: Session) -> tuple[int, int]:
    """The newest candidate id and step id now: a purge erases the people known up to here, so
    whoever joins after its confirmation is not erased by it."""
    newest_candidate = session.execute(select(func.max(col(Candidate.id)))).scalar_one_or_none()
    newest_step = session.execute(select(func.max(col(OutgoingMessage.id)))).scalar_one_or_none()
    return newest_candidate or 0, newest_step or 0

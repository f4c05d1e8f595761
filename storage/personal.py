"""What `/nudge mydata` reads besides the candidate's own aggregates: the messages Nudge owes or
sent them, the once-ever messages, a suppression and a pending erasure. Reads only."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import ErasureRequest, OneTimeMessage, OutgoingMessage, Suppression


def messages_to(session: Session, *, slack_user_id: str) -> list[OutgoingMessage]:
    """Every message step addressed to the person (queued, sent, cancelled or failed), oldest first."""
    statement = (
        select(OutgoingMessage)
        .where(col(OutgoingMessage.slack_user_id) == slack_user_id)
        .order_by(col(OutgoingMessage.id))
    )
    return list(session.execute(statement).scalars())


def one_time_messages_of(session: Session, *, subject_hash: str) -> list[OneTimeMessage]:
    """The once-ever messages (welcome DM, opt-in request) recorded for the person's hash."""
    statement = (
        select(OneTimeMessage)
        .where(col(OneTimeMessage.subject_hash) == subject_hash)
        .order_by(col(OneTimeMessage.at), col(OneTimeMessage.kind))
    )
    return list(session.execute(statement).scalars())


def suppression_of(session: Session, *, subject_hash: str) -> Suppression | None:
    return session.get(Suppression, subject_hash)


def erasure_request_of(session: Session, *, slack_user_id: str) -> ErasureRequest | None:
    return session.get(ErasureRequest, slack_user_id)

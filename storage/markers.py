"""Things remembered once: messages a person gets at most once ever (by keyed hash), Slack events
already acted on (dedupe keys), and values Nudge keeps for itself (the hashing key, its
fingerprint)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from storage.models import (
    AppSecret,
    OneTimeMessage,
    ProcessedSlackEvent,
)
from storage.sql import insert_ignoring_conflicts, table_of


def claim_one_time_message(session: Session, *, kind: str, subject_hash: str, now: datetime) -> bool:
    """True the first time ever this kind of message is claimed for this person."""
    return bool(
        insert_ignoring_conflicts(
            session,
            table_of(OneTimeMessage),
            {"kind": kind, "subject_hash": subject_hash, "at": now},
            ["kind", "subject_hash"],
        )
    )


def one_time_message_sent(session: Session, *, kind: str, subject_hash: str) -> bool:
    statement = select(col(OneTimeMessage.kind)).where(
        col(OneTimeMessage.kind) == kind, col(OneTimeMessage.subject_hash) == subject_hash
    )
    return session.execute(statement).first() is not None


def once_ever_markers_among(session: Session, *, subject_hashes: list[str]) -> int:
    """How many of these hashes have a once-ever marker (welcome DM, opt-in request)."""
    if not subject_hashes:
        return 0
    statement = (
        select(func.count()).select_from(OneTimeMessage).where(col(OneTimeMessage.subject_hash).in_(subject_hashes))
    )
    return int(session.execute(statement).scalar_one())


def get_or_create_secret(session: Session, *, name: str, new_value: str, now: datetime) -> str:
    """The stored secret called `name`, storing `new_value` if there is none yet.

    Insert-if-absent then read: when two processes start together, both end up with the one
    value that won.
    """
    insert_ignoring_conflicts(
        session, table_of(AppSecret), {"name": name, "value": new_value, "created_at": now}, ["name"]
    )
    return session.execute(select(col(AppSecret.value)).where(col(AppSecret.name) == name)).scalar_one()


def stored_secret(session: Session, *, name: str) -> str | None:
    """The stored value called `name`, or None; stores nothing."""
    return session.execute(select(col(AppSecret.value)).where(col(AppSecret.name) == name)).scalar_one_or_none()


def claim_slack_event(session: Session, *, keys: list[str], now: datetime) -> bool:
    """Record that these event keys are being acted on; False if any was seen before.

    Call it first in the transaction that applies the event's effect: a retried or duplicated
    delivery then finds its key and changes nothing.
    """
    inserted = 0
    for key in keys:
        inserted += insert_ignoring_conflicts(
            session, table_of(ProcessedSlackEvent), {"key": key, "received_at": now}, ["key"]
        )
    return inserted == len(keys)


def prune_processed_events(session: Session, *, before: datetime) -> int:
    """Forget dedupe keys older than any retry Slack could still send."""
    result = session.execute(
        delete(ProcessedSlackEvent)
        .where(col(ProcessedSlackEvent.received_at) < before)
        .returning(col(ProcessedSlackEvent.key))
    )
    return len(result.all())

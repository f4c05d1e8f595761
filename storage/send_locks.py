"""One send per person at a time: a short lease row per person, taken last in the lock order
(after the person, the invitation and the step), so an opt-out's confirmation can wait for a
message already on its way and nothing is sent after it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlmodel import Session, col

from storage.models import (
    SendLock,
)
from storage.sql import insert_for, table_of


def acquire_send_lock(session: Session, *, user_id: str, holder: str, until: datetime, now: datetime) -> bool:
    """Take the person's send lock unless a live one is held by someone else."""
    table = table_of(SendLock)
    statement = (
        insert_for(session)(table)
        .values(user_id=user_id, holder=holder, until=until)
        .on_conflict_do_update(
            index_elements=["user_id"],
            set_={"holder": holder, "until": until},
            where=or_(table.c.until < now, table.c.holder == holder),
        )
        .returning(table.c.user_id)
    )
    return bool(session.execute(statement).scalars().all())


def release_send_lock(session: Session, *, user_id: str, holder: str) -> None:
    session.execute(delete(SendLock).where(col(SendLock.user_id) == user_id, col(SendLock.holder) == holder))


def send_in_flight(session: Session, *, user_id: str, now: datetime) -> bool:
    statement = select(col(SendLock.user_id)).where(col(SendLock.user_id) == user_id, col(SendLock.until) >= now)
    return session.execute(statement).first() is not None

"""Suppression: a keyed hash of the Slack id of someone who asked to be forgotten (or whom
retention or a purge erased), so nobody can message or store them again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlmodel import Session

from bot.rules.consent import Via
from storage.models import Suppression
from storage.sql import insert_ignoring_conflicts, table_of


def suppress(session: Session, *, subject_hash: str, reason: Via, now: datetime) -> None:
    """Record the suppression (an existing one keeps its first reason and time)."""
    insert_ignoring_conflicts(
        session, table_of(Suppression), {"subject_hash": subject_hash, "reason": reason, "at": now}, ["subject_hash"]
    )


def is_suppressed(session: Session, *, subject_hash: str) -> bool:
    return session.get(Suppression, subject_hash) is not None


_LIFT = delete(table_of(Suppression)).where(table_of(Suppression).c.subject_hash == bindparam("subject"))


def lift_suppression(session: Session, *, subject_hash: str) -> None:
    """The person came back on their own (`join`): the suppression no longer applies."""
    session.execute(_LIFT, {"subject": subject_hash})

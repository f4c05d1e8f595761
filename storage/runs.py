"""Records of whole-app operations: each daily run (once per UTC day across processes), each
workspace purge (who, when, how many), and the durable stop of all sending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col

from storage.models import (
    DailyRun,
    SendingStop,
    WorkspacePurge,
)
from storage.sql import insert_ignoring_conflicts, table_of

SENDING_STOP_KEY = "bot"


def start_daily_run(session: Session, *, job: str, day: str, now: datetime) -> bool:
    """True for the first process to start `job` on `day`; everyone else skips it."""
    return bool(
        insert_ignoring_conflicts(
            session, table_of(DailyRun), {"job": job, "day": day, "started_at": now}, ["job", "day"]
        )
    )


def finish_daily_run(session: Session, *, job: str, day: str, now: datetime) -> None:
    session.execute(update(DailyRun).where(col(DailyRun.job) == job, col(DailyRun.day) == day).values(finished_at=now))


def start_workspace_purge(session: Session, *, actor: str, now: datetime) -> int:
    purge = WorkspacePurge(actor=actor, started_at=now, erased=0)
    session.add(purge)
    session.flush()
    return purge.id


def finish_workspace_purge(session: Session, *, purge_id: int, erased: int, now: datetime) -> None:
    session.execute(
        update(WorkspacePurge).where(col(WorkspacePurge.id) == purge_id).values(finished_at=now, erased=erased)
    )


def stop_sending(session: Session, *, reason: str, now: datetime) -> bool:
    """Record that Slack refused the bot: every process stops sending. True if newly stopped
    (an existing stop keeps its first reason and time)."""
    return bool(
        insert_ignoring_conflicts(
            session, table_of(SendingStop), {"key": SENDING_STOP_KEY, "reason": reason[:64], "at": now}, ["key"]
        )
    )


def sending_stop(session: Session) -> SendingStop | None:
    """Why and since when sending is stopped, or None while it runs."""
    return session.get(SendingStop, SENDING_STOP_KEY, populate_existing=True)


def resume_sending(session: Session) -> bool:
    """Slack accepts the bot again: sending resumes in every process. True if it was stopped."""
    result = session.execute(
        delete(SendingStop).where(col(SendingStop.key) == SENDING_STOP_KEY).returning(col(SendingStop.key))
    )
    return bool(result.all())

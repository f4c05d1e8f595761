"""The webhook queue: events written with the change they report, claimed in order per candidate,
and what an erasure leaves of them (only `candidate.erased`, and not even that once it is done).

The claim takes, per candidate, only the oldest pending event, so a later event never overtakes an
earlier one still being sent or retried. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
processes claim together without waiting on one another; on SQLite the claiming transaction holds
the database's one write lock (`BEGIN IMMEDIATE`), which serialises claims just as safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.sql import insert_ignoring_conflicts, table_of
from storage.webhook_models import WebhookDelivery, WebhookStop

ERASED_TYPE = "candidate.erased"
_STOP_KEY = "endpoint"


def _pending(model=WebhookDelivery):
    return and_(col(model.delivered_at).is_(None), col(model.given_up_at).is_(None))


def enqueue(
    session: Session, *, webhook_id: str, event_type: str, candidate: str | None, data: dict, now: datetime
) -> None:
    session.add(
        WebhookDelivery(
            webhook_id=webhook_id, event_type=event_type, candidate=candidate, data=data, created_at=now, not_before=now
        )
    )


def anything_due(session: Session, *, now: datetime) -> bool:
    """A read (no write lock on SQLite) that lets an idle tick skip the claiming transaction."""
    statement = select(col(WebhookDelivery.id)).where(_pending(), col(WebhookDelivery.not_before) <= now).limit(1)
    return session.execute(statement).first() is not None


def claim_due(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[WebhookDelivery]:
    """Up to `limit` due deliveries, each the oldest pending one of its candidate, held for
    `lease`; the caller commits the claim before sending."""
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        col(earlier.candidate) == col(WebhookDelivery.candidate),
        col(earlier.id) < col(WebhookDelivery.id),
        _pending(earlier),
    )
    statement = (
        select(col(WebhookDelivery.id))
        .where(
            _pending(),
            col(WebhookDelivery.not_before) <= now,
            or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
            ~blocked,
        )
        .order_by(col(WebhookDelivery.not_before), col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.execute(statement).scalars())
    if not ids:
        return []
    session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(ids))
        .values(claimed_until=now + lease, attempts=WebhookDelivery.attempts + 1, last_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(select(WebhookDelivery).where(col(WebhookDelivery.id).in_(ids))).scalars()
    return sorted(rows, key=lambda row: (row.not_before, row.id))


def _ours(delivery_id: int, claimed_until: datetime | None):
    """Only the claim's holder records an outcome: a sender whose lease ran out writes nothing."""
    return and_(
        col(WebhookDelivery.id) == delivery_id,
        col(WebhookDelivery.claimed_until) == claimed_until,
        _pending(),
    )


def record_delivered(session: Session, *, delivery_id: int, claimed_until: datetime | None, status: str, now: datetime):
    """Delivered; an erasure's own event then forgets whom it was about."""
    values: dict = {"delivered_at": now, "claimed_until": None, "last_status": status}
    return _record(session, delivery_id, claimed_until, values)


def record_failed(
    session: Session,
    *,
    delivery_id: int,
    claimed_until: datetime | None,
    status: str,
    retry_at: datetime | None,
    now: datetime,
) -> bool:
    """A failed attempt: due again at `retry_at`, or given up when None."""
    values: dict = {"claimed_until": None, "last_status": status, "last_failed_at": now, "last_failure": status}
    values |= {"not_before": retry_at} if retry_at is not None else {"given_up_at": now}
    return _record(session, delivery_id, claimed_until, values)


def hand_back(session: Session, *, delivery_id: int, claimed_until: datetime | None) -> bool:
    """Give a claimed event back untried: the attempt counted at the claim is taken back."""
    return _record(
        session, delivery_id, claimed_until, {"claimed_until": None, "attempts": WebhookDelivery.attempts - 1}
    )


def _record(session: Session, delivery_id: int, claimed_until: datetime | None, values: dict) -> bool:
    """Record an outcome; then what an erasure asks of this row: an event about an erased person
    that was in flight during the erasure goes, and a finished `candidate.erased` forgets whom it
    was about (so nothing in Nudge keeps their Slack id)."""
    done = session.execute(
        update(WebhookDelivery)
        .where(_ours(delivery_id, claimed_until))
        .values(**values)
        .returning(col(WebhookDelivery.event_type), col(WebhookDelivery.candidate))
        .execution_options(synchronize_session=False)
    ).all()
    if not done:
        return False
    event_type, candidate = done[0]
    finished = "delivered_at" in values or "given_up_at" in values
    if candidate is None:
        return True
    if event_type != ERASED_TYPE and _erasure_waits(session, candidate):
        session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.id) == delivery_id))
    elif event_type == ERASED_TYPE and finished:
        session.execute(
            update(WebhookDelivery).where(col(WebhookDelivery.id) == delivery_id).values(candidate=None, data={})
        )
    return True


def _erasure_waits(session: Session, candidate: str) -> bool:
    statement = select(col(WebhookDelivery.id)).where(
        col(WebhookDelivery.candidate) == candidate, col(WebhookDelivery.event_type) == ERASED_TYPE, _pending()
    )
    return session.execute(statement.limit(1)).first() is not None


def anything_sent_about(session: Session, *, candidate: str) -> bool:
    """Whether the endpoint may hold something about this person: an event about them was
    posted at least once (delivered, failed, or in flight)."""
    statement = select(col(WebhookDelivery.id)).where(
        col(WebhookDelivery.candidate) == candidate, col(WebhookDelivery.attempts) > 0
    )
    return session.execute(statement.limit(1)).first() is not None


def anything_about(session: Session, *, candidate: str) -> bool:
    statement = select(col(WebhookDelivery.id)).where(col(WebhookDelivery.candidate) == candidate)
    return session.execute(statement.limit(1)).first() is not None


def drop_for_erasure(session: Session, *, candidate: str, now: datetime) -> int:
    """Every event about this person goes, pending or done, except a pending `candidate.erased`
    and one being posted right now: that one is deleted when its outcome is recorded, and until
    then it holds `candidate.erased` back, so the receiver hears of the erasure last."""
    in_flight = and_(
        _pending(), col(WebhookDelivery.claimed_until).is_not(None), col(WebhookDelivery.claimed_until) > now
    )
    result = session.execute(
        delete(WebhookDelivery)
        .where(
            col(WebhookDelivery.candidate) == candidate,
            or_(col(WebhookDelivery.event_type) != ERASED_TYPE, ~_pending()),
            ~in_flight,
        )
        .returning(col(WebhookDelivery.id))
        .execution_options(synchronize_session=False)
    )
    return len(result.all())


def events_about(session: Session, *, candidate: str) -> list[WebhookDelivery]:
    statement = (
        select(WebhookDelivery).where(col(WebhookDelivery.candidate) == candidate).order_by(col(WebhookDelivery.id))
    )
    return list(session.execute(statement).scalars())


@dataclass(frozen=True)
class QueueState:
    waiting: int
    oldest_waiting: datetime | None
    last_success: datetime | None
    last_failure: datetime | None
    last_failure_status: str | None
    stopped_at: datetime | None


def queue_state(session: Session, *, endpoint: str) -> QueueState:
    waiting, oldest = session.execute(
        select(func.count(), func.min(col(WebhookDelivery.created_at))).where(_pending())
    ).one()
    last_success = session.execute(select(func.max(col(WebhookDelivery.delivered_at)))).scalar_one()
    failure = session.execute(
        select(col(WebhookDelivery.last_failed_at), col(WebhookDelivery.last_failure))
        .where(col(WebhookDelivery.last_failed_at).is_not(None))
        .order_by(col(WebhookDelivery.last_failed_at).desc())
        .limit(1)
    ).first()
    return QueueState(
        waiting=waiting,
        oldest_waiting=oldest,
        last_success=last_success,
        last_failure=failure[0] if failure else None,
        last_failure_status=failure[1] if failure else None,
        stopped_at=stopped_at(session, endpoint=endpoint),
    )


def backlog(session: Session, *, now: datetime) -> tuple[int, float]:
    """(events waiting, age in seconds of the oldest one) for the metrics."""
    waiting, oldest = session.execute(
        select(func.count(), func.min(col(WebhookDelivery.created_at))).where(_pending())
    ).one()
    return waiting, (now - oldest).total_seconds() if oldest is not None else 0.0


def stopped_at(session: Session, *, endpoint: str) -> datetime | None:
    """When this endpoint answered 410, or None (a stop for another endpoint no longer holds)."""
    row = session.get(WebhookStop, _STOP_KEY, populate_existing=True)
    return row.at if row is not None and row.endpoint == endpoint else None


def stop(session: Session, *, endpoint: str, now: datetime) -> None:
    session.execute(delete(WebhookStop))
    insert_ignoring_conflicts(
        session, table_of(WebhookStop), {"key": _STOP_KEY, "endpoint": endpoint, "at": now}, ["key"]
    )

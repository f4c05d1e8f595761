"""Message steps (`outgoing_message`): queued in the transaction that causes them, claimed with a
lease by one sender at a time, and ended as sent, failed or cancelled — each kept as a record.
Steps are locked after the person and the invitation (the order in `storage`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session, col

from bot.rules.steps import Kind
from storage.models import (
    OutgoingMessage,
)
from storage.sql import insert_for, table_of


def enqueue_message(
    session: Session,
    *,
    slack_user_id: str,
    channel_id: str | None,
    kind: Kind,
    now: datetime,
    not_before: datetime | None = None,
    invitation_id: int | None = None,
) -> int:
    """Queue a message; it is sent after the surrounding transaction commits."""
    message = OutgoingMessage(
        slack_user_id=slack_user_id,
        channel_id=channel_id,
        kind=kind,
        created_at=now,
        not_before=not_before or now,
        invitation_id=invitation_id,
    )
    session.add(message)
    session.flush()
    return message.id


def enqueue_step_once(
    session: Session, *, invitation_id: int, kind: Kind, slack_user_id: str, now: datetime, not_before: datetime
) -> int | None:
    """Queue an invitation's step unless that invitation already has one of this kind for this
    recipient (then None)."""
    ids = (
        session.execute(
            insert_for(session)(table_of(OutgoingMessage))
            .values(
                slack_user_id=slack_user_id,
                kind=kind,
                created_at=now,
                not_before=not_before,
                invitation_id=invitation_id,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["invitation_id", "kind", "slack_user_id"])
            .returning(col(OutgoingMessage.id))
        )
        .scalars()
        .all()
    )
    return ids[0] if ids else None


def _pending():
    return and_(
        col(OutgoingMessage.sent_at).is_(None),
        col(OutgoingMessage.failed_at).is_(None),
        col(OutgoingMessage.cancelled_at).is_(None),
    )


def pending_condition():
    """Steps not yet sent, failed or cancelled (for queries outside this module)."""
    return _pending()


def _claimable(now: datetime):
    return and_(
        _pending(),
        col(OutgoingMessage.not_before) <= now,
        or_(col(OutgoingMessage.claimed_until).is_(None), col(OutgoingMessage.claimed_until) < now),
    )


def cancel_steps(
    session: Session,
    *,
    now: datetime,
    reason: str,
    invitation_id: int | None = None,
    slack_user_id: str | None = None,
    kinds: frozenset[Kind] | None = None,
) -> int:
    """Cancel steps not yet sent (for an invitation, or a person), optionally of some kinds."""
    conditions = [_pending()]
    if invitation_id is not None:
        conditions.append(col(OutgoingMessage.invitation_id) == invitation_id)
    if slack_user_id is not None:
        conditions.append(col(OutgoingMessage.slack_user_id) == slack_user_id)
    if kinds is not None:
        conditions.append(col(OutgoingMessage.kind).in_(sorted(kinds)))
    result = session.execute(
        update(OutgoingMessage)
        .where(*conditions)
        .values(cancelled_at=now, claimed_until=None, last_error=str(reason)[:200])
        .returning(col(OutgoingMessage.id))
    )
    return len(result.all())


def _ours(message_id: int, held: datetime | None):
    """The step, if our claim on it still stands (`held` is our `claimed_until`). A sender whose
    lease ran out must not undo the claim of the sender that took the step over."""
    conditions = [col(OutgoingMessage.id) == message_id]
    if held is not None:
        conditions.append(col(OutgoingMessage.claimed_until) == held)
    return and_(*conditions)


def release_claim(
    session: Session, *, message_id: int, not_before: datetime, reason: str | None = None, held: datetime | None = None
) -> bool:
    """Give a claimed step back to wait: it becomes due again at `not_before` (not an attempt)."""
    result = session.execute(
        update(OutgoingMessage)
        .where(_ours(message_id, held))
        .values(claimed_until=None, not_before=not_before, last_error=reason)
        .returning(col(OutgoingMessage.id))
    )
    return bool(result.all())


def renew_claim(
    session: Session, *, message_id: int, held: datetime | None, now: datetime, lease: timedelta
) -> datetime | None:
    """Extend our claim from `now`; None if it is no longer ours (another sender took it over)."""
    if held is None:
        return None
    renewed = now + lease
    result = session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id, col(OutgoingMessage.claimed_until) == held, _pending())
        .values(claimed_until=renewed)
        .returning(col(OutgoingMessage.id))
    )
    return renewed if result.all() else None


def count_attempt(session: Session, *, message_id: int) -> int:
    """Record that a try at this step is being made (a Slack read before a send, or the send
    itself); returns the attempt number, which `MAX_ATTEMPTS` bounds."""
    return session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id)
        .values(attempts=col(OutgoingMessage.attempts) + 1)
        .returning(col(OutgoingMessage.attempts))
    ).scalar_one()


def note_post_attempt(session: Session, *, message_id: int, now: datetime) -> datetime | None:
    """Record that a post of this step is about to be made. Returns when an earlier post was
    first attempted (it may have reached Slack: reconcile from then), or None for the first.
    A first post (the usual case) costs one statement: the mark is set only where none is."""
    first = session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id, col(OutgoingMessage.first_post_at).is_(None))
        .values(first_post_at=now)
        .returning(col(OutgoingMessage.id))
    ).all()
    if first:
        return None
    return session.execute(
        select(col(OutgoingMessage.first_post_at)).where(col(OutgoingMessage.id) == message_id)
    ).scalar_one()


def claim_due_statement(*, now: datetime, limit: int = 1, exclude: frozenset[int] = frozenset()):
    """The tick's claim query: due pending steps in due order, served by the partial index
    `ix_outgoing_message_pending` (same predicate), so its cost follows the due rows, not the
    steps ever written."""
    statement = (
        select(col(OutgoingMessage.id))
        .where(_claimable(now))
        .order_by(col(OutgoingMessage.not_before), col(OutgoingMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if exclude:
        statement = statement.where(col(OutgoingMessage.id).not_in(sorted(exclude)))
    return statement


def count_due(session: Session, *, now: datetime) -> int:
    """Pending steps due by `now` (the backlog; the pending-steps index serves it)."""
    statement = (
        select(func.count()).select_from(OutgoingMessage).where(_pending(), col(OutgoingMessage.not_before) <= now)
    )
    return session.execute(statement).scalar_one()


def claim_due(
    session: Session, *, now: datetime, lease: timedelta, limit: int = 1, exclude: frozenset[int] = frozenset()
) -> list[int]:
    """Claim up to `limit` due steps for this process in one statement: `LIMIT n … FOR UPDATE
    SKIP LOCKED` on PostgreSQL, so processes polling together each get different rows instead
    of queueing behind one another (SQLite ignores the clause; there one process sends, and the
    write lock taken up front serialises claims); the lease then keeps them ours until we
    finish or die."""
    statement = claim_due_statement(now=now, limit=limit, exclude=exclude)
    ids = list(session.execute(statement).scalars())
    if ids:
        session.execute(
            update(OutgoingMessage)
            .where(col(OutgoingMessage.id).in_(ids))
            .values(claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return ids


def claim_message(session: Session, *, message_id: int, now: datetime, lease: timedelta) -> OutgoingMessage | None:
    """Take the right to send one message until the lease ends; None if someone else holds it.

    The conditional UPDATE is atomic on both databases, so two senders can never both win.
    """
    claimed = session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id, _claimable(now))
        .values(claimed_until=now + lease)
        .returning(col(OutgoingMessage.id))
        .execution_options(synchronize_session=False)
    ).all()
    if len(claimed) != 1:
        return None
    return session.get(OutgoingMessage, message_id, populate_existing=True)


def mark_message_sent(
    session: Session, *, message_id: int, slack_ts: str | None, channel_id: str, now: datetime
) -> None:
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id)
        .values(sent_at=now, slack_ts=slack_ts, channel_id=channel_id, claimed_until=None, last_error=None)
    )


def mark_message_cancelled(
    session: Session, *, message_id: int, reason: str, now: datetime, held: datetime | None = None
) -> bool:
    """The step is no longer wanted (opted out, answered, role closed …): kept as a record."""
    result = session.execute(
        update(OutgoingMessage)
        .where(_ours(message_id, held))
        .values(claimed_until=None, cancelled_at=now, last_error=str(reason)[:200])
        .returning(col(OutgoingMessage.id))
    )
    return bool(result.all())


def mark_message_failed(session: Session, *, message_id: int, error: str, now: datetime) -> None:
    """Stop trying; the row stays as a visible record of what was not delivered and why. A step
    already recorded as sent (a click proved its delivery) stays sent."""
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id, _pending())
        .values(claimed_until=None, failed_at=now, last_error=error[:200])
    )


def mark_invitation_step_delivered(
    session: Session, *, invitation_id: int, kind: Kind, channel_id: str, slack_ts: str, now: datetime
) -> None:
    """A click on the message proved this invitation step reached Slack: record it as sent even
    if its sender has not heard Slack's answer yet (the sender then records nothing twice)."""
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.invitation_id) == invitation_id, col(OutgoingMessage.kind) == kind, _pending())
        .values(sent_at=now, slack_ts=slack_ts, channel_id=channel_id, claimed_until=None, last_error=None)
    )


def recipients(session: Session, *, message_ids: list[int], kinds: frozenset[Kind]) -> list[str]:
    """Who the given steps (of these kinds) go to."""
    if not message_ids:
        return []
    statement = select(col(OutgoingMessage.slack_user_id)).where(
        col(OutgoingMessage.id).in_(message_ids), col(OutgoingMessage.kind).in_(sorted(kinds))
    )
    return list(session.execute(statement).scalars())


def get_message(session: Session, *, message_id: int) -> OutgoingMessage | None:
    return session.get(OutgoingMessage, message_id, populate_existing=True)


def anonymize_message(session: Session, *, message_id: int, subject_hash: str) -> None:
    """Replace a sent message's recipient with its keyed hash (for people who never joined)."""
    session.execute(
        update(OutgoingMessage)
        .where(col(OutgoingMessage.id) == message_id)
        .values(slack_user_id=subject_hash, channel_id=None)
    )


def pending_step_exists(session: Session, *, slack_user_id: str, kind: Kind) -> bool:
    statement = select(col(OutgoingMessage.id)).where(
        col(OutgoingMessage.slack_user_id) == slack_user_id, col(OutgoingMessage.kind) == kind, _pending()
    )
    return session.execute(statement).first() is not None


def pending_invitation_ids(session: Session, *, slack_user_id: str, kind: Kind) -> list[int]:
    """The invitations whose pending step of this kind goes to this person."""
    statement = select(col(OutgoingMessage.invitation_id)).where(
        col(OutgoingMessage.slack_user_id) == slack_user_id,
        col(OutgoingMessage.kind) == kind,
        col(OutgoingMessage.invitation_id).is_not(None),
        _pending(),
    )
    return [invitation_id for invitation_id in session.execute(statement).scalars() if invitation_id is not None]

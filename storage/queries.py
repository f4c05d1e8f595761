"""Every query Nudge runs. Functions take the session as a keyword argument and never commit:
the caller owns the transaction, so an effect and its bookkeeping land together or not at all.

Lock order (PostgreSQL row locks; SQLite takes its one write lock up front): a transaction that
locks several of a person's rows takes them in this order, and only in this order:

    candidate  ->  invitation  ->  outgoing_message (steps)  ->  send_lock

(the person first: `lock_existing_candidate` / `lock_candidate`, then `get_invitation(...,
for_update=True)`, then step updates such as `renew_claim`, `cancel_steps`, `mark_*`, then the
send lock). A click, an opt-out and the sender all follow it, so two of them can wait for one
another but never in a circle. The claim of due steps (`claim_due`, `claim_message`) locks steps
only, in its own transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.rules.consent import INVITATIONS_SCOPE, ConsentChange, ConsentStatus
from storage.models import (
    AppSecret,
    Candidate,
    ConsentEvent,
    DailyRun,
    ErasureRequest,
    OneTimeMessage,
    OutgoingMessage,
    ProcessedSlackEvent,
    SendingStop,
    SendLock,
    Suppression,
    WorkspacePurge,
)


def _insert_ignoring_conflicts(session: Session, table, values: dict, conflict_columns: list[str]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on either database; returns the number of rows inserted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*table.primary_key.columns)
    )
    # RETURNING, not rowcount: psycopg reports -1 for this statement through SQLAlchemy.
    return len(session.execute(statement).all())


# --- candidates and consent -------------------------------------------------------------------


def lock_candidate(session: Session, *, slack_user_id: str, subject_hash: str, now: datetime) -> Candidate | None:
    """The candidate row for this user, created if new and locked for the rest of the transaction;
    None for someone erased (`subject_hash` is suppressed) whom Nudge no longer stores.

    This is the one place a candidate row is created, so the suppression is checked here: no
    command, button or keyword can store an erased person again. Only they can come back, with
    `join`, which lifts their suppression first.

    Locking serialises concurrent consent changes for one person (two quick clicks, a command and
    a keyword), so each sees the other's result and the ledger never records a no-op twice.
    """
    existing = lock_existing_candidate(session, slack_user_id=slack_user_id)
    if existing is not None:
        return existing
    if is_suppressed(session, subject_hash=subject_hash):
        return None
    _insert_ignoring_conflicts(
        session,
        Candidate.__table__,
        {
            "slack_user_id": slack_user_id,
            "consent_status": ConsentStatus.NOT_JOINED.value,
            "created_at": now,
            "updated_at": now,
            "interests": [],
            "never_companies": [],
        },
        ["slack_user_id"],
    )
    return lock_existing_candidate(session, slack_user_id=slack_user_id)


def consent_status(session: Session, *, slack_user_id: str) -> ConsentStatus:
    """Current status; people Nudge has never stored have not joined."""
    value = session.execute(
        select(Candidate.consent_status).where(Candidate.slack_user_id == slack_user_id)
    ).scalar_one_or_none()
    return ConsentStatus(value) if value else ConsentStatus.NOT_JOINED


def apply_consent_change(
    session: Session,
    *,
    candidate: Candidate,
    change: ConsentChange,
    via: str,
    wording_version: str,
    actor: str,
    now: datetime,
) -> None:
    """Store a consent change and its ledger row together; a no-op change writes nothing."""
    if not change.changed:
        return
    candidate.consent_status = change.after.value
    candidate.paused_until = None  # joining again starts fresh; opting out makes a pause moot
    candidate.updated_at = now
    session.add(candidate)
    record_ledger_event(
        session,
        subject=candidate.slack_user_id,
        scope=INVITATIONS_SCOPE,
        action=change.action.value,
        via=via,
        wording_version=wording_version,
        actor=actor,
        now=now,
    )


def consent_history(session: Session, *, subject: str) -> list[ConsentEvent]:
    """The ledger for one person, oldest first."""
    statement = select(ConsentEvent).where(ConsentEvent.subject == subject).order_by(ConsentEvent.id)
    return list(session.execute(statement).scalars())


# --- Slack event de-duplication ----------------------------------------------------------------


def claim_slack_event(session: Session, *, keys: list[str], now: datetime) -> bool:
    """Record that these event keys are being acted on; False if any was seen before.

    Call it first in the transaction that applies the event's effect: a retried or duplicated
    delivery then finds its key and changes nothing.
    """
    inserted = 0
    for key in keys:
        inserted += _insert_ignoring_conflicts(
            session, ProcessedSlackEvent.__table__, {"key": key, "received_at": now}, ["key"]
        )
    return inserted == len(keys)


# --- outgoing messages --------------------------------------------------------------------------


def enqueue_message(
    session: Session,
    *,
    slack_user_id: str,
    channel_id: str | None,
    kind: str,
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
    session: Session, *, invitation_id: int, kind: str, slack_user_id: str, now: datetime, not_before: datetime
) -> int | None:
    """Queue an invitation's step unless that invitation already has one of this kind (then None)."""
    ids = (
        session.execute(
            _insert_for(session)(OutgoingMessage.__table__)
            .values(
                slack_user_id=slack_user_id,
                kind=kind,
                created_at=now,
                not_before=not_before,
                invitation_id=invitation_id,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["invitation_id", "kind"])
            .returning(OutgoingMessage.id)
        )
        .scalars()
        .all()
    )
    return ids[0] if ids else None


def _insert_for(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _pending():
    return and_(
        OutgoingMessage.sent_at.is_(None),
        OutgoingMessage.failed_at.is_(None),
        OutgoingMessage.cancelled_at.is_(None),
    )


def pending_condition():
    """Steps not yet sent, failed or cancelled (for queries outside this module)."""
    return _pending()


def _claimable(now: datetime):
    return and_(
        _pending(),
        OutgoingMessage.not_before <= now,
        or_(OutgoingMessage.claimed_until.is_(None), OutgoingMessage.claimed_until < now),
    )


def cancel_steps(
    session: Session,
    *,
    now: datetime,
    reason: str,
    invitation_id: int | None = None,
    slack_user_id: str | None = None,
    kinds: frozenset[str] | None = None,
) -> int:
    """Cancel steps not yet sent (for an invitation, or a person), optionally of some kinds."""
    conditions = [_pending()]
    if invitation_id is not None:
        conditions.append(OutgoingMessage.invitation_id == invitation_id)
    if slack_user_id is not None:
        conditions.append(OutgoingMessage.slack_user_id == slack_user_id)
    if kinds is not None:
        conditions.append(OutgoingMessage.kind.in_(sorted(kinds)))
    result = session.execute(
        update(OutgoingMessage)
        .where(*conditions)
        .values(cancelled_at=now, claimed_until=None, last_error=reason[:200])
        .returning(OutgoingMessage.id)
    )
    return len(result.all())


def _ours(message_id: int, held: datetime | None):
    """The step, if our claim on it still stands (`held` is our `claimed_until`). A sender whose
    lease ran out must not undo the claim of the sender that took the step over."""
    conditions = [OutgoingMessage.id == message_id]
    if held is not None:
        conditions.append(OutgoingMessage.claimed_until == held)
    return and_(*conditions)


def release_claim(
    session: Session, *, message_id: int, not_before: datetime, reason: str | None = None, held: datetime | None = None
) -> bool:
    """Give a claimed step back to wait: it becomes due again at `not_before` (not an attempt)."""
    result = session.execute(
        update(OutgoingMessage)
        .where(_ours(message_id, held))
        .values(claimed_until=None, not_before=not_before, last_error=reason)
        .returning(OutgoingMessage.id)
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
        .where(OutgoingMessage.id == message_id, OutgoingMessage.claimed_until == held, _pending())
        .values(claimed_until=renewed)
        .returning(OutgoingMessage.id)
    )
    return renewed if result.all() else None


def count_attempt(session: Session, *, message_id: int) -> int:
    """Record that a try at this step is being made (a Slack read before a send, or the send
    itself); returns the attempt number, which `MAX_ATTEMPTS` bounds."""
    session.execute(
        update(OutgoingMessage).where(OutgoingMessage.id == message_id).values(attempts=OutgoingMessage.attempts + 1)
    )
    return session.execute(select(OutgoingMessage.attempts).where(OutgoingMessage.id == message_id)).scalar_one()


def note_post_attempt(session: Session, *, message_id: int, now: datetime) -> datetime | None:
    """Record that a post of this step is about to be made. Returns when an earlier post was
    first attempted (it may have reached Slack: reconcile from then), or None for the first."""
    earlier = session.execute(
        select(OutgoingMessage.first_post_at).where(OutgoingMessage.id == message_id)
    ).scalar_one()
    if earlier is None:
        session.execute(update(OutgoingMessage).where(OutgoingMessage.id == message_id).values(first_post_at=now))
    return earlier


# --- the durable stop of all sending ------------------------------------------------------------

SENDING_STOP_KEY = "bot"


def stop_sending(session: Session, *, reason: str, now: datetime) -> bool:
    """Record that Slack refused the bot: every process stops sending. True if newly stopped
    (an existing stop keeps its first reason and time)."""
    return bool(
        _insert_ignoring_conflicts(
            session, SendingStop.__table__, {"key": SENDING_STOP_KEY, "reason": reason[:64], "at": now}, ["key"]
        )
    )


def sending_stop(session: Session) -> SendingStop | None:
    """Why and since when sending is stopped, or None while it runs."""
    return session.get(SendingStop, SENDING_STOP_KEY, populate_existing=True)


def resume_sending(session: Session) -> bool:
    """Slack accepts the bot again: sending resumes in every process. True if it was stopped."""
    result = session.execute(delete(SendingStop).where(SendingStop.key == SENDING_STOP_KEY).returning(SendingStop.key))
    return bool(result.all())


# --- one send per person at a time -----------------------------------------------------------------


def acquire_send_lock(session: Session, *, user_id: str, holder: str, until: datetime, now: datetime) -> bool:
    """Take the person's send lock unless a live one is held by someone else."""
    table = SendLock.__table__
    statement = (
        _insert_for(session)(table)
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
    session.execute(delete(SendLock).where(SendLock.user_id == user_id, SendLock.holder == holder))


def send_in_flight(session: Session, *, user_id: str, now: datetime) -> bool:
    statement = select(SendLock.user_id).where(SendLock.user_id == user_id, SendLock.until >= now)
    return session.execute(statement).first() is not None


def lock_existing_candidate(session: Session, *, slack_user_id: str) -> Candidate | None:
    """The candidate row, locked for the transaction, without creating one."""
    statement = select(Candidate).where(Candidate.slack_user_id == slack_user_id).with_for_update()
    return session.execute(statement).scalar_one_or_none()


def claim_due_statement(*, now: datetime, limit: int = 1, exclude: frozenset[int] = frozenset()):
    """The tick's claim query: due pending steps in due order, served by the partial index
    `ix_outgoing_message_pending` (same predicate), so its cost follows the due rows, not the
    steps ever written."""
    statement = (
        select(OutgoingMessage.id)
        .where(_claimable(now))
        .order_by(OutgoingMessage.not_before, OutgoingMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if exclude:
        statement = statement.where(OutgoingMessage.id.not_in(sorted(exclude)))
    return statement


def count_due(session: Session, *, now: datetime) -> int:
    """Pending steps due by `now` (the backlog; the pending-steps index serves it)."""
    statement = select(func.count()).select_from(OutgoingMessage).where(_pending(), OutgoingMessage.not_before <= now)
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
            .where(OutgoingMessage.id.in_(ids))
            .values(claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return ids


def claim_message(session: Session, *, message_id: int, now: datetime, lease: timedelta) -> OutgoingMessage | None:
    """Take the right to send one message until the lease ends; None if someone else holds it.

    The conditional UPDATE is atomic on both databases, so two senders can never both win.
    """
    result = session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id, _claimable(now))
        .values(claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return session.get(OutgoingMessage, message_id, populate_existing=True)


def mark_message_sent(
    session: Session, *, message_id: int, slack_ts: str | None, channel_id: str, now: datetime
) -> None:
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id)
        .values(sent_at=now, slack_ts=slack_ts, channel_id=channel_id, claimed_until=None, last_error=None)
    )


def mark_message_cancelled(
    session: Session, *, message_id: int, reason: str, now: datetime, held: datetime | None = None
) -> bool:
    """The step is no longer wanted (opted out, answered, role closed …): kept as a record."""
    result = session.execute(
        update(OutgoingMessage)
        .where(_ours(message_id, held))
        .values(claimed_until=None, cancelled_at=now, last_error=reason[:200])
        .returning(OutgoingMessage.id)
    )
    return bool(result.all())


def mark_message_failed(session: Session, *, message_id: int, error: str, now: datetime) -> None:
    """Stop trying; the row stays as a visible record of what was not delivered and why. A step
    already recorded as sent (a click proved its delivery) stays sent."""
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id, _pending())
        .values(claimed_until=None, failed_at=now, last_error=error[:200])
    )


def mark_invitation_step_delivered(
    session: Session, *, invitation_id: int, kind: str, channel_id: str, slack_ts: str, now: datetime
) -> None:
    """A click on the message proved this invitation step reached Slack: record it as sent even
    if its sender has not heard Slack's answer yet (the sender then records nothing twice)."""
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.invitation_id == invitation_id, OutgoingMessage.kind == kind, _pending())
        .values(sent_at=now, slack_ts=slack_ts, channel_id=channel_id, claimed_until=None, last_error=None)
    )


def recipients(session: Session, *, message_ids: list[int], kinds: frozenset[str]) -> list[str]:
    """Who the given steps (of these kinds) go to."""
    if not message_ids:
        return []
    statement = select(OutgoingMessage.slack_user_id).where(
        OutgoingMessage.id.in_(message_ids), OutgoingMessage.kind.in_(sorted(kinds))
    )
    return list(session.execute(statement).scalars())


def get_message(session: Session, *, message_id: int) -> OutgoingMessage | None:
    return session.get(OutgoingMessage, message_id, populate_existing=True)


# --- self-service ---------------------------------------------------------------------------------


def get_candidate(session: Session, *, slack_user_id: str) -> Candidate | None:
    return session.execute(select(Candidate).where(Candidate.slack_user_id == slack_user_id)).scalar_one_or_none()


def record_ledger_event(
    session: Session,
    *,
    subject: str,
    scope: str,
    action: str,
    via: str,
    wording_version: str,
    actor: str,
    now: datetime,
) -> None:
    """Append one ledger row (the ledger is never updated or deleted in place)."""
    session.add(
        ConsentEvent(
            subject=subject, scope=scope, action=action, via=via, wording_version=wording_version, actor=actor, at=now
        )
    )


def remember_dm_channel(session: Session, *, slack_user_id: str, channel_id: str) -> None:
    """Store the DM channel Slack named for this person (people Nudge stores only)."""
    session.execute(
        update(Candidate)
        .where(
            Candidate.slack_user_id == slack_user_id,
            or_(Candidate.dm_channel_id.is_(None), Candidate.dm_channel_id != channel_id),
        )
        .values(dm_channel_id=channel_id)
    )


def remember_slack_tz(session: Session, *, slack_user_id: str, tz: str | None, now: datetime) -> None:
    """Cache the time zone Slack reports, for people Nudge already stores (no row is created)."""
    session.execute(
        update(Candidate).where(Candidate.slack_user_id == slack_user_id).values(slack_tz=tz, slack_tz_checked_at=now)
    )


def get_or_create_secret(session: Session, *, name: str, new_value: str, now: datetime) -> str:
    """The stored secret called `name`, storing `new_value` if there is none yet.

    Insert-if-absent then read: when two processes start together, both end up with the one
    value that won.
    """
    _insert_ignoring_conflicts(
        session, AppSecret.__table__, {"name": name, "value": new_value, "created_at": now}, ["name"]
    )
    return session.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar_one()


def stored_secret(session: Session, *, name: str) -> str | None:
    """The stored value called `name`, or None; stores nothing."""
    return session.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar_one_or_none()


def claim_one_time_message(session: Session, *, kind: str, subject_hash: str, now: datetime) -> bool:
    """True the first time ever this kind of message is claimed for this person."""
    return bool(
        _insert_ignoring_conflicts(
            session,
            OneTimeMessage.__table__,
            {"kind": kind, "subject_hash": subject_hash, "at": now},
            ["kind", "subject_hash"],
        )
    )


def once_ever_markers_among(session: Session, *, subject_hashes: list[str]) -> int:
    """How many of these hashes have a once-ever marker (welcome DM, opt-in request)."""
    if not subject_hashes:
        return 0
    statement = select(func.count()).select_from(OneTimeMessage).where(OneTimeMessage.subject_hash.in_(subject_hashes))
    return int(session.execute(statement).scalar_one())


def candidate_ids_after(session: Session, *, after_id: int, limit: int) -> list[tuple[int, str]]:
    """One page of (id, Slack id) of candidates in primary-key order."""
    statement = (
        select(Candidate.id, Candidate.slack_user_id).where(Candidate.id > after_id).order_by(Candidate.id).limit(limit)
    )
    return [(row.id, row.slack_user_id) for row in session.execute(statement)]


def one_time_message_sent(session: Session, *, kind: str, subject_hash: str) -> bool:
    statement = select(OneTimeMessage.kind).where(
        OneTimeMessage.kind == kind, OneTimeMessage.subject_hash == subject_hash
    )
    return session.execute(statement).first() is not None


def anonymize_message(session: Session, *, message_id: int, subject_hash: str) -> None:
    """Replace a sent message's recipient with its keyed hash (for people who never joined)."""
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id)
        .values(slack_user_id=subject_hash, channel_id=None)
    )


# --- erasure, suppression and daily runs -------------------------------------------------------------


def is_suppressed(session: Session, *, subject_hash: str) -> bool:
    return session.get(Suppression, subject_hash) is not None


def lift_suppression(session: Session, *, subject_hash: str) -> None:
    """The person came back on their own (`join`): the suppression no longer applies."""
    session.execute(delete(Suppression).where(Suppression.subject_hash == subject_hash))


def erase_person(session: Session, *, slack_user_id: str, subject_hash: str, reason: str, now: datetime) -> None:
    """Erase everything personal about one person and keep a suppression record.

    The ledger stays (it is the compliance record) but is re-keyed to the hash and keeps no free
    text; invitations and message steps are re-keyed and lose notes and channel ids; the
    candidate row and their send lock are deleted (event dedupe keys name no one: see
    `ProcessedSlackEvent`).
    """
    from storage.models import Invitation

    _insert_ignoring_conflicts(
        session, Suppression.__table__, {"subject_hash": subject_hash, "reason": reason, "at": now}, ["subject_hash"]
    )
    candidate = lock_existing_candidate(session, slack_user_id=slack_user_id)  # the person first (lock order)
    session.execute(update(ConsentEvent).where(ConsentEvent.subject == slack_user_id).values(subject=subject_hash))
    session.execute(update(ConsentEvent).where(ConsentEvent.actor == slack_user_id).values(actor=subject_hash))
    session.execute(
        update(Invitation)
        .where(Invitation.candidate_id == slack_user_id, Invitation.status == "queued")
        .values(status="cancelled", cancelled_at=now, cancel_reason="erased")
    )
    session.execute(
        update(Invitation)
        .where(Invitation.candidate_id == slack_user_id)
        .values(candidate_id=subject_hash, note=None, channel_id=None, message_ts=None)
    )
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.slack_user_id == slack_user_id, _pending())
        .values(cancelled_at=now, claimed_until=None, last_error="erased")
    )
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.slack_user_id == slack_user_id)
        .values(slack_user_id=subject_hash, channel_id=None, slack_ts=None)
    )
    session.execute(delete(SendLock).where(SendLock.user_id == slack_user_id))
    from storage.sharing import erase_after_yes

    erase_after_yes(session, candidate_id=slack_user_id)
    if candidate is not None:
        session.delete(candidate)
    record_ledger_event(
        session,
        subject=subject_hash,
        scope="invitations",
        action="erased",
        via=reason,
        wording_version="erasure",
        actor=subject_hash if reason == "command" else "nudge",
        now=now,
    )


def request_erasure(session: Session, *, slack_user_id: str, subject_hash: str, reason: str, now: datetime) -> None:
    """Record, with the opt-out, that this person is to be erased: the suppression holds at once
    (nobody can invite or store them), and the request stays until `erase_person` has run."""
    _insert_ignoring_conflicts(
        session, Suppression.__table__, {"subject_hash": subject_hash, "reason": reason, "at": now}, ["subject_hash"]
    )
    _insert_ignoring_conflicts(
        session,
        ErasureRequest.__table__,
        {"slack_user_id": slack_user_id, "reason": reason, "requested_at": now},
        ["slack_user_id"],
    )


def lock_erasure_request(session: Session, *, slack_user_id: str) -> ErasureRequest | None:
    statement = select(ErasureRequest).where(ErasureRequest.slack_user_id == slack_user_id).with_for_update()
    return session.execute(statement).scalar_one_or_none()


def delete_erasure_request(session: Session, *, slack_user_id: str) -> None:
    session.execute(delete(ErasureRequest).where(ErasureRequest.slack_user_id == slack_user_id))


def pending_erasures(session: Session, *, limit: int) -> list[str]:
    """People whose erasure was asked for and not finished, oldest first."""
    statement = (
        select(ErasureRequest.slack_user_id)
        .order_by(ErasureRequest.requested_at, ErasureRequest.slack_user_id)
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def ledger_page(session: Session, *, since: datetime | None, after_id: int, limit: int) -> list[ConsentEvent]:
    """One page of the consent ledger in id order (keyset: `id > after_id`), from `since` on."""
    statement = select(ConsentEvent).where(ConsentEvent.id > after_id).order_by(ConsentEvent.id).limit(limit)
    if since is not None:
        statement = statement.where(ConsentEvent.at >= since)
    return list(session.execute(statement).scalars())


def start_workspace_purge(session: Session, *, actor: str, now: datetime) -> int:
    purge = WorkspacePurge(actor=actor, started_at=now, erased=0)
    session.add(purge)
    session.flush()
    return purge.id


def finish_workspace_purge(session: Session, *, purge_id: int, erased: int, now: datetime) -> None:
    session.execute(update(WorkspacePurge).where(WorkspacePurge.id == purge_id).values(finished_at=now, erased=erased))


def candidate_ids_after(session: Session, *, after_id: int, limit: int) -> list[tuple[int, str]]:
    """(row id, Slack id) of one page of candidates in primary-key order."""
    statement = (
        select(Candidate.id, Candidate.slack_user_id).where(Candidate.id > after_id).order_by(Candidate.id).limit(limit)
    )
    return [tuple(row) for row in session.execute(statement).all()]


def start_daily_run(session: Session, *, job: str, day: str, now: datetime) -> bool:
    """True for the first process to start `job` on `day`; everyone else skips it."""
    return bool(
        _insert_ignoring_conflicts(
            session, DailyRun.__table__, {"job": job, "day": day, "started_at": now}, ["job", "day"]
        )
    )


def finish_daily_run(session: Session, *, job: str, day: str, now: datetime) -> None:
    session.execute(update(DailyRun).where(DailyRun.job == job, DailyRun.day == day).values(finished_at=now))


def consents_since(session: Session, *, slack_user_ids: list[str]) -> dict[str, datetime]:
    """When each person's current opt-in was given or last renewed (absent: never), for a page
    of people in one grouped query."""
    if not slack_user_ids:
        return {}
    statement = (
        select(ConsentEvent.subject, func.max(ConsentEvent.at))
        .where(
            ConsentEvent.subject.in_(slack_user_ids),
            ConsentEvent.scope == "invitations",
            ConsentEvent.action.in_(("granted", "renewed")),
        )
        .group_by(ConsentEvent.subject)
    )
    return {subject: at for subject, at in session.execute(statement)}


def last_contacts(session: Session, *, candidates: list) -> dict[str, datetime]:
    """Each person's latest sign of contact (a change to them, a ledger event, a message sent),
    for a page of people in two grouped queries instead of two per person."""
    if not candidates:
        return {}
    ids = [c.slack_user_id for c in candidates]
    latest = {c.slack_user_id: max(m for m in (c.updated_at, c.created_at) if m is not None) for c in candidates}
    ledger = (
        select(ConsentEvent.subject, func.max(ConsentEvent.at))
        .where(ConsentEvent.subject.in_(ids))
        .group_by(ConsentEvent.subject)
    )
    sent = (
        select(OutgoingMessage.slack_user_id, func.max(OutgoingMessage.sent_at))
        .where(OutgoingMessage.slack_user_id.in_(ids))
        .group_by(OutgoingMessage.slack_user_id)
    )
    for statement in (ledger, sent):
        for user_id, at in session.execute(statement):
            if at is not None and at > latest[user_id]:
                latest[user_id] = at
    return latest


def candidates_after(session: Session, *, after_id: int, limit: int) -> list:
    """One page of candidates in primary-key order (keyset pagination: `id > after_id`), so a
    job over everyone holds one page in memory and each page is a short read.

    Rows, not ORM objects, and only the columns the daily jobs decide on (`id`, `slack_user_id`,
    `consent_status`, `renewal_asked_at`, `created_at`, `updated_at`): building a full object per
    person was most of the job's CPU, taken from the threads answering Slack."""
    statement = (
        select(
            Candidate.id,
            Candidate.slack_user_id,
            Candidate.consent_status,
            Candidate.renewal_asked_at,
            Candidate.created_at,
            Candidate.updated_at,
        )
        .where(Candidate.id > after_id)
        .order_by(Candidate.id)
        .limit(limit)
    )
    return list(session.execute(statement))


def pending_step_exists(session: Session, *, slack_user_id: str, kind: str) -> bool:
    statement = select(OutgoingMessage.id).where(
        OutgoingMessage.slack_user_id == slack_user_id, OutgoingMessage.kind == kind, _pending()
    )
    return session.execute(statement).first() is not None


def prune_processed_events(session: Session, *, before: datetime) -> int:
    """Forget dedupe keys older than any retry Slack could still send."""
    result = session.execute(
        delete(ProcessedSlackEvent).where(ProcessedSlackEvent.received_at < before).returning(ProcessedSlackEvent.key)
    )
    return len(result.all())

"""Candidates: the person's row (created in one place, never for someone erased), how they
stand, and the pages of people the daily jobs and purges walk through. The caller owns the
transaction; row locks follow the order in `storage` (the person first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlmodel import Session, col

from bot.rules.consent import INVITATIONS_SCOPE, Action, ConsentStatus
from bot.rules.timing import DailyCutoffs
from storage.models import (
    Candidate,
    ConsentEvent,
    OutgoingMessage,
)
from storage.sql import insert_for, table_of
from storage.suppression import is_suppressed

# The statements of every request, built once (with bound parameters) rather than per call:
# building and coercing a statement costs about as much as running a one-row read on SQLite.
_ROW = table_of(Candidate).c
_LOCKED = select(Candidate).where(col(Candidate.slack_user_id) == bindparam("person")).with_for_update()
_CONSENT_STATUS = select(_ROW.consent_status).where(_ROW.slack_user_id == bindparam("person"))
_LANGUAGE_INPUTS = select(_ROW.language, _ROW.slack_locale, _ROW.slack_locale_checked_at).where(
    _ROW.slack_user_id == bindparam("person")
)


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
    return create_candidate(session, slack_user_id=slack_user_id, now=now)


def create_candidate(session: Session, *, slack_user_id: str, now: datetime) -> Candidate | None:
    """A new person's row in one statement (INSERT … RETURNING: the row a new person's request
    needs, without reading it back), or the row someone else inserted meanwhile, locked. The
    caller has ruled out a suppression (`lock_candidate`, or `join` lifting it)."""
    created = insert_candidate(session, slack_user_id=slack_user_id, now=now)
    return created if created is not None else lock_existing_candidate(session, slack_user_id=slack_user_id)


def insert_candidate(
    session: Session, *, slack_user_id: str, now: datetime, status: ConsentStatus = ConsentStatus.NOT_JOINED
) -> Candidate | None:
    """A new person's row with `status` (a join stores its outcome in the insert, not in an
    UPDATE after it); None when the row exists already (inserted meanwhile by someone else)."""
    statement = (
        insert_for(session)(Candidate)
        .values(
            slack_user_id=slack_user_id,
            consent_status=status.value,
            created_at=now,
            updated_at=now,
            interests=[],
            never_companies=[],
        )
        .on_conflict_do_nothing(index_elements=["slack_user_id"])
        .returning(Candidate)
    )
    return session.scalars(statement, execution_options={"populate_existing": True}).one_or_none()


def lock_existing_candidate(session: Session, *, slack_user_id: str) -> Candidate | None:
    """The candidate row, locked for the transaction, without creating one."""
    return session.execute(_LOCKED, {"person": slack_user_id}).scalar_one_or_none()


def store_consent_status(session: Session, *, candidate: Candidate, status: ConsentStatus, now: datetime) -> None:
    """The person's current consent status (the ledger row that explains it is written with it)."""
    candidate.consent_status = status
    candidate.paused_until = None  # joining again starts fresh; opting out makes a pause moot
    candidate.updated_at = now
    session.add(candidate)


def consent_status(session: Session, *, slack_user_id: str) -> ConsentStatus:
    """Current status; people Nudge has never stored have not joined."""
    value = session.execute(_CONSENT_STATUS, {"person": slack_user_id}).scalar_one_or_none()
    return ConsentStatus(value) if value else ConsentStatus.NOT_JOINED


def get_candidate(session: Session, *, slack_user_id: str) -> Candidate | None:
    return session.execute(select(Candidate).where(col(Candidate.slack_user_id) == slack_user_id)).scalar_one_or_none()


def language_inputs(session: Session, *, slack_user_id: str) -> tuple[str | None, str | None, datetime | None] | None:
    """What the person's language is decided from (their choice, Slack locale, when it was read),
    three columns rather than the whole row; None for people Nudge does not store."""
    row = session.execute(_LANGUAGE_INPUTS, {"person": slack_user_id}).one_or_none()
    return (row[0], row[1], row[2]) if row is not None else None


def remember_dm_channel(session: Session, *, slack_user_id: str, channel_id: str) -> None:
    """Store the DM channel Slack named for this person (people Nudge stores only)."""
    session.execute(
        update(Candidate)
        .where(
            col(Candidate.slack_user_id) == slack_user_id,
            or_(col(Candidate.dm_channel_id).is_(None), col(Candidate.dm_channel_id) != channel_id),
        )
        .values(dm_channel_id=channel_id)
    )


def remember_slack_tz(session: Session, *, slack_user_id: str, tz: str | None, now: datetime) -> None:
    """Cache the time zone Slack reports, for people Nudge already stores (no row is created)."""
    session.execute(
        update(Candidate)
        .where(col(Candidate.slack_user_id) == slack_user_id)
        .values(slack_tz=tz, slack_tz_checked_at=now)
    )


def remember_slack_locales(session: Session, locales: dict[str, tuple[str | None, datetime]]) -> None:
    """Keep the locales Slack reports, each with when it was read, for people Nudge already
    stores (no row is created): one statement for many people (executemany)."""
    statement = (
        update(Candidate)
        .where(col(Candidate.slack_user_id) == bindparam("person"))
        .values(slack_locale=bindparam("locale"), slack_locale_checked_at=bindparam("checked"))
    )
    rows = [
        {"person": person, "locale": (locale or None) and locale[:16], "checked": checked}
        for person, (locale, checked) in locales.items()
    ]
    session.connection().execute(statement, rows)


def candidate_ids_after(
    session: Session, *, after_id: int, limit: int, up_to_id: int | None = None
) -> list[tuple[int, str]]:
    """One page of (id, Slack id) of candidates in primary-key order (none beyond `up_to_id`)."""
    statement = (
        select(col(Candidate.id), col(Candidate.slack_user_id))
        .where(col(Candidate.id) > after_id)
        .order_by(col(Candidate.id))
        .limit(limit)
    )
    if up_to_id is not None:
        statement = statement.where(col(Candidate.id) <= up_to_id)
    return [(row.id, row.slack_user_id) for row in session.execute(statement)]


@dataclass(frozen=True)
class DailySlice:
    """One slice of the daily jobs' walk over every candidate: `scanned` candidates in
    primary-key order up to `end_id` (the next slice starts after it), and of them only the rows
    that may be due for a job (`may_renew`, `may_lapse`, `may_expire`) by `DailyCutoffs`."""

    end_id: int
    scanned: int
    rows: list


def daily_slice(session: Session, *, after_id: int, limit: int, cutoffs: DailyCutoffs) -> DailySlice:
    """The next `limit` candidates after `after_id` (keyset pagination), narrowed in one statement
    to those who may be due: at a million candidates, handing every row to Python (and looking up
    each one's ledger from there) was most of the job's cost, and due people are a few in a
    thousand. Each row carries `consent_since` (the latest opt-in or renewal, for opted-in people
    not yet asked) besides what the rules decide on; the slice's last row is always read, to know
    where the next slice starts."""
    page = (
        select(
            col(Candidate.id),
            col(Candidate.slack_user_id),
            col(Candidate.consent_status),
            col(Candidate.renewal_asked_at),
            col(Candidate.created_at),
            col(Candidate.updated_at),
        )
        .where(col(Candidate.id) > after_id)
        .order_by(col(Candidate.id))
        .limit(limit)
        .subquery("page")
    )
    since = (
        select(func.max(col(ConsentEvent.at)))
        .where(
            col(ConsentEvent.subject) == page.c.slack_user_id,
            col(ConsentEvent.scope) == INVITATIONS_SCOPE,
            col(ConsentEvent.action).in_((Action.GRANTED, Action.RENEWED)),
        )
        .scalar_subquery()
    )
    asked_none = and_(page.c.consent_status == ConsentStatus.OPTED_IN, page.c.renewal_asked_at.is_(None))
    slice_ = select(
        page,
        case((asked_none, since), else_=None).label("consent_since"),
        func.max(page.c.id).over().label("end_id"),
        func.count().over().label("scanned"),
    ).subquery("slice")
    may_renew = slice_.c.consent_since <= cutoffs.renewal
    may_lapse = slice_.c.renewal_asked_at <= cutoffs.lapse
    may_expire = and_(
        slice_.c.created_at <= cutoffs.retention,
        or_(slice_.c.updated_at.is_(None), slice_.c.updated_at <= cutoffs.retention),
    )
    statement = (
        select(slice_, may_renew.label("may_renew"), may_lapse.label("may_lapse"), may_expire.label("may_expire"))
        .where(or_(may_renew, may_lapse, may_expire, slice_.c.id == slice_.c.end_id))
        .order_by(slice_.c.id)
    )
    rows = list(session.execute(statement))
    if not rows:
        return DailySlice(end_id=after_id, scanned=0, rows=[])
    due = [row for row in rows if row.may_renew or row.may_lapse or row.may_expire]
    return DailySlice(end_id=rows[-1].end_id, scanned=rows[-1].scanned, rows=due)


def last_contacts(session: Session, *, candidates: list) -> dict[str, datetime]:
    """Each person's latest sign of contact (a change to them, a ledger event, a message sent),
    for a page of people in two grouped queries instead of two per person."""
    if not candidates:
        return {}
    ids = [c.slack_user_id for c in candidates]
    latest = {c.slack_user_id: max(m for m in (c.updated_at, c.created_at) if m is not None) for c in candidates}
    ledger = (
        select(col(ConsentEvent.subject), func.max(col(ConsentEvent.at)))
        .where(col(ConsentEvent.subject).in_(ids))
        .group_by(col(ConsentEvent.subject))
    )
    sent = (
        select(col(OutgoingMessage.slack_user_id), func.max(col(OutgoingMessage.sent_at)))
        .where(col(OutgoingMessage.slack_user_id).in_(ids))
        .group_by(col(OutgoingMessage.slack_user_id))
    )
    for statement in (ledger, sent):
        for user_id, at in session.execute(statement):
            if at is not None and at > latest[user_id]:
                latest[user_id] = at
    return latest

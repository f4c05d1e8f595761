"""The consent ledger: append-only rows (what, when, how, which wording, who), read back per
person, per role for sharing, a page at a time for exports, or grouped for the daily jobs. Never
updated in place, except the re-keying of an erasure (`storage.erasure`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlmodel import Session, col

from bot.rules.consent import INVITATIONS_SCOPE, SHARE_SCOPE_PREFIX, Action, Via, role_of_share_scope
from storage.models import ConsentEvent

_APPEND = insert(ConsentEvent)  # built once: the values come as parameters


def record_ledger_event(
    session: Session,
    *,
    subject: str,
    scope: str,
    action: Action,
    via: Via,
    wording_version: str,
    actor: str,
    now: datetime,
) -> None:
    """Append one ledger row (the ledger is never updated or deleted in place). A Core INSERT:
    nothing reads the row back in the transaction, so the unit of work's bookkeeping for a new
    object is cost without use on the busiest write (a join)."""
    values = {"subject": subject, "scope": scope, "action": action, "via": via, "actor": actor, "at": now}
    session.execute(_APPEND, {**values, "wording_version": wording_version})


def consent_history(session: Session, *, subject: str) -> list[ConsentEvent]:
    """The ledger for one person, oldest first."""
    statement = select(ConsentEvent).where(col(ConsentEvent.subject) == subject).order_by(col(ConsentEvent.id))
    return list(session.execute(statement).scalars())


def share_states(session: Session, *, candidate_id: str) -> dict[int, ConsentEvent]:
    """The latest share:role:N event per role for this person (granted or withdrawn)."""
    statement = (
        select(ConsentEvent)
        .where(col(ConsentEvent.subject) == candidate_id, col(ConsentEvent.scope).like(SHARE_SCOPE_PREFIX + "%"))
        .order_by(col(ConsentEvent.at), col(ConsentEvent.id))
    )
    latest: dict[int, ConsentEvent] = {}
    for event in session.execute(statement).scalars():
        role_id = role_of_share_scope(event.scope)
        if role_id is not None:
            latest[role_id] = event
    return latest


def granted_roles(session: Session, *, candidate_id: str) -> dict[int, datetime]:
    """Roles whose grant stands now, with the moment it was given."""
    return {
        role_id: event.at
        for role_id, event in share_states(session, candidate_id=candidate_id).items()
        if event.action is Action.GRANTED
    }


def ledger_page(session: Session, *, since: datetime | None, after_id: int, limit: int) -> list[ConsentEvent]:
    """One page of the consent ledger in id order (keyset: `id > after_id`), from `since` on."""
    statement = select(ConsentEvent).where(col(ConsentEvent.id) > after_id).order_by(col(ConsentEvent.id)).limit(limit)
    if since is not None:
        statement = statement.where(col(ConsentEvent.at) >= since)
    return list(session.execute(statement).scalars())


def opt_outs_since(session: Session, *, since: datetime) -> int:
    statement = (
        select(func.count())
        .select_from(ConsentEvent)
        .where(
            col(ConsentEvent.scope) == INVITATIONS_SCOPE,
            col(ConsentEvent.action) == Action.WITHDRAWN,
            col(ConsentEvent.at) >= since,
        )
    )
    return session.execute(statement).scalar_one()

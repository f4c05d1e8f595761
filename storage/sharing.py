"""What follows the first yes, besides the ledger's sharing grants: disclosure records (each profile
given out) and the candidate's private notes. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session, col

from storage.models import Disclosure, PrivateNote


def record_disclosure(
    session: Session, *, candidate_id: str, recruiter_id: str, role_id: int, company: str, now: datetime
) -> None:
    session.add(
        Disclosure(candidate_id=candidate_id, recruiter_id=recruiter_id, role_id=role_id, company=company[:100], at=now)
    )


def forget_disclosures(
    session: Session, *, candidate_id: str, recruiter_id: str, role_id: int, at: Iterable[datetime]
) -> None:
    """Disclosures recorded for something that never left after all (a grant taken back before
    it was sent)."""
    moments = list(at)
    if moments:
        session.execute(
            delete(Disclosure).where(
                col(Disclosure.candidate_id) == candidate_id,
                col(Disclosure.recruiter_id) == recruiter_id,
                col(Disclosure.role_id) == role_id,
                col(Disclosure.at).in_(moments),
            )
        )


def disclosures_of(session: Session, *, candidate_id: str) -> list[Disclosure]:
    statement = (
        select(Disclosure)
        .where(col(Disclosure.candidate_id) == candidate_id)
        .order_by(col(Disclosure.at), col(Disclosure.id))
    )
    return list(session.execute(statement).scalars())


def add_private_note(
    session: Session,
    *,
    candidate_id: str,
    invitation_id: int | None,
    market_value: str | None,
    next_role: str | None,
    now: datetime,
) -> None:
    session.add(
        PrivateNote(
            candidate_id=candidate_id,
            invitation_id=invitation_id,
            market_value=market_value,
            next_role=next_role,
            at=now,
        )
    )


def private_notes_of(session: Session, *, candidate_id: str) -> list[PrivateNote]:
    statement = (
        select(PrivateNote)
        .where(col(PrivateNote.candidate_id) == candidate_id)
        .order_by(col(PrivateNote.at), col(PrivateNote.id))
    )
    return list(session.execute(statement).scalars())


def erase_after_yes(session: Session, *, candidate_id: str) -> None:
    """`forget` and retention: disclosure records and private notes go entirely."""
    session.execute(delete(Disclosure).where(col(Disclosure.candidate_id) == candidate_id))
    session.execute(delete(PrivateNote).where(col(PrivateNote.candidate_id) == candidate_id))

"""Queries for what follows the first yes: per-role sharing grants (read from the consent
ledger), disclosure records, and the candidate's private notes. The caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session

from storage.models import ConsentEvent, Disclosure, Invitation, PrivateNote, Role

SHARE_PREFIX = "share:role:"


def share_states(session: Session, *, candidate_id: str) -> dict[int, ConsentEvent]:
    """The latest share:role:N event per role for this person (granted or withdrawn)."""
    statement = (
        select(ConsentEvent)
        .where(ConsentEvent.subject == candidate_id, ConsentEvent.scope.like(SHARE_PREFIX + "%"))
        .order_by(ConsentEvent.at, ConsentEvent.id)
    )
    latest: dict[int, ConsentEvent] = {}
    for event in session.execute(statement).scalars():
        tail = event.scope[len(SHARE_PREFIX) :]
        if tail.isdigit():
            latest[int(tail)] = event
    return latest


def granted_roles(session: Session, *, candidate_id: str) -> dict[int, datetime]:
    """Roles whose grant stands now, with the moment it was given."""
    return {
        role_id: e.at
        for role_id, e in share_states(session, candidate_id=candidate_id).items()
        if e.action == "granted"
    }


def accepted_invitations(session: Session, *, candidate_id: str) -> list[tuple[Invitation, Role]]:
    """Every invitation this person said *Happy to chat* to, oldest first."""
    statement = (
        select(Invitation, Role)
        .join(Role, Role.id == Invitation.role_id)
        .where(Invitation.candidate_id == candidate_id, Invitation.answer == "accepted")
        .order_by(Invitation.id)
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def in_progress_for_role(session: Session, *, role_id: int) -> list[Invitation]:
    """Accepted invitations of a role that are still under way (not closed, not stepped back)."""
    statement = select(Invitation).where(
        Invitation.role_id == role_id,
        Invitation.answer == "accepted",
        Invitation.stage.not_in(("closed", "stepped_back")),
    )
    return list(session.execute(statement.with_for_update()).scalars())


def record_disclosure(
    session: Session, *, candidate_id: str, recruiter_id: str, role_id: int, company: str, now: datetime
) -> None:
    session.add(
        Disclosure(candidate_id=candidate_id, recruiter_id=recruiter_id, role_id=role_id, company=company[:100], at=now)
    )


def disclosures_of(session: Session, *, candidate_id: str) -> list[Disclosure]:
    statement = select(Disclosure).where(Disclosure.candidate_id == candidate_id).order_by(Disclosure.at, Disclosure.id)
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
        select(PrivateNote).where(PrivateNote.candidate_id == candidate_id).order_by(PrivateNote.at, PrivateNote.id)
    )
    return list(session.execute(statement).scalars())


def erase_after_yes(session: Session, *, candidate_id: str) -> None:
    """`forget` and retention: disclosure records and private notes go entirely."""
    session.execute(delete(Disclosure).where(Disclosure.candidate_id == candidate_id))
    session.execute(delete(PrivateNote).where(PrivateNote.candidate_id == candidate_id))

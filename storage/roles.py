"""Roles, recruiters added by an admin (and every recruiter's booking link), and the team-wide
sending switch. The caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from bot.rules.recruiter_input import RoleDraft
from bot.rules.statuses import CancelReason, RoleStatus
from storage.invitations import cancel_queued
from storage.models import Recruiter, Role, TeamSwitchEvent
from storage.sql import table_of


def create_role(session: Session, *, draft: RoleDraft, created_by: str, now: datetime) -> Role:
    role = Role(
        title=draft.title,
        company=draft.company,
        confidential=draft.confidential,
        details=draft.details,
        tags=list(draft.tags),
        location=draft.location,
        remote=draft.remote,
        pay_range=draft.pay_range,
        pay_min=draft.pay.low if draft.pay else None,
        pay_max=draft.pay.high if draft.pay else None,
        pay_currency=draft.pay.currency if draft.pay else None,
        remote_ok=draft.remote_ok,
        status=RoleStatus.OPEN,
        created_by=created_by,
        created_at=now,
    )
    session.add(role)
    session.flush()
    return role


def get_role(session: Session, *, role_id: int) -> Role | None:
    return session.get(Role, role_id)


def get_open_role(session: Session, *, role_id: int) -> Role | None:
    role = session.get(Role, role_id)
    return role if role is not None and role.status is RoleStatus.OPEN else None


def open_roles(session: Session) -> list[Role]:
    return list(
        session.execute(select(Role).where(col(Role.status) == RoleStatus.OPEN).order_by(col(Role.id))).scalars()
    )


def close_role(session: Session, *, role: Role, closed_by: str, now: datetime) -> int:
    """Close the role and cancel its queued invitations; returns how many were cancelled."""
    role.status = RoleStatus.CLOSED
    role.closed_by = closed_by
    role.closed_at = now
    session.add(role)
    return cancel_queued(session, now=now, reason=CancelReason.ROLE_CLOSED, role_id=role.id)


_RECRUITER = table_of(Recruiter).c
_ADDED_RECRUITER = select(_RECRUITER.user_id).where(
    _RECRUITER.user_id == bindparam("person"), _RECRUITER.added.is_(True)
)


def is_added_recruiter(session: Session, *, user_id: str) -> bool:
    return session.execute(_ADDED_RECRUITER, {"person": user_id}).first() is not None


def _recruiter_row(session: Session, user_id: str) -> Recruiter:
    row = session.get(Recruiter, user_id, with_for_update=True)
    if row is None:
        row = Recruiter(user_id=user_id, added=False)
        session.add(row)
    return row


def add_recruiter(session: Session, *, user_id: str, added_by: str, now: datetime) -> bool:
    """True when this made them a recruiter (False if they already were one by command)."""
    row = _recruiter_row(session, user_id)
    if row.added:
        return False
    row.added, row.added_by, row.added_at = True, added_by, now
    return True


def remove_recruiter(session: Session, *, user_id: str) -> bool:
    row = session.get(Recruiter, user_id, with_for_update=True)
    if row is None or not row.added:
        return False
    row.added, row.added_by, row.added_at = False, None, None
    return True


def set_booking_link(session: Session, *, user_id: str, url: str) -> None:
    _recruiter_row(session, user_id).booking_link = url


def booking_link(session: Session, *, user_id: str) -> str | None:
    row = session.get(Recruiter, user_id)
    return row.booking_link if row else None


def team_switch(session: Session) -> TeamSwitchEvent | None:
    """The newest use of the switch; None means it was never used (sending is on)."""
    statement = select(TeamSwitchEvent).order_by(col(TeamSwitchEvent.id).desc()).limit(1)
    return session.execute(statement).scalar_one_or_none()


def set_team_switch(session: Session, *, paused: bool, actor: str, now: datetime) -> None:
    session.add(TeamSwitchEvent(paused=paused, actor=actor, at=now))


def roles_opened_since(session: Session, *, since: datetime) -> list[Role]:
    """Every role opened since then, open or closed by now (for the market pulse)."""
    statement = select(Role).where(col(Role.created_at) >= since).order_by(col(Role.created_at).desc())
    return list(session.execute(statement).scalars())

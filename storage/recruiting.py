"""Queries for roles, invitations, recruiters and the team switch. Like `storage.queries`, they
take the session as a keyword argument and never commit: the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlmodel import Session

from bot.rules.recruiting import InvitationOutcome, RoleDraft
from storage.models import (
    Candidate,
    ConsentEvent,
    Invitation,
    Recruiter,
    Role,
    TeamSwitchEvent,
)

OPEN = "open"
CLOSED = "closed"
QUEUED = "queued"
SENT = "sent"
CANCELLED = "cancelled"


# --- roles ---------------------------------------------------------------------------------------


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
        status=OPEN,
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
    return role if role is not None and role.status == OPEN else None


def open_roles(session: Session) -> list[Role]:
    return list(session.execute(select(Role).where(Role.status == OPEN).order_by(Role.id)).scalars())


def close_role(session: Session, *, role: Role, closed_by: str, now: datetime) -> int:
    """Close the role and cancel its queued invitations; returns how many were cancelled."""
    role.status = CLOSED
    role.closed_by = closed_by
    role.closed_at = now
    session.add(role)
    return cancel_queued(session, now=now, reason="role_closed", role_id=role.id)


# --- invitations -----------------------------------------------------------------------------------


def cancel_queued(
    session: Session, *, now: datetime, reason: str, role_id: int | None = None, candidate_id: str | None = None
) -> int:
    """Cancel invitations that were queued but not sent, for a role or a candidate."""
    conditions = [Invitation.status == QUEUED]
    if role_id is not None:
        conditions.append(Invitation.role_id == role_id)
    if candidate_id is not None:
        conditions.append(Invitation.candidate_id == candidate_id)
    result = session.execute(
        update(Invitation)
        .where(*conditions)
        .values(status=CANCELLED, cancelled_at=now, cancel_reason=reason)
        .returning(Invitation.id)
    )
    return len(result.all())


def cancel_for_removed_recruiter(session: Session, *, recruiter_id: str, now: datetime) -> int:
    """A removed recruiter's queued invitations are cancelled, with every pending step of theirs
    that would reach a candidate in their name (the invitation, a reminder) or reach them about a
    candidate. Expiry edits stay: they close a sent invitation quietly. Returns how many
    invitations were cancelled. Locks invitations, then steps (the documented order)."""
    from bot.rules.steps import RECRUITER_BOUND
    from storage import queries
    from storage.models import OutgoingMessage

    cancelled = (
        session.execute(
            update(Invitation)
            .where(Invitation.recruiter_id == recruiter_id, Invitation.status == QUEUED)
            .values(status=CANCELLED, cancelled_at=now, cancel_reason="recruiter_removed")
            .returning(Invitation.id)
        )
        .scalars()
        .all()
    )
    theirs = select(Invitation.id).where(Invitation.recruiter_id == recruiter_id).scalar_subquery()
    session.execute(
        update(OutgoingMessage)
        .where(
            OutgoingMessage.invitation_id.in_(theirs),
            OutgoingMessage.kind.in_(sorted(RECRUITER_BOUND)),
            queries.pending_condition(),
        )
        .values(cancelled_at=now, claimed_until=None, last_error="recruiter_removed")
        .execution_options(synchronize_session=False)
    )
    return len(cancelled)


def live_invitations(session: Session, *, candidate_id: str) -> list[Invitation]:
    """Invitations that count for eligibility: queued or sent (cancelled and failed ones don't)."""
    statement = select(Invitation).where(Invitation.candidate_id == candidate_id, Invitation.status.in_((QUEUED, SENT)))
    return list(session.execute(statement).scalars())


def create_invitation(
    session: Session, *, role_id: int, candidate_id: str, recruiter_id: str, note: str | None, now: datetime
) -> Invitation:
    invitation = Invitation(
        role_id=role_id, candidate_id=candidate_id, recruiter_id=recruiter_id, note=note, status=QUEUED, created_at=now
    )
    session.add(invitation)
    session.flush()
    return invitation


def invitations_of(session: Session, *, candidate_id: str) -> list[tuple[Invitation, Role]]:
    statement = (
        select(Invitation, Role)
        .join(Role, Role.id == Invitation.role_id)
        .where(Invitation.candidate_id == candidate_id)
        .order_by(Invitation.id)
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def find_invitation(session: Session, *, candidate_id: str, role_id: int) -> Invitation | None:
    """The newest invitation of this candidate to this role, if any."""
    statement = (
        select(Invitation)
        .where(Invitation.candidate_id == candidate_id, Invitation.role_id == role_id)
        .order_by(Invitation.id.desc())
        .limit(1)
        .with_for_update()
    )
    return session.execute(statement).scalar_one_or_none()


def pipeline_rows(
    session: Session, *, role_id: int | None = None
) -> list[tuple[int, str, str | None, str | None, datetime | None]]:
    """(role id, status, answer, stage, details asked) for every invitation not cancelled."""
    statement = select(
        Invitation.role_id, Invitation.status, Invitation.answer, Invitation.stage, Invitation.details_asked_at
    ).where(Invitation.status != CANCELLED)
    if role_id is not None:
        statement = statement.where(Invitation.role_id == role_id)
    return [tuple(row) for row in session.execute(statement).all()]


def outcomes_since(session: Session, *, since: datetime) -> list[InvitationOutcome]:
    statement = select(Invitation.sent_at, Invitation.answered_at, Invitation.answer).where(
        Invitation.sent_at.is_not(None), Invitation.sent_at >= since
    )
    return [InvitationOutcome(sent_at=s, answered_at=a, answer=ans) for s, a, ans in session.execute(statement).all()]


def opt_outs_since(session: Session, *, since: datetime) -> int:
    statement = (
        select(func.count())
        .select_from(ConsentEvent)
        .where(ConsentEvent.scope == "invitations", ConsentEvent.action == "withdrawn", ConsentEvent.at >= since)
    )
    return session.execute(statement).scalar_one()


def recent_answers(session: Session, *, limit: int = 5) -> list[tuple[Invitation, Role]]:
    statement = (
        select(Invitation, Role)
        .join(Role, Role.id == Invitation.role_id)
        .where(Invitation.answered_at.is_not(None))
        .order_by(Invitation.answered_at.desc())
        .limit(limit)
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def opted_in_with_live_invitations(session: Session) -> list[tuple[Candidate, list[Invitation]]]:
    """Every opted-in candidate with their live (queued or sent) invitations, in one statement
    whatever their number (`match` answers before Slack's 3-second ack deadline)."""
    statement = (
        select(Candidate, Invitation)
        .outerjoin(
            Invitation, and_(Invitation.candidate_id == Candidate.slack_user_id, Invitation.status.in_((QUEUED, SENT)))
        )
        .where(Candidate.consent_status == "opted_in")
        .order_by(Candidate.slack_user_id, Invitation.id)
    )
    grouped: dict[str, tuple[Candidate, list[Invitation]]] = {}
    for candidate, invitation in session.execute(statement).all():
        _, live = grouped.setdefault(candidate.slack_user_id, (candidate, []))
        if invitation is not None:
            live.append(invitation)
    return list(grouped.values())


# --- recruiters ------------------------------------------------------------------------------------


def is_added_recruiter(session: Session, *, user_id: str) -> bool:
    statement = select(Recruiter.user_id).where(Recruiter.user_id == user_id, Recruiter.added.is_(True))
    return session.execute(statement).first() is not None


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


# --- the team switch -------------------------------------------------------------------------------


def team_switch(session: Session) -> TeamSwitchEvent | None:
    """The newest use of the switch; None means it was never used (sending is on)."""
    statement = select(TeamSwitchEvent).order_by(TeamSwitchEvent.id.desc()).limit(1)
    return session.execute(statement).scalar_one_or_none()


def set_team_switch(session: Session, *, paused: bool, actor: str, now: datetime) -> None:
    session.add(TeamSwitchEvent(paused=paused, actor=actor, at=now))


def get_invitation(session: Session, *, invitation_id: int, for_update: bool = False) -> Invitation | None:
    statement = select(Invitation).where(Invitation.id == invitation_id)
    if for_update:
        statement = statement.with_for_update()
    return session.execute(statement).scalar_one_or_none()


def record_delivery(
    session: Session,
    *,
    invitation: Invitation,
    channel_id: str | None,
    ts: str | None,
    now: datetime,
    opted_in: bool,
    followup_after,
    expire_after,
) -> list[int]:
    """The invitation reached the candidate (the sender heard Slack's ok, or a click on the
    message proved it first): mark it sent and queue its follow-up and expiry, both counted from
    now. The one place this is done, so whichever comes first records it and the other adds
    nothing. Returns the steps queued. Call with the candidate and invitation rows locked."""
    from bot.rules.steps import Kind
    from storage import queries

    invitation.status, invitation.sent_at = SENT, now
    invitation.channel_id, invitation.message_ts = channel_id, ts
    session.add(invitation)
    if not opted_in:
        return []
    queued = []
    if followup_after < expire_after:
        queued.append(
            queries.enqueue_step_once(
                session,
                invitation_id=invitation.id,
                kind=Kind.FOLLOWUP,
                slack_user_id=invitation.candidate_id,
                now=now,
                not_before=now + followup_after,
            )
        )
    queued.append(
        queries.enqueue_step_once(
            session,
            invitation_id=invitation.id,
            kind=Kind.EXPIRE,
            slack_user_id=invitation.candidate_id,
            now=now,
            not_before=now + expire_after,
        )
    )
    return [q for q in queued if q is not None]


def other_delivered_at(session: Session, *, candidate_id: str, exclude_invitation_id: int) -> datetime | None:
    """When this person last received another invitation (for cadence and the minimum gap)."""
    statement = select(func.max(Invitation.sent_at)).where(
        Invitation.candidate_id == candidate_id,
        Invitation.id != exclude_invitation_id,
        Invitation.sent_at.is_not(None),
    )
    return session.execute(statement).scalar_one()


def recent_outcomes(session: Session, *, candidate_id: str, limit: int = 2) -> list[tuple[str, datetime | None]]:
    """What became of this person's newest settled invitations and when, newest first."""
    moment = func.coalesce(Invitation.answered_at, Invitation.expired_at)
    statement = (
        select(Invitation.answer, moment)
        .where(Invitation.candidate_id == candidate_id, Invitation.answer.is_not(None), Invitation.answer != "details")
        .order_by(moment.desc(), Invitation.id.desc())
        .limit(limit)
    )
    return [(answer, at) for answer, at in session.execute(statement).all()]

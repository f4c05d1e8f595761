"""Invitations: one recruiter's invitation of one candidate to one role, from queued to its
stage, and the reads recruiters' reports and the sender need. The caller owns the transaction;
an invitation is locked after its candidate and before its steps (the order in `storage`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlmodel import Session, col

from bot.rules.consent import ConsentStatus
from bot.rules.recruiting import InvitationOutcome
from bot.rules.statuses import IN_PROGRESS, LIVE_INVITATIONS, Answer, CancelReason, InvitationStatus, Stage
from bot.rules.steps import RECRUITER_BOUND
from storage.models import Candidate, Invitation, OutgoingMessage, Role
from storage.steps import pending_condition


def get_invitation(session: Session, *, invitation_id: int, for_update: bool = False) -> Invitation | None:
    statement = select(Invitation).where(col(Invitation.id) == invitation_id)
    if for_update:
        statement = statement.with_for_update()
    return session.execute(statement).scalar_one_or_none()


def create_invitation(
    session: Session, *, role_id: int, candidate_id: str, recruiter_id: str, note: str | None, now: datetime
) -> Invitation:
    invitation = Invitation(
        role_id=role_id,
        candidate_id=candidate_id,
        recruiter_id=recruiter_id,
        note=note,
        status=InvitationStatus.QUEUED,
        created_at=now,
    )
    session.add(invitation)
    session.flush()
    return invitation


def find_invitation(session: Session, *, candidate_id: str, role_id: int) -> Invitation | None:
    """The newest invitation of this candidate to this role, if any."""
    statement = (
        select(Invitation)
        .where(col(Invitation.candidate_id) == candidate_id, col(Invitation.role_id) == role_id)
        .order_by(col(Invitation.id).desc())
        .limit(1)
        .with_for_update()
    )
    return session.execute(statement).scalar_one_or_none()


def live_invitations(session: Session, *, candidate_id: str) -> list[Invitation]:
    """Invitations that count for eligibility: queued or sent (cancelled and failed ones don't)."""
    statement = select(Invitation).where(
        col(Invitation.candidate_id) == candidate_id, col(Invitation.status).in_(sorted(LIVE_INVITATIONS))
    )
    return list(session.execute(statement).scalars())


def invitations_of(session: Session, *, candidate_id: str) -> list[tuple[Invitation, Role]]:
    statement = (
        select(Invitation, Role)
        .join(Role, col(Role.id) == col(Invitation.role_id))
        .where(col(Invitation.candidate_id) == candidate_id)
        .order_by(col(Invitation.id))
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def cancel_queued(
    session: Session,
    *,
    now: datetime,
    reason: CancelReason,
    role_id: int | None = None,
    candidate_id: str | None = None,
) -> int:
    """Cancel invitations that were queued but not sent, for a role or a candidate."""
    conditions = [col(Invitation.status) == InvitationStatus.QUEUED]
    if role_id is not None:
        conditions.append(col(Invitation.role_id) == role_id)
    if candidate_id is not None:
        conditions.append(col(Invitation.candidate_id) == candidate_id)
    result = session.execute(
        update(Invitation)
        .where(*conditions)
        .values(status=InvitationStatus.CANCELLED, cancelled_at=now, cancel_reason=reason)
        .returning(col(Invitation.id))
    )
    return len(result.all())


def cancel_for_removed_recruiter(session: Session, *, recruiter_id: str, now: datetime) -> int:
    """A removed recruiter's queued invitations are cancelled, with every pending step of theirs
    that would reach a candidate in their name (the invitation, a reminder) or reach them about a
    candidate. Expiry edits stay: they close a sent invitation quietly. Returns how many
    invitations were cancelled. Locks invitations, then steps (the documented order)."""
    cancelled = (
        session.execute(
            update(Invitation)
            .where(col(Invitation.recruiter_id) == recruiter_id, col(Invitation.status) == InvitationStatus.QUEUED)
            .values(status=InvitationStatus.CANCELLED, cancelled_at=now, cancel_reason=CancelReason.RECRUITER_REMOVED)
            .returning(col(Invitation.id))
        )
        .scalars()
        .all()
    )
    theirs = select(col(Invitation.id)).where(col(Invitation.recruiter_id) == recruiter_id).scalar_subquery()
    session.execute(
        update(OutgoingMessage)
        .where(
            col(OutgoingMessage.invitation_id).in_(theirs),
            col(OutgoingMessage.kind).in_(sorted(RECRUITER_BOUND)),
            pending_condition(),
        )
        .values(cancelled_at=now, claimed_until=None, last_error=CancelReason.RECRUITER_REMOVED)
        .execution_options(synchronize_session=False)
    )
    return len(cancelled)


def mark_sent(
    session: Session, *, invitation: Invitation, channel_id: str | None, ts: str | None, now: datetime
) -> None:
    """The invitation reached the candidate: sent now, in this DM message."""
    invitation.status, invitation.sent_at = InvitationStatus.SENT, now
    invitation.channel_id, invitation.message_ts = channel_id, ts
    session.add(invitation)


def other_delivered_at(session: Session, *, candidate_id: str, exclude_invitation_id: int) -> datetime | None:
    """When this person last received another invitation (for cadence and the minimum gap)."""
    statement = select(func.max(col(Invitation.sent_at))).where(
        col(Invitation.candidate_id) == candidate_id,
        col(Invitation.id) != exclude_invitation_id,
        col(Invitation.sent_at).is_not(None),
    )
    return session.execute(statement).scalar_one()


def recent_outcomes(session: Session, *, candidate_id: str, limit: int = 2) -> list[tuple[Answer, datetime | None]]:
    """What became of this person's newest settled invitations and when, newest first; those
    withheld by the never-list are none of theirs (they never saw them)."""
    moment = func.coalesce(col(Invitation.answered_at), col(Invitation.expired_at))
    statement = (
        select(col(Invitation.answer), moment)
        .where(
            col(Invitation.candidate_id) == candidate_id,
            col(Invitation.answer).is_not(None),
            col(Invitation.answer) != Answer.DETAILS,
            col(Invitation.withheld).is_(False),
        )
        .order_by(moment.desc(), col(Invitation.id).desc())
        .limit(limit)
    )
    return [(answer, at) for answer, at in session.execute(statement).all()]


def pipeline_rows(
    session: Session, *, role_id: int | None = None
) -> list[tuple[int, InvitationStatus, Answer | None, Stage | None, datetime | None]]:
    """(role id, status, answer, stage, details asked) for every invitation not cancelled."""
    statement = select(
        col(Invitation.role_id),
        col(Invitation.status),
        col(Invitation.answer),
        col(Invitation.stage),
        col(Invitation.details_asked_at),
    ).where(col(Invitation.status) != InvitationStatus.CANCELLED)
    if role_id is not None:
        statement = statement.where(col(Invitation.role_id) == role_id)
    return [tuple(row) for row in session.execute(statement).all()]


def outcomes_since(session: Session, *, since: datetime) -> list[InvitationOutcome]:
    statement = select(col(Invitation.sent_at), col(Invitation.answered_at), col(Invitation.answer)).where(
        col(Invitation.sent_at).is_not(None), col(Invitation.sent_at) >= since
    )
    return [InvitationOutcome(sent_at=s, answered_at=a, answer=ans) for s, a, ans in session.execute(statement).all()]


def recent_answers(session: Session, *, limit: int = 5) -> list[tuple[Invitation, Role]]:
    statement = (
        select(Invitation, Role)
        .join(Role, col(Role.id) == col(Invitation.role_id))
        .where(col(Invitation.answered_at).is_not(None))
        .order_by(col(Invitation.answered_at).desc())
        .limit(limit)
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def opted_in_with_live_invitations(session: Session) -> list[tuple[Candidate, list[Invitation]]]:
    """Every opted-in candidate with their live (queued or sent) invitations, in one statement
    whatever their number (`match` answers before Slack's 3-second ack deadline)."""
    statement = (
        select(Candidate, Invitation)
        .outerjoin(
            Invitation,
            and_(
                col(Invitation.candidate_id) == col(Candidate.slack_user_id),
                col(Invitation.status).in_(sorted(LIVE_INVITATIONS)),
            ),
        )
        .where(col(Candidate.consent_status) == ConsentStatus.OPTED_IN)
        .order_by(col(Candidate.slack_user_id), col(Invitation.id))
    )
    grouped: dict[str, tuple[Candidate, list[Invitation]]] = {}
    for candidate, invitation in session.execute(statement).all():
        _, live = grouped.setdefault(candidate.slack_user_id, (candidate, []))
        if invitation is not None:
            live.append(invitation)
    return list(grouped.values())


def accepted_invitations(session: Session, *, candidate_id: str) -> list[tuple[Invitation, Role]]:
    """Every invitation this person said *Happy to chat* to, oldest first."""
    statement = (
        select(Invitation, Role)
        .join(Role, col(Role.id) == col(Invitation.role_id))
        .where(col(Invitation.candidate_id) == candidate_id, col(Invitation.answer) == Answer.ACCEPTED)
        .order_by(col(Invitation.id))
    )
    return [(i, r) for i, r in session.execute(statement).all()]


def in_progress_for_role(session: Session, *, role_id: int) -> list[Invitation]:
    """Accepted invitations of a role that are still under way (not closed, not stepped back)."""
    statement = select(Invitation).where(
        col(Invitation.role_id) == role_id,
        col(Invitation.answer) == Answer.ACCEPTED,
        col(Invitation.stage).in_(sorted(IN_PROGRESS)),
    )
    return list(session.execute(statement.with_for_update()).scalars())


def accepted_for_role(session: Session, *, role_id: int) -> list[Invitation]:
    """Everyone who said *Happy to chat* about this role, oldest first (for its pipeline)."""
    statement = (
        select(Invitation)
        .where(col(Invitation.role_id) == role_id, col(Invitation.answer) == Answer.ACCEPTED)
        .order_by(col(Invitation.id))
    )
    return list(session.execute(statement).scalars())

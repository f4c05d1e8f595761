"""Reporting changes to the team's webhook endpoint, inside the transaction of the change: the
event row commits with the answer, stage, grant, opt-out or erasure it reports, or not at all.

Only answers, stages, sharing and consent produce events, and an invitation the candidate never
saw (a never-listed company) gets none of these, so it reports nothing. Whether reporting is on is
carried by the session (`REPORTING`, set by `AppContext` when `NUDGE_WEBHOOK_URL` is set), so the
ledger operations report without every caller passing the settings along.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.rules import webhooks as rules
from bot.rules.statuses import Answer, Stage
from bot.rules.webhooks import Event, RoleShown
from bot.usecases.context import REPORTING
from storage import candidates, roles, sharing
from storage import webhooks as queue
from storage.models import Invitation


def report(session, event: Event | None, *, now: datetime) -> bool:
    """Queue the event in the caller's transaction when webhooks are on; True when queued."""
    if event is None or not session.info.get(REPORTING):
        return False
    queue.enqueue(
        session,
        webhook_id=new_webhook_id(),
        event_type=event.type.value,
        candidate=event.candidate,
        data=event.data,
        now=now,
    )
    return True


def new_webhook_id() -> str:
    """Unique per event and kept for every retry, so a receiver can drop a repeat."""
    return f"msg_{uuid.uuid4().hex}"


def role_shown(session, role_id: int) -> RoleShown:
    role = roles.get_role(session, role_id=role_id)
    return RoleShown(role_id, role.title, role.company) if role is not None else RoleShown(role_id, "", "")


def answered(session, invitation: Invitation, answer: Answer, *, now: datetime) -> None:
    role = role_shown(session, invitation.role_id)
    report(session, rules.invitation_answered(invitation.id, role, invitation.candidate_id, answer), now=now)


def stage_changed(session, invitation: Invitation, stage: Stage, *, now: datetime) -> None:
    """Nothing about an erased person, whose invitation stays under their hash (a role closing
    after the erasure still moves it)."""
    if not session.info.get(REPORTING):
        return
    if candidates.get_candidate(session, slack_user_id=invitation.candidate_id) is None:
        return
    role = role_shown(session, invitation.role_id)
    report(session, rules.stage_changed(invitation.id, role, invitation.candidate_id, stage), now=now)


def sharing_changed(session, *, candidate_id: str, role_id: int, granted: bool, now: datetime) -> None:
    """A grant carries the profile the candidate agreed to share (what `/nudge profile` gives)
    and is a disclosure record the candidate sees, like a profile given to a recruiter; a
    withdrawal asks the receiver to delete what it got."""
    if not session.info.get(REPORTING):
        return
    role = role_shown(session, role_id)
    if not granted:
        report(session, rules.sharing_withdrawn(role, candidate_id), now=now)
        return
    candidate = candidates.get_candidate(session, slack_user_id=candidate_id)
    interests = tuple(candidate.interests or ()) if candidate is not None else ()
    note = candidate.company_note if candidate is not None else None
    event = rules.sharing_granted(role, candidate_id, interests=interests, note=note)
    if report(session, event, now=now):
        sharing.record_disclosure(
            session,
            candidate_id=candidate_id,
            recruiter_id=rules.RECRUITING_SYSTEM,
            role_id=role_id,
            company=role.company,
            now=now,
        )


def opted_out(session, candidate_id: str, *, now: datetime) -> None:
    report(session, rules.opted_out(candidate_id), now=now)


def erased(session, candidate_id: str, *, now: datetime) -> None:
    """Everything queued about the person goes; only the news of the erasure stays, once, and
    only for a receiver that may hold something about them (GDPR Art. 19 asks to tell the
    recipients of their data): a purge of people the team's system never heard of must not
    hand it their Slack ids. What the delete kept is in flight (a claim that committed after the
    first look), so it counts as told too."""
    told = queue.anything_sent_about(session, candidate=candidate_id)
    queue.drop_for_erasure(session, candidate=candidate_id, now=now)
    if told or queue.anything_about(session, candidate=candidate_id):
        report(session, rules.erased(candidate_id), now=now)

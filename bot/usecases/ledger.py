"""The operations that run inside a caller's transaction and keep the consent ledger true: each
change to a person's consent, pause, sharing or preferences is stored together with its ledger
row and with what it cancels, so one commit holds the change and its record.

Every use case and the sender call these; none opens a transaction of its own.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot import logs
from bot.copy import candidate as wording
from bot.rules.consent import (
    CADENCE_SCOPE,
    INVITATIONS_SCOPE,
    PREFERENCES_SCOPE,
    Action,
    ConsentChange,
    ConsentStatus,
    Via,
    share_scope,
)
from bot.rules.statuses import CancelReason
from bot.rules.steps import ENDED_BY_OPT_OUT, HELD_BY_PAUSE
from bot.usecases import webhooks
from bot.usecases.context import AppContext
from storage import candidates, invitations, ledger, steps
from storage.models import Candidate

log = logging.getLogger(__name__)

# The ledger's actor for what Nudge does on its own (a lapse, retention).
SYSTEM_ACTOR = "nudge"
# The ledger's actor for an operator's `python app.py admin purge-workspace --yes` (no Slack id).
SHELL_ACTOR = "system:shell"


def lock_candidate(session, ctx: AppContext, user_id: str, now: datetime) -> Candidate | None:
    """The person's row, created if new and locked; None for someone erased (nothing stores
    them again until they `join`: see `storage.candidates.lock_candidate`)."""
    return candidates.lock_candidate(session, slack_user_id=user_id, subject_hash=ctx.hash_of(user_id), now=now)


def apply_consent_change(
    session, candidate: Candidate, change: ConsentChange, *, via: Via, wording_version: str, actor: str, now: datetime
) -> None:
    """Store a consent change with its ledger row and what it cancels; a no-op writes nothing
    but still ends any sharing grant left standing by someone already opted out."""
    user_id = candidate.slack_user_id
    if change.changed and change.after is ConsentStatus.OPTED_OUT:
        # Same transaction: nothing queued before the opt-out can go out after it.
        invitations.cancel_queued(session, now=now, reason=CancelReason.OPTED_OUT, candidate_id=user_id)
        steps.cancel_steps(
            session, now=now, reason=CancelReason.OPTED_OUT, slack_user_id=user_id, kinds=ENDED_BY_OPT_OUT
        )
    if change.after is ConsentStatus.OPTED_OUT:
        withdraw_all_grants(session, candidate_id=user_id, via=via, actor=actor, now=now)
    if not change.changed or change.action is None:
        return
    candidates.store_consent_status(session, candidate=candidate, status=change.after, now=now)
    if change.after is ConsentStatus.OPTED_OUT:
        webhooks.opted_out(session, user_id, now=now)
    ledger.record_ledger_event(
        session,
        subject=user_id,
        scope=INVITATIONS_SCOPE,
        action=change.action,
        via=via,
        wording_version=wording_version,
        actor=actor,
        now=now,
    )


def pause(session, candidate: Candidate, *, until: datetime, via: Via, actor: str, now: datetime) -> None:
    """Pause every role until `until`: queued invitations and what a pause holds are cancelled."""
    user_id = candidate.slack_user_id
    candidate.paused_until = until
    candidate.updated_at = now
    session.add(candidate)
    invitations.cancel_queued(session, now=now, reason=CancelReason.PAUSED, candidate_id=user_id)
    steps.cancel_steps(session, now=now, reason=CancelReason.PAUSED, slack_user_id=user_id, kinds=HELD_BY_PAUSE)
    record_pause_event(session, user_id, Action.PAUSED, via=via, actor=actor, now=now)
    log.info("paused", extra={"action": "candidate.paused", "person": logs.person(user_id)})


def resume(session, candidate: Candidate, *, via: Via, now: datetime) -> None:
    """End a pause early (the caller has checked that one runs)."""
    candidate.paused_until = None
    candidate.updated_at = now
    session.add(candidate)
    record_pause_event(
        session, candidate.slack_user_id, Action.RESUMED, via=via, actor=candidate.slack_user_id, now=now
    )


def record_pause_event(session, user_id: str, action: Action, *, via: Via, actor: str, now: datetime) -> None:
    ledger.record_ledger_event(
        session,
        subject=user_id,
        scope=INVITATIONS_SCOPE,
        action=action,
        via=via,
        wording_version=wording.PAUSE_WORDING_VERSION,
        actor=actor,
        now=now,
    )


def record_share(
    session, *, candidate_id: str, role_id: int, granted: bool, via: Via, actor: str, now: datetime
) -> None:
    """The candidate's answer on sharing their details with this role's company (and the
    team's recruiting system hears of it)."""
    ledger.record_ledger_event(
        session,
        subject=candidate_id,
        scope=share_scope(role_id),
        action=Action.GRANTED if granted else Action.WITHDRAWN,
        via=via,
        wording_version=wording.SHARE_WORDING_VERSION,
        actor=actor,
        now=now,
    )
    webhooks.sharing_changed(session, candidate_id=candidate_id, role_id=role_id, granted=granted, now=now)


def sharing_stands(session, *, candidate_id: str, role_id: int) -> bool:
    state = ledger.share_states(session, candidate_id=candidate_id).get(role_id)
    return state is not None and state.action is Action.GRANTED


def withdraw_grant(session, *, candidate_id: str, role_id: int, via: Via, actor: str, now: datetime) -> bool:
    """Withdraw this role's grant if it stands; True when it did."""
    if not sharing_stands(session, candidate_id=candidate_id, role_id=role_id):
        return False
    record_share(session, candidate_id=candidate_id, role_id=role_id, granted=False, via=via, actor=actor, now=now)
    return True


def withdraw_all_grants(session, *, candidate_id: str, via: Via, actor: str, now: datetime) -> int:
    """`stop` and `forget`: every standing grant is withdrawn."""
    roles = ledger.granted_roles(session, candidate_id=candidate_id)
    for role_id in roles:
        record_share(session, candidate_id=candidate_id, role_id=role_id, granted=False, via=via, actor=actor, now=now)
    return len(roles)


def record_preferences_update(session, user_id: str, *, now: datetime) -> None:
    """Preferences changed (no values here: interests and companies are personal data that
    `forget` must be able to erase)."""
    ledger.record_ledger_event(
        session,
        subject=user_id,
        scope=PREFERENCES_SCOPE,
        action=Action.UPDATED,
        via=Via.MODAL,
        wording_version=wording.PREFERENCES_WORDING_VERSION,
        actor=user_id,
        now=now,
    )


def record_renewal(session, user_id: str, *, now: datetime) -> None:
    ledger.record_ledger_event(
        session,
        subject=user_id,
        scope=INVITATIONS_SCOPE,
        action=Action.RENEWED,
        via=Via.BUTTON,
        wording_version=wording.RENEWAL_WORDING_VERSION,
        actor=user_id,
        now=now,
    )


def record_stay_in_touch(session, user_id: str, *, via: Via, now: datetime) -> None:
    ledger.record_ledger_event(
        session,
        subject=user_id,
        scope=CADENCE_SCOPE,
        action=Action.GRANTED,
        via=via,
        wording_version=wording.STAY_IN_TOUCH_WORDING_VERSION,
        actor=user_id,
        now=now,
    )


def record_erasure(session, *, subject_hash: str, reason: Via, actor: str, now: datetime) -> None:
    ledger.record_ledger_event(
        session,
        subject=subject_hash,
        scope=INVITATIONS_SCOPE,
        action=Action.ERASED,
        via=reason,
        wording_version="erasure",
        actor=actor,
        now=now,
    )

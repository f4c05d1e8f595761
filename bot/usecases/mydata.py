"""`/nudge mydata`: everything Nudge stores about one person, as JSON they can keep."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.copy import candidate as copy
from bot.rules.consent import Action, ConsentStatus, role_of_share_scope
from bot.rules.webhooks import RECRUITING_SYSTEM
from bot.usecases.context import AppContext
from storage import candidates, invitations, ledger, personal, sharing, webhooks
from storage.models import Candidate, ConsentEvent, Invitation, Role

log = logging.getLogger(__name__)


# The candidate row's columns besides the preferences: how Nudge reaches them and when it asked.
RECORD = (
    "created_at",
    "updated_at",
    "dm_channel_id",
    "unreachable_at",
    "unreachable_reason",
    "still_welcome_asked_at",
    "renewal_asked_at",
    "slack_tz_checked_at",
    "streak_reset_at",
    "slack_locale_checked_at",
)
# A message step, without the sender's bookkeeping (its lease, its first call to Slack).
MESSAGE = (
    "kind",
    "created_at",
    "not_before",
    "sent_at",
    "cancelled_at",
    "failed_at",
    "last_error",
    "attempts",
    "invitation_id",
    "channel_id",
    "slack_ts",
)
INVITATION = (
    "id",
    "role_id",
    "created_at",
    "cancelled_at",
    "cancel_reason",
    "details_asked_at",
    "stage_changed_at",
    "channel_id",
    "message_ts",
    "followup_sent_at",
    "expired_at",
)

# An event about them for the team's recruiting system, without the sender's lease.
WEBHOOK_EVENT = (
    "webhook_id",
    "event_type",
    "data",
    "created_at",
    "not_before",
    "attempts",
    "last_status",
    "last_attempt_at",
    "last_failed_at",
    "last_failure",
    "delivered_at",
    "given_up_at",
)


def _recipient(recruiter_id: str) -> dict:
    """Who got the profile: a recruiter, or the team's recruiting system by webhook."""
    if recruiter_id == RECRUITING_SYSTEM:
        return {"sent_to": "the team's recruiting system (webhook sharing.granted)"}
    return {"recruiter": recruiter_id}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """These columns of a row, times as ISO strings (JSON has no time type)."""
    values = {name: getattr(row, name) for name in names}
    return {name: _iso(value) if isinstance(value, datetime) else value for name, value in values.items()}


@dataclass
class MyData:
    ctx: AppContext
    client: WebClient

    def collect(self, user_id: str) -> dict[str, Any]:
        """Everything stored about the person: their record and preferences, consent history
        (with who acted), invitations, every message Nudge sent or owes them (cancel reasons
        too), disclosures, private notes, once-ever messages, a suppression or pending erasure.
        Confidential company names they were not shown stay hidden; the recruiter's notes are
        theirs to see. `tests/usecases/test_mydata_is_everything.py` checks no column is left out."""
        person = self.ctx.hash_of(user_id)
        with self.ctx.sessions() as session:
            candidate = candidates.get_candidate(session, slack_user_id=user_id)
            history = ledger.consent_history(session, subject=user_id)
            theirs = invitations.invitations_of(session, candidate_id=user_id)
            disclosures = sharing.disclosures_of(session, candidate_id=user_id)
            notes = sharing.private_notes_of(session, candidate_id=user_id)
            messages = personal.messages_to(session, slack_user_id=user_id)
            once = personal.one_time_messages_of(session, subject_hash=person)
            suppressed = personal.suppression_of(session, subject_hash=person)
            pending = personal.erasure_request_of(session, slack_user_id=user_id)
            events = webhooks.events_about(session, candidate=user_id)
        data: dict[str, Any] = {
            "slack_user_id": user_id,
            "status": candidate.consent_status if candidate else ConsentStatus.NOT_JOINED,
            "preferences": _preferences(candidate) if candidate else None,
            "record": _columns(candidate, RECORD) if candidate else None,
            "consent_history": [_ledger_row(event) for event in history],
            "invitations": _invitation_rows(theirs, _shared_roles(history)),
            "messages": [_columns(m, MESSAGE) for m in messages],
            "one_time_messages": [_columns(m, ("kind", "at")) for m in once],
            "profile_disclosures": [
                {"at": _iso(d.at), **_recipient(d.recruiter_id), "role_id": d.role_id, "company": d.company}
                for d in disclosures
            ],
            "private_notes": [_columns(n, ("at", "invitation_id", "market_value", "next_role")) for n in notes],
            "suppression": _columns(suppressed, ("reason", "at")) if suppressed else None,
            "erasure_pending": _columns(pending, ("reason", "requested_at", "actor")) if pending else None,
            "webhook_events": [_columns(e, WEBHOOK_EVENT) for e in events],
        }
        if candidate is not None:
            data["joined_record_created_at"] = _iso(candidate.created_at)
        return data

    def send(self, user_id: str) -> None:
        """Upload the JSON to the person's DM with a one-line summary (files upload v2)."""
        data = self.collect(user_id)
        comment = copy.mydata_comment(
            status=data["status"],
            consents=len(data["consent_history"]),
            invitations=len(data["invitations"]),
            shared=len(data["profile_disclosures"]),
        )
        channel = self.client.conversations_open(users=user_id)["channel"]["id"]
        self.client.files_upload_v2(
            channel=channel,
            filename="nudge-my-data.json",
            title=copy.mydata_title(),
            content=json.dumps(data, indent=2, ensure_ascii=False),
            initial_comment=comment,
        )
        log.info("personal data sent", extra={"action": "mydata.sent"})


def _shared_roles(history: list[ConsentEvent]) -> set[int | None]:
    return {
        role_of_share_scope(e.scope)
        for e in history
        if role_of_share_scope(e.scope) is not None and e.action is Action.GRANTED
    }


def _ledger_row(event: ConsentEvent) -> dict[str, Any]:
    return {
        "at": _iso(event.at),
        "scope": event.scope,
        "action": event.action,
        "via": event.via,
        "wording_version": event.wording_version,
        "actor": event.actor,
    }


def _invitation_rows(theirs: list[tuple[Invitation, Role]], shared: set[int | None]) -> list[dict[str, Any]]:
    """A confidential role's company stays hidden until they agreed to share for it, and with it
    whether their never-list withheld the invitation (which would name the company)."""
    return [
        {
            "role": role.title,
            "company": "(confidential)" if _hidden(role, shared) else role.company,
            "recruiter": invitation.recruiter_id,
            "note": invitation.note,
            "status": invitation.status,
            "answer": invitation.answer,
            "stage": invitation.stage,
            "sent_at": _iso(invitation.sent_at),
            "answered_at": _iso(invitation.answered_at),
            "withheld_by_your_never_list": None if _hidden(role, shared) else invitation.withheld,
        }
        | _columns(invitation, INVITATION)
        for invitation, role in theirs
    ]


def _hidden(role: Role, shared: set[int | None]) -> bool:
    return role.confidential and role.id not in shared


def _preferences(candidate: Candidate) -> dict[str, Any]:
    return {
        "cadence": candidate.cadence,
        "interests": candidate.interests,
        "send_window": candidate.send_window,
        "time_zone_override": candidate.tz_override,
        "slack_time_zone": candidate.slack_tz,
        "language": candidate.language or "automatic",
        "slack_locale": candidate.slack_locale,
        "companies_never_to_hear_about": candidate.never_companies,
        "paused_until": _iso(candidate.paused_until),
        "note_for_companies": candidate.company_note,
    }

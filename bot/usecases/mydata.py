"""`/nudge mydata`: everything Nudge stores about one person, as JSON they can keep."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.rules.consent import Action, ConsentStatus, role_of_share_scope
from bot.usecases.context import AppContext
from storage import candidates, invitations, ledger, sharing
from storage.models import Candidate, ConsentEvent, Invitation, Role

log = logging.getLogger(__name__)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@dataclass
class MyData:
    ctx: AppContext
    client: WebClient

    def collect(self, user_id: str) -> dict[str, Any]:
        """The person's record, preferences, consent history and invitations. Confidential
        company names they were not shown stay hidden; the recruiter's notes are theirs to see."""
        with self.ctx.sessions() as session:
            candidate = candidates.get_candidate(session, slack_user_id=user_id)
            history = ledger.consent_history(session, subject=user_id)
            theirs = invitations.invitations_of(session, candidate_id=user_id)
            disclosures = sharing.disclosures_of(session, candidate_id=user_id)
            notes = sharing.private_notes_of(session, candidate_id=user_id)
        data: dict[str, Any] = {
            "slack_user_id": user_id,
            "status": candidate.consent_status if candidate else ConsentStatus.NOT_JOINED,
            "preferences": _preferences(candidate) if candidate else None,
            "consent_history": [_ledger_row(event) for event in history],
            "invitations": _invitation_rows(theirs, _shared_roles(history)),
            "profile_disclosures": [
                {"at": _iso(d.at), "recruiter": d.recruiter_id, "role_id": d.role_id, "company": d.company}
                for d in disclosures
            ],
            "private_notes": [
                {
                    "at": _iso(n.at),
                    "invitation_id": n.invitation_id,
                    "market_value": n.market_value,
                    "next_role": n.next_role,
                }
                for n in notes
            ],
        }
        if candidate is not None:
            data["joined_record_created_at"] = _iso(candidate.created_at)
        return data

    def send(self, user_id: str) -> None:
        """Upload the JSON to the person's DM with a one-line summary (files upload v2)."""
        data = self.collect(user_id)
        summary = (
            f"Status: {data['status'].replace('_', ' ')}; {len(data['consent_history'])} consent records; "
            f"{len(data['invitations'])} invitations; your profile was shared {len(data['profile_disclosures'])} times."
        )
        channel = self.client.conversations_open(users=user_id)["channel"]["id"]
        self.client.files_upload_v2(
            channel=channel,
            filename="nudge-my-data.json",
            title="Everything Nudge stores about you",
            content=json.dumps(data, indent=2, ensure_ascii=False),
            initial_comment=f"Here is everything Nudge stores about you. {summary}",
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
    }


def _invitation_rows(theirs: list[tuple[Invitation, Role]], shared: set[int | None]) -> list[dict[str, Any]]:
    return [
        {
            "role": role.title,
            "company": role.company if not role.confidential or role.id in shared else "(confidential)",
            "recruiter": invitation.recruiter_id,
            "note": invitation.note,
            "status": invitation.status,
            "answer": invitation.answer,
            "stage": invitation.stage,
            "sent_at": _iso(invitation.sent_at),
            "answered_at": _iso(invitation.answered_at),
            "withheld_by_your_never_list": invitation.withheld,
        }
        for invitation, role in theirs
    ]


def _preferences(candidate: Candidate) -> dict[str, Any]:
    return {
        "cadence": candidate.cadence,
        "interests": candidate.interests,
        "send_window": candidate.send_window,
        "time_zone_override": candidate.tz_override,
        "slack_time_zone": candidate.slack_tz,
        "companies_never_to_hear_about": candidate.never_companies,
        "paused_until": _iso(candidate.paused_until),
        "note_for_companies": candidate.company_note,
    }

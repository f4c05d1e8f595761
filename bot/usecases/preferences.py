"""A person's preferences: read as a snapshot (defaults for people Nudge has not stored), saved
all at once with a ledger note, and the time zone Slack reports, cached on their row."""

from __future__ import annotations

import logging

from bot.rules import consent
from bot.rules.consent import ConsentStatus, Standing
from bot.rules.eligibility import Cadence
from bot.rules.grammar import parse_send_window
from bot.rules.preferences import CandidateSnapshot
from bot.rules.preferences import Preferences as Chosen
from bot.usecases import ledger
from bot.usecases.context import AppContext
from storage import candidates

log = logging.getLogger(__name__)


class Preferences:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def snapshot(self, user_id: str) -> CandidateSnapshot:
        """A person's own state and preferences (defaults for people Nudge has not stored)."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session:
            candidate = candidates.get_candidate(session, slack_user_id=user_id)
        default_window = self.ctx.settings.send_window
        if candidate is None:
            return CandidateSnapshot(
                user_id, ConsentStatus.NOT_JOINED, Standing.NOT_JOINED, None, Cadence.QUARTERLY, (),
                default_window, True, None, None, (),
            )  # fmt: skip
        window = parse_send_window(candidate.send_window) if candidate.send_window else default_window
        return CandidateSnapshot(
            user_id=user_id,
            status=candidate.consent_status,
            standing=consent.standing(candidate.consent_status, candidate.paused_until, now),
            paused_until=candidate.paused_until,
            cadence=candidate.cadence,
            interests=tuple(candidate.interests or ()),
            send_window=window,
            window_is_default=candidate.send_window is None,
            tz_override=candidate.tz_override,
            slack_tz=candidate.slack_tz,
            never_companies=tuple(candidate.never_companies or ()),
            slack_tz_checked_at=candidate.slack_tz_checked_at,
            company_note=candidate.company_note,
            language=candidate.language,
            slack_locale=candidate.slack_locale,
            slack_locale_checked_at=candidate.slack_locale_checked_at,
        )

    def save(self, user_id: str, chosen: Chosen) -> bool:
        """Store all preferences at once and note the change in the ledger. False, storing
        nothing, for someone erased who has not come back with `join`."""
        now = self.ctx.clock()
        with self.ctx.sessions() as session, session.begin():
            candidate = ledger.lock_candidate(session, self.ctx, user_id, now)
            if candidate is None:
                return False
            candidate.cadence = chosen.cadence
            candidate.interests = list(chosen.interests)
            candidate.send_window = str(chosen.send_window) if chosen.send_window else None
            candidate.tz_override = chosen.tz_override
            candidate.never_companies = list(chosen.never_companies)
            candidate.company_note = chosen.company_note
            candidate.language = chosen.language.value if chosen.language else None
            candidate.updated_at = now
            session.add(candidate)
            ledger.record_preferences_update(session, user_id, now=now)
        log.info("preferences saved", extra={"action": "candidate.preferences", "person": self.ctx.hash_of(user_id)})
        self.ctx.changed(user_id)
        return True

"""Use cases: each one loads what it needs, asks the pure rules, and stores the result in one
transaction. No Slack calls here: replies are rendered by handlers, and anything that must reach
a person is queued in the outbox in the same transaction as the change that caused it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import consent, messages
from bot.clock import Clock
from bot.config import Settings
from bot.consent import ConsentChange, ConsentStatus, Via
from bot.keywords import DmIntent, classify_dm
from storage import queries
from storage.db import SessionFactory

log = logging.getLogger(__name__)

# Outbox kinds for direct-message replies (rendered by `bot.delivery.render`).
REPLY_OPTED_OUT = "dm.opted_out"
REPLY_ALREADY_OPTED_OUT = "dm.already_opted_out"
REPLY_HELP = "dm.help"
REPLY_POINTER = "dm.pointer"


@dataclass(frozen=True)
class DirectMessage:
    """The parts of a `message.im` event Nudge acts on."""

    event_id: str | None
    channel_id: str
    ts: str
    user_id: str
    text: str


@dataclass
class Nudge:
    """The application's use cases, assembled once with settings, a clock and sessions."""

    settings: Settings
    clock: Clock
    sessions: SessionFactory

    def is_recruiter(self, user_id: str) -> bool:
        return user_id in self.settings.all_recruiters

    def consent_status(self, user_id: str) -> ConsentStatus:
        with self.sessions() as session:
            return queries.consent_status(session, slack_user_id=user_id)

    def join(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt in at once; joining twice changes nothing and writes nothing."""
        return self._change_consent(user_id, consent.opt_in, via, messages.OPT_IN_WORDING_VERSION)

    def stop(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt out at once; stopping twice changes nothing and writes nothing."""
        return self._change_consent(user_id, consent.opt_out, via, messages.OPT_OUT_WORDING_VERSION)

    def _change_consent(self, user_id: str, rule, via: Via, wording_version: str) -> ConsentChange:
        now = self.clock()
        with self.sessions() as session, session.begin():
            change = self._apply(session, user_id, rule, via, wording_version, now)
        self._log_change(user_id, change, via)
        return change

    def _apply(self, session, user_id, rule, via, wording_version, now) -> ConsentChange:
        candidate = queries.lock_candidate(session, slack_user_id=user_id, now=now)
        change = rule(ConsentStatus(candidate.consent_status))
        queries.apply_consent_change(
            session,
            candidate=candidate,
            change=change,
            via=via.value,
            wording_version=wording_version,
            actor=user_id,
            now=now,
        )
        return change

    @staticmethod
    def _log_change(user_id: str, change: ConsentChange, via: Via) -> None:
        action = f"consent.{change.action.value}" if change.changed else "consent.unchanged"
        log.info(
            "consent %s -> %s via %s",
            change.before.value,
            change.after.value,
            via.value,
            extra={"action": action, "slack_user_id": user_id},
        )

    def receive_dm(self, dm: DirectMessage) -> list[int] | None:
        """Act on a direct message once: returns the outbox ids to send, or None for a repeat.

        The dedupe keys, the consent change and the queued reply commit together, so a retried
        event (same `event_id`, or same channel and `ts`) has no second effect, and a crash after
        the commit still leaves the reply queued.
        """
        now = self.clock()
        keys = [f"message:{dm.channel_id}:{dm.ts}"]
        if dm.event_id:
            keys.insert(0, f"event:{dm.event_id}")
        intent = classify_dm(dm.text)
        change = None
        with self.sessions() as session, session.begin():
            if not queries.claim_slack_event(session, keys=keys, now=now):
                # Keys that were new are kept: they name this same delivery.
                log.info("repeated event ignored", extra={"action": "event.duplicate", "keys": keys})
                return None
            if intent is DmIntent.STOP:
                change = self._apply(
                    session, dm.user_id, consent.opt_out, Via.KEYWORD, messages.OPT_OUT_WORDING_VERSION, now
                )
                kind = REPLY_OPTED_OUT if change.changed else REPLY_ALREADY_OPTED_OUT
            elif intent is DmIntent.HELP:
                kind = REPLY_HELP
            else:
                kind = REPLY_POINTER
            message_id = queries.enqueue_message(
                session, slack_user_id=dm.user_id, channel_id=dm.channel_id, kind=kind, now=now
            )
        if change is not None:
            self._log_change(dm.user_id, change, Via.KEYWORD)
        return [message_id]

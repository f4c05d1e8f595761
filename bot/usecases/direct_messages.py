"""What people write to Nudge in a DM (keywords), and the welcome DM for people who joined the
community channel. Each is acted on once, with the dedupe keys, the change and the queued reply
in one transaction: a retried event (same `event_id`, or same channel and `ts`) has no second
effect, and a crash after the commit still leaves the reply queued."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.rules import consent
from bot.rules.consent import ConsentChange, ConsentStatus, Via
from bot.rules.keywords import DmIntent, classify_dm
from bot.rules.steps import Kind
from bot.rules.suppression import subject_hash
from bot.usecases.consent import change_consent_in, log_consent_change
from bot.usecases.context import AppContext
from storage import candidates, markers, steps, suppression

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectMessage:
    """The parts of a `message.im` event Nudge acts on."""

    event_id: str | None
    channel_id: str
    ts: str
    user_id: str
    text: str


class DirectMessages:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def dedupe_keys(self, dm: DirectMessage) -> list[str]:
        """Keyed, like every other trace of a person: the key outlives an erasure by Slack's
        retry window, and a DM channel names its person."""
        keys = [f"message:{subject_hash(self.ctx.keys.secret(), f'{dm.channel_id}:{dm.ts}')}"]
        return [f"event:{dm.event_id}", *keys] if dm.event_id else keys

    def receive(self, dm: DirectMessage) -> list[int] | None:
        """Act on a direct message once: returns the outbox ids to send, or None for a repeat."""
        now = self.ctx.clock()
        keys = self.dedupe_keys(dm)
        intent = classify_dm(dm.text)
        change: ConsentChange | None = None
        with self.ctx.sessions() as session, session.begin():
            if not markers.claim_slack_event(session, keys=keys, now=now):
                # Keys that were new are kept: they name this same delivery.
                log.info("repeated event ignored", extra={"action": "event.duplicate", "keys": keys})
                return None
            if dm.channel_id.startswith("D"):
                candidates.remember_dm_channel(session, slack_user_id=dm.user_id, channel_id=dm.channel_id)
            if intent is DmIntent.STOP and suppression.is_suppressed(
                session, subject_hash=self.ctx.hash_of(dm.user_id)
            ):
                kind = Kind.REPLY_ALREADY_OPTED_OUT  # erased: confirm, and store nothing about them
            elif intent is DmIntent.STOP:
                change = change_consent_in(session, self.ctx, dm.user_id, consent.opt_out, Via.KEYWORD, now)
                kind = Kind.REPLY_OPTED_OUT if change.changed else Kind.REPLY_ALREADY_OPTED_OUT
            else:
                kind = Kind.REPLY_HELP if intent is DmIntent.HELP else Kind.REPLY_POINTER
            message_id = steps.enqueue_message(
                session, slack_user_id=dm.user_id, channel_id=dm.channel_id, kind=kind, now=now
            )
        if change is not None:
            log_consent_change(self.ctx, dm.user_id, change, Via.KEYWORD)
            if change.changed:
                self.ctx.changed(dm.user_id)
        return [message_id]

    def welcome(self, *, user_id: str, event_id: str | None) -> list[int]:
        """Queue the welcome DM for someone who joined the community channel: once per person,
        ever, and never to someone who already joined or opted out."""
        now = self.ctx.clock()
        person = self.ctx.hash_of(user_id)
        with self.ctx.sessions() as session, session.begin():
            if event_id and not markers.claim_slack_event(session, keys=[f"event:{event_id}"], now=now):
                return []
            if candidates.consent_status(session, slack_user_id=user_id) is not ConsentStatus.NOT_JOINED:
                return []
            if suppression.is_suppressed(session, subject_hash=person):
                return []
            if not markers.claim_one_time_message(session, kind=Kind.WELCOME, subject_hash=person, now=now):
                log.info("welcome already sent once", extra={"action": "welcome.repeat"})
                return []
            message_id = steps.enqueue_message(
                session, slack_user_id=user_id, channel_id=None, kind=Kind.WELCOME, now=now
            )
        log.info("welcome queued", extra={"action": "welcome.queued", "message_id": message_id})
        return [message_id]

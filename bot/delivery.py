"""The outbox sender: turns queued rows into Slack messages, each at most once per claim.

A row is claimed with a lease (a conditional update), sent, then marked sent. Whoever loses the
claim does nothing. A failed send is given back with a spaced-out retry time; errors that are about
the person (they left, they are a bot) end the row as failed instead of retrying forever.
"""

from __future__ import annotations

import logging
import random
from concurrent.futures import Executor
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.clock import Clock
from bot.config import Settings
from bot.consent import ConsentStatus
from bot.messages import Message
from bot.service import (
    ANONYMOUS_KINDS,
    OPT_IN_REQUEST,
    REPLY_ALREADY_OPTED_OUT,
    REPLY_HELP,
    REPLY_OPTED_OUT,
    REPLY_POINTER,
    WELCOME,
)
from storage import queries
from storage.db import SessionFactory
from storage.models import OutgoingMessage

log = logging.getLogger(__name__)

# Errors that are about one person: retrying cannot help.
PERSON_ERRORS = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot", "channel_not_found", "is_bot"})
# Errors that are about the bot itself: nothing can be sent until a human fixes the app.
BOT_ERRORS = frozenset({"invalid_auth", "account_inactive", "token_revoked", "not_authed", "missing_scope"})

METADATA_EVENT_TYPE = "nudge_step"
MAX_ATTEMPTS = 5


def still_wanted(message: OutgoingMessage, status: ConsentStatus) -> bool:
    """Re-checked at the moment of sending: the welcome is pointless once someone has joined or
    opted out in the meantime."""
    if message.kind in (WELCOME, OPT_IN_REQUEST):
        return status is ConsentStatus.NOT_JOINED
    return True


def render(message: OutgoingMessage, *, settings: Settings, status: ConsentStatus, is_recruiter: bool) -> Message:
    """The copy for a queued message, built at send time from ids and current state only."""
    command = settings.command
    if message.kind == WELCOME:
        return messages.welcome(command=command, privacy_url=settings.privacy_url, channel_id=settings.community_channel)
    if message.kind == OPT_IN_REQUEST:
        return messages.opt_in_request(command=command, privacy_url=settings.privacy_url)
    if message.kind == REPLY_OPTED_OUT:
        return messages.opted_out(command=command, already=False)
    if message.kind == REPLY_ALREADY_OPTED_OUT:
        return messages.opted_out(command=command, already=True)
    if message.kind == REPLY_HELP:
        return messages.help_message(
            command=command,
            is_recruiter=is_recruiter,
            opted_in_now=status is ConsentStatus.OPTED_IN,
            privacy_url=settings.privacy_url,
        )
    if message.kind == REPLY_POINTER:
        return messages.dm_pointer(command=command)
    raise ValueError(f"unknown outgoing message kind {message.kind!r}")


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff with jitter: 5 s, 10 s, 20 s … at most 10 minutes."""
    base = min(5 * 2 ** max(attempts - 1, 0), 600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


@dataclass
class Outbox:
    settings: Settings
    clock: Clock
    sessions: SessionFactory
    client: WebClient
    executor: Executor
    hash_of: Callable[[str], str]
    lease: timedelta = timedelta(seconds=45)

    def kick(self, message_ids: list[int]) -> None:
        """Send freshly queued messages soon, off the request thread."""
        for message_id in message_ids:
            self.executor.submit(self._send_logged, message_id)

    def send_due(self) -> int:
        """The scheduler tick: send everything due; returns how many were sent."""
        with self.sessions() as session:
            ids = queries.due_message_ids(session, now=self.clock())
        return sum(1 for message_id in ids if self.send_one(message_id))

    def _send_logged(self, message_id: int) -> None:
        try:
            self.send_one(message_id)
        except Exception:  # a worker thread has no caller to tell; the row stays queued
            log.exception("sending message %s failed", message_id, extra={"action": "outbox.crash"})

    def send_one(self, message_id: int) -> bool:
        """Claim, send and record one message. Returns True when it was delivered now."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            row = queries.claim_message(session, message_id=message_id, now=now, lease=self.lease)
            if row is None:
                return False
            status = queries.consent_status(session, slack_user_id=row.slack_user_id)
            if not still_wanted(row, status):
                queries.mark_message_failed(session, message_id=row.id, error="not_needed", now=now)
                if row.kind in ANONYMOUS_KINDS:
                    queries.anonymize_message(session, message_id=row.id, subject_hash=self.hash_of(row.slack_user_id))
                log.info("%s no longer needed", row.kind, extra={"action": "outbox.skipped", "message_id": row.id})
                return False
        content = render(
            row,
            settings=self.settings,
            status=status,
            is_recruiter=row.slack_user_id in self.settings.all_recruiters,
        )
        try:
            channel_id = row.channel_id or self._open_dm(row.slack_user_id)
            response = self.client.chat_postMessage(
                channel=channel_id,
                metadata={"event_type": METADATA_EVENT_TYPE, "event_payload": {"step": f"out-{row.id}"}},
                **content.as_kwargs(),
            )
        except SlackApiError as error:
            self._record_failure(row, str(error.response.get("error", "unknown_error")))
            return False
        except OSError as error:  # connection refused, reset, timeout
            self._record_failure(row, type(error).__name__)
            return False
        with self.sessions() as session, session.begin():
            queries.mark_message_sent(
                session, message_id=row.id, slack_ts=response.get("ts"), channel_id=channel_id, now=self.clock()
            )
            if row.kind in ANONYMOUS_KINDS and status is ConsentStatus.NOT_JOINED:
                queries.anonymize_message(session, message_id=row.id, subject_hash=self.hash_of(row.slack_user_id))
        log.info("sent %s", row.kind, extra={"action": "outbox.sent", "kind": row.kind, "message_id": row.id})
        return True

    def _open_dm(self, user_id: str) -> str:
        return self.client.conversations_open(users=user_id)["channel"]["id"]

    def _record_failure(self, row: OutgoingMessage, error: str) -> None:
        now = self.clock()
        give_up = error in PERSON_ERRORS or row.attempts >= MAX_ATTEMPTS
        with self.sessions() as session, session.begin():
            if give_up:
                queries.mark_message_failed(session, message_id=row.id, error=error, now=now)
                if row.kind in ANONYMOUS_KINDS:
                    queries.anonymize_message(session, message_id=row.id, subject_hash=self.hash_of(row.slack_user_id))
            else:
                queries.mark_message_retry(
                    session, message_id=row.id, error=error, retry_at=now + retry_delay(row.attempts)
                )
        level = logging.ERROR if error in BOT_ERRORS else logging.WARNING
        log.log(
            level,
            "could not send %s: %s%s",
            row.kind,
            error,
            " (the bot's token or app needs attention)" if error in BOT_ERRORS else "",
            extra={"action": "outbox.failed" if give_up else "outbox.retry", "error": error, "message_id": row.id},
        )

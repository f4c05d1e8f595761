"""The sender: turns due steps into Slack messages, each delivered at most once.

Every step goes the same way:
1. Claim it with a lease (a conditional update: only one sender wins) and ask `bot.steps.gate`
   whether it is still wanted; a step that must wait goes back with its new due time.
2. For proactive messages, read the person's Slack zone, status and Do Not Disturb now (not
   from a cache) and ask `moment_gate`.
3. Take the person's send lock (one send per person at a time) and count the attempt.
4. A step whose earlier attempt may have reached Slack is reconciled against the DM's history
   (each message carries its step id in `metadata`) before anything is resent.
5. Send, then record the result and its consequences (follow-up and expiry steps, the
   still-welcome question …) in one transaction, and release the lock.

Errors about one person end that person's steps and mark them unreachable; errors about the bot
(and the `app_uninstalled` / `tokens_revoked` events) stop all sending in every process, recorded
in the database, until `auth.test` succeeds again; anything else (a failed Slack read before the
send included) is retried with capped, jittered backoff and after `MAX_ATTEMPTS` tries recorded
as a failure the recruiter can see.

Row locks follow the order documented in `storage.queries`: candidate, invitation, steps, send lock.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import DBAPIError

from bot.copy import candidate as messages
from bot.copy import after_yes, journey
from bot.copy.blocks import Message
from bot.rules.clock import Clock
from bot.rules.companies import on_never_list
from bot.rules.consent import ConsentStatus, Via
from bot.rules.eligibility import Cadence
from bot.rules.grammar import parse_send_window
from bot.rules.preferences import add_months
from bot.rules.recruiting import STEPPED_BACK
from bot.rules.steps import (
    ANONYMOUS,
    EDITS,
    INTERNAL,
    NEEDS_OPT_IN,
    PROACTIVE,
    REPLIES,
    SILENT_CANCELS,
    TO_RECRUITER,
    Decision,
    InvitationFacts,
    Kind,
    StepFacts,
    Verdict,
    gate,
    moment_gate,
)
from bot.rules.timing import (
    Dnd,
    resolve_zone,
    should_ask_still_welcome,
    status_says_away,
)
from bot.sending.slack_client import retry_after_seconds, worst_case_call
from bot.settings import Settings
from storage import queries
from storage import recruiting as store
from storage.db import SessionFactory
from storage.models import Candidate, Invitation, OutgoingMessage, Role

log = logging.getLogger(__name__)

# Errors that are about one person: retrying cannot help.
PERSON_ERRORS = frozenset(
    {"user_not_found", "user_disabled", "cannot_dm_bot", "channel_not_found", "is_bot", "user_is_bot"}
)
# Errors that are about the bot itself: nothing can be sent until a human fixes the app.
BOT_ERRORS = frozenset(
    {
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "not_authed",
        "token_expired",
        "no_permission",
        "missing_scope",
    }
)

METADATA_EVENT_TYPE = "nudge_step"
# Reconciliation reads the DM's history from the first post attempt minus this much (Slack's
# clock and ours may differ a little).
RECONCILE_MARGIN = timedelta(minutes=10)
HISTORY_PAGE = 200
BUSY = "busy"
MAX_ATTEMPTS = 5
STILL_WELCOME_PAUSE_MONTHS = 6


def step_id(message_id: int) -> str:
    """The opaque id carried in message metadata (ids only: other apps can read metadata)."""
    return f"step-{message_id}"


def retry_delay(attempts: int, base: timedelta) -> timedelta:
    """Capped exponential backoff with jitter: base, 2×base, 4×base … at most 10 minutes."""
    seconds = min(base.total_seconds() * 2 ** max(attempts - 1, 0), 600)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


@dataclass
class StepContext:
    """Everything one step needs, loaded in the claiming transaction."""

    row: OutgoingMessage
    kind: Kind
    candidate: Candidate | None
    invitation: Invitation | None
    role: Role | None
    booking_link: str | None
    facts: StepFacts
    claim: datetime | None = None  # our claim's `claimed_until`: every later write checks it is still ours


class SendError(Exception):
    """A Slack call failed; `code` is Slack's error code or the connection error's name, and
    `retry_after` Slack's requested wait for a 429 that was too long to wait out in place."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


@dataclass
class Outbox:
    settings: Settings
    clock: Clock
    sessions: SessionFactory
    client: WebClient
    executor: Executor
    hash_of: Callable[[str], str]
    notify: Callable[[str], None] = lambda user_id: None
    lease: timedelta = timedelta(seconds=45)
    retry_base: timedelta = timedelta(seconds=5)
    workers: int = 4
    metrics: object | None = None  # bot.metrics.Metrics, set by the assembly
    claim_batch: int = 8  # steps one worker claims per statement; sent in turn within the lease
    dnd_fresh_seconds: float = 10.0  # a batch's dnd.teamInfo answer is used only this soon after
    _dnd_read: dict = field(default_factory=dict, init=False, repr=False)
    _dnd_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    stop_check_seconds: float = 1.0  # how long one process trusts its last read of the durable stop
    _stop_read: tuple[float, str | None] | None = field(default=None, init=False, repr=False)
    process_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")

    # --- the durable stop ----------------------------------------------------------------------------

    @property
    def halted(self) -> str | None:
        """Why all sending is stopped (Slack refused the bot), or None. Read from the database
        (shared by every process), at most once per `stop_check_seconds`."""
        import time

        read = self._stop_read
        if read is not None and time.monotonic() - read[0] < self.stop_check_seconds:
            return read[1]
        try:
            with self.sessions() as session:
                stop = queries.sending_stop(session)
        except DBAPIError:
            return read[1] if read else None
        reason = stop.reason if stop is not None else None
        self._stop_read = (time.monotonic(), reason)
        return reason

    @property
    def last_known_stop(self) -> str | None:
        """The last stop read, without asking the database (for /healthz while it is down)."""
        return self._stop_read[1] if self._stop_read else None

    def stop_sending(self, reason: str) -> None:
        """Slack refused the bot (uninstalled, token revoked, an auth error): stop all sending in
        every process now. The data are kept; `check_authorization` resumes."""
        with self.sessions() as session, session.begin():
            new = queries.stop_sending(session, reason=reason, now=self.clock())
        self._stop_read = None
        if new:
            self._log_stop(reason)

    @staticmethod
    def _log_stop(reason: str) -> None:
        log.critical(
            "Slack refused the bot (%s): all sending is stopped in every process. Nothing is lost; sending "
            "resumes by itself once auth.test succeeds again (checked hourly). Check SLACK_BOT_TOKEN and the app's installation.",
            reason,
            extra={"action": "outbox.halted", "error": reason},
        )

    def check_authorization(self) -> bool:
        """While sending is stopped, ask Slack (`auth.test`) whether it accepts the bot again and
        if so resume: at start and every hour (one scheduled job). True when sending runs."""
        with self.sessions() as session:
            stop = queries.sending_stop(session)
        if stop is None:
            return True
        try:
            self._call(lambda: self.client.auth_test())
        except SendError as error:
            log.warning(
                "sending stays stopped (%s): auth.test says %s",
                stop.reason,
                error.code,
                extra={"action": "outbox.still_stopped", "error": error.code},
            )
            return False
        with self.sessions() as session, session.begin():
            queries.resume_sending(session)
        self._stop_read = None
        log.warning(
            "Slack accepts the bot again (auth.test ok): sending resumes after %s",
            stop.reason,
            extra={"action": "outbox.resumed"},
        )
        return True

    # --- entry points ------------------------------------------------------------------------------

    def kick(self, message_ids: list[int]) -> None:
        """Send freshly queued steps soon, off the request thread."""
        for message_id in message_ids:
            if message_id is not None:
                self.executor.submit(self._send_logged, message_id)

    def tick(self) -> int:
        """The scheduler's job: send what is due with a few workers; a database outage is
        logged and waited out (the next tick tries again), never fatal."""
        try:
            return self.send_due(workers=self.workers)
        except DBAPIError as error:
            log.warning(
                "database unavailable, sending waits: %s",
                type(error.orig).__name__ if error.orig else error,
                extra={"action": "outbox.db_down"},
            )
            return 0

    def send_due(self, limit: int = 500, workers: int = 1) -> int:
        """Claim and send due steps until none is left (or `limit`); returns how many were
        delivered. Each worker claims a batch of due steps in one statement (SKIP LOCKED) and
        sends them in due order; every send renews its claim from fresh time first, so a step
        whose lease ran out while it waited is given up, never sent twice."""
        if self.halted:
            log.info(
                "sending is stopped (%s); waiting for auth.test to succeed",
                self.halted,
                extra={"action": "outbox.stopped"},
            )
            return 0
        seen: set[int] = set()
        seen_lock = threading.Lock()
        budget = [limit]

        def work() -> int:
            sent = 0
            while not self.halted:
                with seen_lock:
                    take = min(self.claim_batch, budget[0])
                    if take <= 0:
                        return sent
                    budget[0] -= take
                    skip = frozenset(seen)
                claimed_at = self.clock()
                with self.sessions() as session, session.begin():
                    ids = queries.claim_due(session, now=claimed_at, lease=self.lease, limit=take, exclude=skip)
                if not ids:
                    return sent
                with seen_lock:
                    seen.update(ids)
                    budget[0] += take - len(ids)
                self._read_dnd_for(ids)
                for message_id in ids:
                    if self.halted:  # what is left stays claimed until its lease ends, then is retried
                        break
                    sent += bool(self._send_logged(message_id, busy_retries=1, held=claimed_at + self.lease))
            return sent

        if workers <= 1:
            return work()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nudge-tick") as pool:
            return sum(f.result() for f in [pool.submit(work) for _ in range(workers)])

    def _send_logged(self, message_id: int, busy_retries: int = 50, held: datetime | None = None) -> bool:
        """Send one step; while another send to the same person is in flight, try again shortly
        (replies should not wait for the next tick just because a message was on its way)."""
        import time

        try:
            for attempt in range(busy_retries):
                result = self.send_one(message_id, held=held if attempt == 0 else None)
                if result is not BUSY:
                    return bool(result)
                time.sleep(0.1)
            return False
        except Exception:  # a worker thread has no caller to tell; the lease runs out and it is retried
            log.exception("sending step %s failed", message_id, extra={"action": "outbox.crash"})
            return False

    # --- one step ------------------------------------------------------------------------------------

    def send_one(self, message_id: int, *, held: datetime | None = None):
        """Claim, check, send and record one step. True when it was delivered now, BUSY when
        another send to the same person was in flight (the step stays due), else False."""
        if self.halted:
            return False
        now = self.clock()
        with self.sessions() as session, session.begin():
            row = queries.get_message(session, message_id=message_id) if held is not None else None
            if row is None or row.claimed_until != held:
                # Not claimed by our batch, or the lease ran out while the step waited its turn
                # (someone may have taken it over): claim it now, or leave it to whoever holds it.
                row = queries.claim_message(session, message_id=message_id, now=now, lease=self.lease)
            if row is None:
                return False
            if queries.sending_stop(session) is not None:  # stopped by another process meanwhile
                queries.release_claim(
                    session, message_id=row.id, not_before=now, reason="sending_stopped", held=row.claimed_until
                )
                self._stop_read = None
                return False
            ctx = self._load(session, row, now)
            decision = gate(ctx.facts, now)
            # A cancel that touches the invitation is applied below, with the person's and the
            # invitation's rows locked first (the lock order); this transaction holds the step.
            cancel_in_order = (
                decision.verdict is Verdict.CANCEL
                and ctx.kind is Kind.INVITATION
                and ctx.invitation is not None
                and ctx.invitation.status == store.QUEUED
            )
            if not cancel_in_order and self._settle(session, ctx, decision, now):
                return False
        if ctx.kind in PROACTIVE and not cancel_in_order:
            try:
                decision = self._moment(ctx, now)
            except SendError as error:
                return self._failed(ctx, error.code, attempt=None, locked=False, retry_after=error.retry_after)
            except Exception as error:  # a malformed answer or a bug: counted and bounded like any failure
                log.exception("reading the moment for step %s failed", row.id, extra={"action": "outbox.crash"})
                return self._failed(ctx, type(error).__name__, attempt=None, locked=False)
            if decision.verdict is not Verdict.GO:
                with self.sessions() as session, session.begin():
                    self._settle(session, ctx, decision, now)
                return False
        holder = f"{self.process_id}:{uuid.uuid4().hex[:8]}"
        claim = row.claimed_until
        with self.sessions() as session, session.begin():
            # Fresh time: the Slack reads above took a while, and the lease and the person's lock
            # must be counted from now. Lock order: the person, the invitation, then the step.
            # Every kind is checked again with the person's row locked: an opt-out (or an answer)
            # either commits before this check and the step is cancelled, or waits until our
            # send lock is visible to its confirmation.
            now = self.clock()
            fresh = queries.lock_existing_candidate(session, slack_user_id=ctx.row.slack_user_id)
            if ctx.row.invitation_id is not None:
                store.get_invitation(session, invitation_id=ctx.row.invitation_id, for_update=True)
            claim = queries.renew_claim(session, message_id=row.id, held=claim, now=now, lease=self.lease)
            row.claimed_until = claim
            if claim is None:
                log.warning("lost the claim on step %s (lease ran out)", row.id, extra={"action": "outbox.claim_lost"})
                return False
            ctx = self._load(session, ctx.row, now, candidate=fresh)
            decision = gate(ctx.facts, now)
            if self._settle(session, ctx, decision, now):
                return False
            if cancel_in_order:  # no longer to be cancelled after all: its moment was not read yet
                queries.release_claim(session, message_id=row.id, not_before=now, reason="gate_changed", held=claim)
                return False
            if not queries.acquire_send_lock(
                session, user_id=ctx.row.slack_user_id, holder=holder, until=now + self.lease, now=now
            ):
                queries.release_claim(session, message_id=row.id, not_before=now, reason="person_busy", held=claim)
                return BUSY
            attempt = queries.count_attempt(session, message_id=row.id)
            earlier_post = None
            if ctx.kind not in INTERNAL and ctx.kind not in EDITS:
                earlier_post = queries.note_post_attempt(session, message_id=row.id, now=now)
        started = now
        try:
            channel_id, ts = self._deliver(ctx, earlier_post, started=started)
        except SendError as error:
            return self._failed(
                ctx, error.code, attempt=attempt, locked=True, holder=holder, retry_after=error.retry_after
            )
        except Exception as error:  # a bug or the database: never leave the person locked until the lease ends
            log.exception("unexpected error sending step %s", row.id, extra={"action": "outbox.crash"})
            return self._failed(ctx, type(error).__name__, attempt=attempt, locked=True, holder=holder)
        with self.sessions() as session, session.begin():
            self._record(session, ctx, channel_id=channel_id, ts=ts, now=self.clock())
            queries.release_send_lock(session, user_id=ctx.row.slack_user_id, holder=holder)
        log.info(
            "sent %s", ctx.kind.value, extra={"action": "outbox.sent", "kind": ctx.kind.value, "message_id": row.id}
        )
        if self.metrics is not None:
            self.metrics.sent(ctx.kind.value)
        if ctx.kind is Kind.STILL_WELCOME_LAPSE:
            self.notify(ctx.row.slack_user_id)
        return True

    @staticmethod
    def _kept_only_as_hash(ctx: StepContext, candidate: Candidate | None) -> bool:
        """Whether a finished step (sent, failed or cancelled) may keep only a keyed hash of its
        recipient: people who never joined (welcome DMs, opt-in requests, replies to strangers)
        and people erased are remembered only that way, whatever became of the message."""
        if ctx.kind in ANONYMOUS and ctx.facts.consent is ConsentStatus.NOT_JOINED:
            return True
        return ctx.kind in REPLIES and candidate is None

    # --- loading and gating ----------------------------------------------------------------------

    def _load(self, session, row: OutgoingMessage, now: datetime, candidate: Candidate | None = None) -> StepContext:
        kind = Kind(row.kind)
        if candidate is None and kind not in TO_RECRUITER:
            candidate = queries.get_candidate(session, slack_user_id=row.slack_user_id)
        invitation = role = None
        if row.invitation_id is not None:
            invitation = store.get_invitation(session, invitation_id=row.invitation_id)
            role = store.get_role(session, role_id=invitation.role_id) if invitation else None
        switch = store.team_switch(session)
        invitation_facts = None
        if invitation is not None:
            invitation_facts = InvitationFacts(
                status=invitation.status,
                answered=invitation.answer not in (None, "details", "expired"),
                expired=invitation.expired_at is not None,
                role_open=role is not None and role.status == store.OPEN,
                company_on_never_list=role is not None
                and on_never_list(role.company, candidate.never_companies if candidate else ()),
                sent_at=invitation.sent_at,
                recruiter_active=invitation.recruiter_id in self.settings.all_recruiters
                or store.is_added_recruiter(session, user_id=invitation.recruiter_id),
                other_delivered_at=store.other_delivered_at(
                    session, candidate_id=invitation.candidate_id, exclude_invitation_id=invitation.id
                ),
                stepped_back=invitation.stage == STEPPED_BACK,
            )
        facts = StepFacts(
            kind=kind,
            consent=ConsentStatus(candidate.consent_status) if candidate else ConsentStatus.NOT_JOINED,
            paused_until=candidate.paused_until if candidate else None,
            unreachable=bool(candidate and candidate.unreachable_at),
            team_paused=bool(switch and switch.paused),
            cadence=Cadence(candidate.cadence) if candidate else Cadence.QUARTERLY,
            min_gap=self.settings.min_gap,
            followup_after=self.settings.followup_after,
            expire_after=self.settings.expire_after,
            invitation=invitation_facts,
            erased=kind not in TO_RECRUITER
            and queries.is_suppressed(session, subject_hash=self.hash_of(row.slack_user_id)),
        )
        link = store.booking_link(session, user_id=invitation.recruiter_id) if invitation is not None else None
        return StepContext(row, kind, candidate, invitation, role, link, facts, claim=row.claimed_until)

    def _settle(self, session, ctx: StepContext, decision: Decision, now: datetime) -> bool:
        """Apply a WAIT or CANCEL decision; True when the step does not go now."""
        if decision.verdict is Verdict.GO:
            return False
        if decision.verdict is Verdict.WAIT:
            queries.release_claim(
                session, message_id=ctx.row.id, not_before=decision.until, reason=decision.reason, held=ctx.claim
            )
            return True
        if not queries.mark_message_cancelled(
            session, message_id=ctx.row.id, reason=decision.reason or "cancelled", now=now, held=ctx.claim
        ):
            return True  # another sender owns the step now
        if (
            ctx.kind is Kind.INVITATION
            and ctx.invitation is not None
            and ctx.invitation.status == "queued"
            and decision.reason not in SILENT_CANCELS
        ):
            store.cancel_queued(
                session,
                now=now,
                reason=decision.reason or "cancelled",
                candidate_id=ctx.invitation.candidate_id,
                role_id=ctx.invitation.role_id,
            )
        if self._kept_only_as_hash(ctx, ctx.candidate):
            queries.anonymize_message(session, message_id=ctx.row.id, subject_hash=self.hash_of(ctx.row.slack_user_id))
        log.info(
            "%s not sent: %s",
            ctx.kind.value,
            decision.reason,
            extra={"action": "outbox.cancelled", "reason": decision.reason},
        )
        return True

    def _read_dnd_for(self, message_ids: list[int]) -> None:
        """Several proactive steps due at once: read Do Not Disturb for all their people in one
        `dnd.teamInfo` call (Tier 2) instead of one `dnd.info` (Tier 3) each. The answers are
        used only within `dnd_fresh_seconds`, for the step about to be sent, then dropped."""
        import time

        with self.sessions() as session:
            users = queries.recipients(session, message_ids=message_ids, kinds=frozenset(k.value for k in PROACTIVE))
        users = sorted(set(users))[:50]  # dnd.teamInfo answers for up to 50 people
        if len(users) < 2:
            return
        try:
            answer = self._call(lambda: self.client.dnd_teamInfo(users=",".join(users)))
        except SendError as error:  # each send reads its own DND instead
            log.info(
                "dnd.teamInfo failed (%s); reading per person", error.code, extra={"action": "outbox.dnd_batch_failed"}
            )
            return
        read_at = time.monotonic()
        with self._dnd_lock:
            for user, data in (answer.get("users") or {}).items():
                if user in users and isinstance(data, dict):
                    self._dnd_read[user] = (read_at, data)

    def _dnd_of(self, user_id: str) -> dict:
        """Fresh DND for one person: this batch's read if it is recent, else `dnd.info` now."""
        import time

        with self._dnd_lock:
            read = self._dnd_read.pop(user_id, None)
        if read is not None and time.monotonic() - read[0] <= self.dnd_fresh_seconds:
            return read[1]
        return self._call(lambda: self.client.dnd_info(user=user_id)).data

    def _moment(self, ctx: StepContext, now: datetime) -> Decision:
        """Read the person's zone, status and DND from Slack now, and ask the moment gate."""
        user = self._call(lambda: self.client.users_info(user=ctx.row.slack_user_id))["user"]
        if user.get("deleted"):
            raise SendError("user_disabled")
        dnd = Dnd.from_api(self._dnd_of(ctx.row.slack_user_id))
        profile = user.get("profile") or {}
        expiration = profile.get("status_expiration") or None
        away = status_says_away(profile.get("status_text"), profile.get("status_emoji"), expiration, now)
        candidate = ctx.candidate
        override = candidate.tz_override if candidate else None
        zone = resolve_zone(user.get("tz"), override)
        window = (
            parse_send_window(candidate.send_window)
            if candidate and candidate.send_window
            else self.settings.send_window
        )
        return moment_gate(window=window, zone=zone, dnd=dnd, away=away, status_expiration=expiration, now=now)

    def _call(self, call):
        try:
            return call()
        except SlackApiError as error:
            if error.response.status_code == 429:
                raise SendError("ratelimited", retry_after_seconds(error.response.headers)) from error
            raise SendError(str(error.response.get("error", "unknown_error"))) from error
        except (SlackClientError, OSError) as error:
            raise SendError(type(error).__name__) from error

    # --- delivery --------------------------------------------------------------------------------------

    def _deliver(
        self, ctx: StepContext, earlier_post: datetime | None, *, started: datetime
    ) -> tuple[str | None, str | None]:
        """Post (or edit) the message; returns (channel, ts). Reconciles before any resend (a
        post of this step was attempted at `earlier_post`), and posts only while the claim has
        time left for the post's own worst case: a post that could outlive the lease might be
        sent again by whoever takes the step over.

        A first DM to someone whose DM channel is not known yet goes to their user id: Slack
        delivers it to the app's DM with them and answers with the `D…` channel, which is stored
        (no `conversations.open`). Only a resend with no channel known needs
        `conversations.open`, to read that DM's history."""
        if ctx.kind in INTERNAL:
            return None, None
        content = self.render(ctx)
        if ctx.kind in EDITS:
            invitation = ctx.invitation
            self._call(
                lambda: self.client.chat_update(
                    channel=invitation.channel_id, ts=invitation.message_ts, **content.as_kwargs()
                )
            )
            return invitation.channel_id, invitation.message_ts
        channel = ctx.row.channel_id or (ctx.candidate.dm_channel_id if ctx.candidate else None)
        if earlier_post is not None:
            if channel is None:
                channel = self._call(lambda: self.client.conversations_open(users=ctx.row.slack_user_id))["channel"][
                    "id"
                ]
            found = self._reconcile(channel, ctx.row.id, since=earlier_post)
            if found is not None:
                log.warning(
                    "step %s had reached Slack already; not sending it again",
                    ctx.row.id,
                    extra={"action": "outbox.reconciled"},
                )
                return channel, found
        if self.clock() - started > self.lease - worst_case_call(self.lease):
            raise SendError("claim_running_out")
        metadata = {"event_type": METADATA_EVENT_TYPE, "event_payload": {"step": step_id(ctx.row.id)}}
        target = channel or ctx.row.slack_user_id
        response = self._call(
            lambda: self.client.chat_postMessage(channel=target, metadata=metadata, **content.as_kwargs())
        )
        return response.get("channel") or channel, response.get("ts")

    def _reconcile(self, channel: str, message_id: int, *, since: datetime) -> str | None:
        """The ts of this step's message if an earlier attempt posted it (found by metadata).
        Reads every message since the first post attempt (minus a margin for clock skew), page
        by page, so a busy DM cannot hide the earlier post and cause a second one."""
        wanted = step_id(message_id)
        oldest = f"{(since - RECONCILE_MARGIN).timestamp():.6f}"
        cursor = None
        while True:
            arguments = {"channel": channel, "oldest": oldest, "limit": HISTORY_PAGE, "include_all_metadata": True}
            if cursor:
                arguments["cursor"] = cursor
            page = self._call(lambda: self.client.conversations_history(**arguments))
            for message in page.get("messages", []):
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("step") == wanted:
                    return message.get("ts")
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None

    def render(self, ctx: StepContext) -> Message:
        """The copy for a step, built at send time from ids and current state only."""
        settings = self.settings
        command = settings.command
        kind, role, invitation = ctx.kind, ctx.role, ctx.invitation
        status = ctx.facts.consent
        if kind is Kind.REPLY_OPTED_OUT:
            return messages.opted_out(command=command, already=False)
        if kind is Kind.REPLY_ALREADY_OPTED_OUT:
            return messages.opted_out(command=command, already=True)
        if kind is Kind.REPLY_HELP:
            return messages.help_message(
                command=command,
                is_recruiter=ctx.row.slack_user_id in settings.all_recruiters,
                opted_in_now=status is ConsentStatus.OPTED_IN,
                privacy_url=settings.privacy_url,
            )
        if kind is Kind.REPLY_POINTER:
            return messages.dm_pointer(command=command)
        if kind is Kind.WELCOME:
            return messages.welcome(
                command=command, privacy_url=settings.privacy_url, channel_id=settings.community_channel
            )
        if kind is Kind.OPT_IN_REQUEST:
            return messages.opt_in_request(command=command, privacy_url=settings.privacy_url)
        if kind is Kind.INVITATION:
            interests = set(ctx.candidate.interests or ()) if ctx.candidate else set()
            matched = tuple(tag for tag in role.tags or () if tag in interests)
            return journey.invitation(
                invitation_id=invitation.id,
                role=role,
                recruiter_id=invitation.recruiter_id,
                note=invitation.note,
                matched=matched,
            )
        if kind is Kind.FOLLOWUP:
            return journey.followup(role=role, recruiter_id=invitation.recruiter_id)
        if kind is Kind.EXPIRE:
            return journey.answered(role=role, answer="expired", command=command)
        if kind is Kind.RECRUITER_ACCEPTED:
            return journey.recruiter_accepted(
                candidate_id=invitation.candidate_id, role=role, has_link=bool(ctx.booking_link), command=command
            )
        if kind is Kind.BOOKING_LINK:
            return journey.booking_link(recruiter_id=invitation.recruiter_id, url=ctx.booking_link or "")
        if kind is Kind.SHARE_ASK:
            return journey.share_ask(invitation_id=invitation.id, role=role, command=command)
        if kind in (Kind.CHECKIN_CONVERSATION, Kind.CHECKIN_INTERVIEWING, Kind.CHECKIN_OFFER):
            return journey.checkin(
                role=role,
                stage=kind.value.split(".", 1)[1],
                recruiter_id=invitation.recruiter_id,
                invitation_id=invitation.id,
            )
        if kind is Kind.RECRUITER_STEPPED_BACK:
            return after_yes.recruiter_stepped_back(candidate_id=invitation.candidate_id, role_id=invitation.role_id)
        if kind is Kind.STAY_IN_TOUCH:
            return after_yes.stay_in_touch(role=role, invitation_id=invitation.id)
        if kind is Kind.STILL_WELCOME:
            return journey.still_welcome(command=command)
        if kind is Kind.CONSENT_RENEWAL:
            return journey.consent_renewal(command=command, privacy_url=settings.privacy_url)
        raise ValueError(f"no copy for step kind {kind!r}")

    # --- recording ---------------------------------------------------------------------------------

    def _record(self, session, ctx: StepContext, *, channel_id: str | None, ts: str | None, now: datetime) -> None:
        row, kind = ctx.row, ctx.kind
        # Lock order: the person, the invitation, then the step. Locked: an opt-out racing with
        # this send either sees the steps created here (and cancels them) or has already
        # committed (and none are created).
        candidate = (
            queries.lock_existing_candidate(session, slack_user_id=row.slack_user_id)
            if kind not in TO_RECRUITER
            else None
        )
        invitation = (
            store.get_invitation(session, invitation_id=row.invitation_id, for_update=True)
            if row.invitation_id
            else None
        )
        queries.mark_message_sent(
            session, message_id=row.id, slack_ts=ts, channel_id=channel_id or row.channel_id or "", now=now
        )
        still_in = candidate is not None and ConsentStatus(candidate.consent_status) is ConsentStatus.OPTED_IN
        if (
            candidate is not None
            and channel_id
            and channel_id.startswith("D")
            and kind not in EDITS
            and candidate.dm_channel_id != channel_id
        ):
            candidate.dm_channel_id = channel_id  # as Slack named it in its answer
            session.add(candidate)
        if self._kept_only_as_hash(ctx, candidate):
            queries.anonymize_message(session, message_id=row.id, subject_hash=self.hash_of(row.slack_user_id))
        if kind is Kind.INVITATION:
            if invitation.status == store.SENT:
                return  # a click on the message recorded its delivery first: nothing twice
            store.record_delivery(
                session,
                invitation=invitation,
                channel_id=channel_id,
                ts=ts,
                now=now,
                opted_in=still_in,
                followup_after=self.settings.followup_after,
                expire_after=self.settings.expire_after,
            )
        elif kind is Kind.FOLLOWUP:
            invitation.followup_sent_at = now
            session.add(invitation)
        elif kind is Kind.EXPIRE:
            if invitation.answer not in (None, "details"):
                return  # answered while the edit was on its way: the answer stands
            invitation.answer, invitation.expired_at = "expired", now
            session.add(invitation)
            session.flush()
            self._maybe_ask_still_welcome(session, invitation, candidate, now)
        elif kind is Kind.CONSENT_RENEWAL and candidate is not None:
            candidate.renewal_asked_at = now  # the 30 days to answer start when they were asked
            session.add(candidate)
        elif (
            kind is Kind.STILL_WELCOME_LAPSE and candidate is not None and candidate.still_welcome_asked_at is not None
        ):
            from bot.usecases.candidates import Candidates

            until = add_months(now, resolve_zone(candidate.slack_tz, candidate.tz_override), STILL_WELCOME_PAUSE_MONTHS)
            Candidates.pause_in(session, candidate, until=until, via=Via.SYSTEM, actor="nudge", now=now)
            candidate.still_welcome_asked_at = None
            candidate.streak_reset_at = now  # earlier expiries no longer count toward a streak
            session.add(candidate)

    def _maybe_ask_still_welcome(
        self, session, invitation: Invitation, candidate: Candidate | None, now: datetime
    ) -> None:
        """Two invitations in a row expired: ask once whether invitations are still welcome."""
        if candidate is None or candidate.still_welcome_asked_at is not None:
            return
        outcomes = store.recent_outcomes(session, candidate_id=candidate.slack_user_id)
        if not should_ask_still_welcome(outcomes, since=candidate.streak_reset_at):
            return
        candidate.still_welcome_asked_at = now
        session.add(candidate)
        for kind, at in ((Kind.STILL_WELCOME, now), (Kind.STILL_WELCOME_LAPSE, now + self.settings.expire_after)):
            queries.enqueue_step_once(
                session,
                invitation_id=invitation.id,
                kind=kind,
                slack_user_id=candidate.slack_user_id,
                now=now,
                not_before=at,
            )

    # --- failures ------------------------------------------------------------------------------------

    def _failed(
        self,
        ctx: StepContext,
        code: str,
        *,
        attempt: int | None,
        locked: bool,
        holder: str | None = None,
        retry_after: float | None = None,
    ) -> bool:
        """Record a failed try. `attempt` None: a Slack read before the send failed, and this
        try is counted here, so those failures end after `MAX_ATTEMPTS` like any other."""
        now = self.clock()
        newly_stopped = False
        row, kind = ctx.row, ctx.kind
        held = row.claimed_until
        if self.metrics is not None:
            self.metrics.failed(code)
        with self.sessions() as session, session.begin():
            if code == "claim_running_out":
                queries.release_claim(session, message_id=row.id, not_before=now, reason=code, held=held)
                outcome = "retry"
            elif retry_after is not None:
                # Slack asked for a long wait: give the step back until then (not a failure).
                queries.release_claim(
                    session, message_id=row.id, not_before=now + timedelta(seconds=retry_after), reason=code, held=held
                )
                outcome = "ratelimited"
            elif code in BOT_ERRORS:
                newly_stopped = queries.stop_sending(session, reason=code, now=now)
                queries.release_claim(
                    session, message_id=row.id, not_before=now + timedelta(minutes=1), reason=code, held=held
                )
                outcome = "halted"
            elif code in PERSON_ERRORS:
                self._person_unreachable(session, ctx, code, now)
                outcome = "unreachable"
            elif (
                attempt := attempt if attempt is not None else queries.count_attempt(session, message_id=row.id)
            ) >= MAX_ATTEMPTS:
                if kind is Kind.INVITATION:
                    self._invitation_failed(session, ctx, code, now)
                queries.mark_message_failed(session, message_id=row.id, error=code, now=now)
                outcome = "failed"
            else:
                queries.release_claim(
                    session,
                    message_id=row.id,
                    not_before=now + retry_delay(max(attempt, 1), self.retry_base),
                    reason=code,
                    held=held,
                )
                outcome = "retry"
            if outcome in ("failed", "unreachable") and self._kept_only_as_hash(ctx, ctx.candidate):
                queries.anonymize_message(session, message_id=row.id, subject_hash=self.hash_of(row.slack_user_id))
            if locked and holder:
                queries.release_send_lock(session, user_id=row.slack_user_id, holder=holder)
        if outcome == "halted":
            self._stop_read = None
            if newly_stopped:
                self._log_stop(code)
        else:
            log.warning(
                "could not send %s: %s",
                kind.value,
                code,
                extra={"action": f"outbox.{outcome}", "error": code, "message_id": row.id},
            )
        return False

    def _person_unreachable(self, session, ctx: StepContext, code: str, now: datetime) -> None:
        """Slack says this person cannot get DMs: stop trying, and say so where recruiters look."""
        row = ctx.row
        candidate = queries.lock_existing_candidate(session, slack_user_id=row.slack_user_id)  # lock order
        if ctx.kind is Kind.INVITATION:
            self._invitation_failed(session, ctx, code, now)
        queries.mark_message_failed(session, message_id=row.id, error=code, now=now)
        if candidate is not None and ctx.kind not in TO_RECRUITER:
            candidate.unreachable_at, candidate.unreachable_reason = now, code
            session.add(candidate)
            queries.cancel_steps(
                session, now=now, reason="unreachable", slack_user_id=row.slack_user_id, kinds=NEEDS_OPT_IN | PROACTIVE
            )
            store.cancel_queued(session, now=now, reason="unreachable", candidate_id=row.slack_user_id)

    @staticmethod
    def _invitation_failed(session, ctx: StepContext, code: str, now: datetime) -> None:
        invitation = store.get_invitation(session, invitation_id=ctx.row.invitation_id, for_update=True)
        if invitation is not None and invitation.status == "queued":
            invitation.status, invitation.cancel_reason = "failed", code[:32]
            session.add(invitation)

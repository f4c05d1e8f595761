"""Delivering webhook events to the team's endpoint, on the scheduler's thread, never a request's.

Each tick claims due events (the oldest pending one per candidate, so each candidate's events
arrive in order), signs them as Standard Webhooks asks with the reference `standardwebhooks`
package, posts them, and records what came back in a transaction of its own. A claim is a lease:
a process killed mid-post leaves the event to whoever claims it after the lease, which sends it
again with the same `webhook-id` (at least once; receivers drop repeats by that id).
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from standardwebhooks import Webhook

from bot.rules import webhooks as rules
from bot.rules.webhooks import Attempted, EventType
from bot.usecases.context import AppContext
from bot.usecases.webhooks import new_webhook_id
from storage import webhooks as queue
from storage.models import WebhookDelivery

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)  # well over the 10 s timeout: a slow post never outlives its claim
# A post starts only with this much of its claim left (the timeout and a margin); an event of a
# batch that waited too long behind slow posts is handed back, untried, for a fresh claim.
POST_NEEDS = timedelta(seconds=rules.TIMEOUT_SECONDS + 2)
BATCH = 32
WORKERS = 4

# (url, body, headers, timeout) -> the HTTP status, or None for a timeout or connection error.
Post = Callable[[str, bytes, dict[str, str], float], int | None]
# A candidate's Slack id -> (name as Slack shows it, Slack profile title), read when sent.
ProfileReads = Callable[[str], tuple[str | None, str | None]]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to retry, never a reason to re-post the body elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int | None:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return None


def slack_profile_reads(client: WebClient) -> ProfileReads:
    """The name and title as `/nudge profile` reads them: live from `users.info`, never stored;
    the Slack id stands in for the name when Slack cannot be asked."""

    def read(user_id: str) -> tuple[str | None, str | None]:
        try:
            profile = (client.users_info(user=user_id)["user"] or {}).get("profile") or {}
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning(
                "users.info failed for a webhook: %s", type(error).__name__, extra={"action": "webhook.users_info"}
            )
            return user_id, None
        return profile.get("real_name") or profile.get("display_name") or user_id, profile.get("title") or None

    return read


def _status_text(status: int | None) -> str:
    return "no answer" if status is None else str(status)


@dataclass(frozen=True)
class PingResult:
    status: int | None
    seconds: float

    @property
    def delivered(self) -> bool:
        return rules.classify(self.status) is rules.Outcome.DELIVERED


class WebhookSender:
    def __init__(
        self,
        ctx: AppContext,
        *,
        post: Post = http_post,
        profile_reads: ProfileReads | None = None,
        wall: Callable[[], float] = time.time,
        chance: Callable[[], float] = random.random,
        workers: int = WORKERS,
    ) -> None:
        self.ctx = ctx
        self.post = post
        self.profile_reads = profile_reads
        self.wall = wall
        self.chance = chance
        self.workers = workers

    @property
    def url(self) -> str | None:
        return self.ctx.settings.webhook_url

    @property
    def endpoint(self) -> str:
        """Which settings a 410 stop belongs to: a new URL or secret lifts it."""
        settings = self.ctx.settings
        return hashlib.sha256(f"{settings.webhook_url}\n{settings.webhook_secret}".encode()).hexdigest()[:32]

    @property
    def host(self) -> str:
        return urlsplit(self.url or "").netloc.rpartition("@")[2]

    def tick(self, limit: int = 2000) -> int:
        """Deliver what is due, batch after batch, up to `limit` attempts; returns how many
        attempts were made."""
        if self.url is None:
            return 0
        attempted = 0
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="nudge-webhook") as pool:
            while attempted < limit:
                batch = self._claim(min(BATCH, limit - attempted))
                if not batch:
                    break
                list(pool.map(self.deliver, batch))
                attempted += len(batch)
        return attempted

    def _claim(self, limit: int) -> list[WebhookDelivery]:
        now = self.ctx.clock()
        with self.ctx.sessions() as session:
            if not queue.anything_due(session, now=now):
                return []
        with self.ctx.sessions() as session, session.begin():
            if queue.stopped_at(session, endpoint=self.endpoint) is not None:
                return []
            return queue.claim_due(session, now=now, lease=LEASE, limit=limit)

    def deliver(self, row: WebhookDelivery) -> Attempted:
        """Post one claimed event and record the outcome (only while the claim is still ours)."""
        if row.claimed_until is None or self.ctx.clock() + POST_NEEDS > row.claimed_until:
            with self.ctx.sessions() as session, session.begin():
                queue.hand_back(session, delivery_id=row.id, claimed_until=row.claimed_until)
            return Attempted.HANDED_BACK
        status = self._post(row.webhook_id, rules.body(EventType(row.event_type), row.created_at, self._data(row)))
        now = self.ctx.clock()
        held = row.claimed_until
        with self.ctx.sessions() as session, session.begin():
            if rules.classify(status) is rules.Outcome.DELIVERED:
                queue.record_delivered(session, delivery_id=row.id, claimed_until=held, status=str(status), now=now)
                attempted = Attempted.DELIVERED
            else:
                attempted, retry_at = rules.after_failure(row.attempts, status, now, self.chance())
                if attempted is Attempted.GONE:
                    queue.stop(session, endpoint=self.endpoint, now=now)
                    retry_at = now
                queue.record_failed(
                    session,
                    delivery_id=row.id,
                    claimed_until=held,
                    status=_status_text(status),
                    retry_at=retry_at,
                    now=now,
                )
        self.ctx.metrics.webhook(row.event_type, attempted.value)
        if attempted is not Attempted.DELIVERED:
            log.warning(
                "webhook %s: %s",
                attempted.value,
                _status_text(status),
                extra={"action": f"webhook.{attempted.value}", "event": row.event_type},
            )
        return attempted

    def status(self) -> queue.QueueState:
        with self.ctx.sessions() as session:
            return queue.queue_state(session, endpoint=self.endpoint)

    def ping(self) -> PingResult:
        """`/nudge admin webhook test`: one signed `ping`, straight to the endpoint, not queued."""
        started = time.perf_counter()
        status = self._post(new_webhook_id(), rules.body(EventType.PING, self.ctx.clock(), rules.ping().data))
        self.ctx.metrics.webhook(
            EventType.PING.value, "delivered" if rules.classify(status) is rules.Outcome.DELIVERED else "failed"
        )
        return PingResult(status, time.perf_counter() - started)

    def _post(self, webhook_id: str, body: str) -> int | None:
        secret, url = self.ctx.settings.webhook_secret, self.url
        if secret is None or url is None:
            return None
        sent_at = datetime.fromtimestamp(int(self.wall()), UTC)
        headers = {
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, sent_at, body),
            "content-type": "application/json",
            "user-agent": "Nudge-Webhooks/1",
        }
        return self.post(url, body.encode(), headers, rules.TIMEOUT_SECONDS)

    def _data(self, row: WebhookDelivery) -> dict:
        """`sharing.granted` gets the name and Slack title as Slack shows them now (never stored)."""
        if row.event_type != EventType.SHARING_GRANTED or self.profile_reads is None or row.candidate is None:
            return row.data
        name, title = self.profile_reads(row.candidate)
        profile = {**row.data.get("profile", {}), "name": name, "title": title}
        return {**row.data, "profile": profile}

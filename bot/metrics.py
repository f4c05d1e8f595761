"""Prometheus metrics for `GET /metrics`, in a registry per app (never the global one), so
several apps in one process (the tests) each count their own."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


def request_kind(body: dict) -> str:
    """command, action, view_submission, event or other, from a Bolt request body."""
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind == "block_actions":
        return "action"
    if kind == "view_submission":
        return "view_submission"
    if kind == "event_callback":
        return "event"
    return "other"


class Metrics:
    """The app's figures. `tally`, when given, is told every counter increment too (the sender
    process forwards them to the serving process's registry, the one `/metrics` serves)."""

    def __init__(self, tally: Callable[[str, tuple[str, ...], float], None] | None = None) -> None:
        self._tally = tally
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.steps_sent = Counter("nudge_steps_sent", "Message steps delivered to Slack, by kind", ["kind"], registry=r)
        self.send_failures = Counter(
            "nudge_send_failures", "Failed send attempts, by Slack error", ["error"], registry=r
        )
        self.ratelimited = Counter("nudge_slack_ratelimited", "Slack answers 429 (rate limited)", registry=r)
        self.ack_seconds = Histogram(
            "nudge_ack_seconds",
            "Time to answer a Slack request, by request kind",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.consent_events = Counter(
            "nudge_consent_events", "Consent ledger changes, by action", ["action"], registry=r
        )
        self.due_backlog = Gauge("nudge_due_backlog", "Message steps due now and not yet sent", registry=r)
        self._count_backlog: Callable[[], int] | None = None
        self._webhook_backlog: Callable[[], tuple[int, float]] | None = None
        self.webhook_deliveries = Counter(
            "nudge_webhook_deliveries",
            "Webhook delivery attempts, by event and outcome",
            ["event", "outcome"],
            registry=r,
        )
        self.webhook_backlog = Gauge("nudge_webhook_backlog", "Webhook events waiting to be delivered", registry=r)
        self.webhook_oldest = Gauge(
            "nudge_webhook_oldest_waiting_seconds", "Age of the oldest webhook event still waiting", registry=r
        )

    def watch_webhooks(self, backlog: Callable[[], tuple[int, float]]) -> None:
        """How to read (waiting, oldest age in seconds) of the webhook queue: `refresh` runs it
        from the metrics job, like the step backlog, never a scrape."""
        self._webhook_backlog = backlog

    def webhook(self, event: str, outcome: str, amount: float = 1) -> None:
        self.webhook_deliveries.labels(event=event, outcome=outcome).inc(amount)
        self._tell("webhook", (event, outcome), amount)

    def watch_backlog(self, count: Callable[[], int]) -> None:
        """How to count the backlog (a database query): `refresh` runs it from a background
        job, never a scrape, so scraping as often as anyone likes costs the database nothing."""
        self._count_backlog = count

    def refresh(self) -> None:
        """Update the figures that need a query; the metrics job calls this every tick."""
        if self._count_backlog is not None:
            self.due_backlog.set(self._count_backlog())
        if self._webhook_backlog is not None:
            waiting, oldest = self._webhook_backlog()
            self.webhook_backlog.set(waiting)
            self.webhook_oldest.set(oldest)

    def sent(self, kind: str, amount: float = 1) -> None:
        self.steps_sent.labels(kind=kind).inc(amount)
        self._tell("sent", (kind,), amount)

    def failed(self, error: str, amount: float = 1) -> None:
        self.send_failures.labels(error=error).inc(amount)
        if error == "ratelimited":
            self.ratelimited.inc(amount)
        self._tell("failed", (error,), amount)

    def consent(self, action: str, amount: float = 1) -> None:
        self.consent_events.labels(action=action).inc(amount)
        self._tell("consent", (action,), amount)

    def add(self, event: str, labels: tuple[str, ...], amount: float) -> None:
        """Count what another process of the bot counted (`sent`, `failed`, `consent` or
        `webhook`, with that method's labels); anything else is ignored."""
        counts: dict[str, Callable[..., None]] = {
            "sent": self.sent,
            "failed": self.failed,
            "consent": self.consent,
            "webhook": self.webhook,
        }
        count = counts.get(event)
        if count is not None and amount > 0:
            count(*labels, amount=amount)

    def _tell(self, event: str, labels: tuple[str, ...], amount: float) -> None:
        if self._tally is not None:
            self._tally(event, labels, amount)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class NullMetrics:
    """Metrics that count nothing: for use cases built without the app (tests, tools), so no
    caller has to ask whether metrics exist."""

    def sent(self, kind: str) -> None:
        pass

    def failed(self, error: str) -> None:
        pass

    def consent(self, action: str) -> None:
        pass

    def refresh(self) -> None:
        pass

    def webhook(self, event: str, outcome: str) -> None:
        pass

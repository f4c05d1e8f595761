"""The figures `/metrics` shows that need a query. The metrics job reads them every tick
(`Metrics.refresh`), so a scrape never reaches the database; during an outage a figure reads -1
rather than failing the job."""

from __future__ import annotations

from bot.rules.clock import Clock
from storage import steps
from storage import webhooks as webhook_queue
from storage.db import SessionFactory


def due_backlog(sessions: SessionFactory, clock: Clock) -> int:
    try:
        with sessions() as session:
            return steps.count_due(session, now=clock())
    except Exception:  # noqa: BLE001 (a scrape during a database outage: report no figure rather than fail)
        return -1


def webhook_backlog(sessions: SessionFactory, clock: Clock) -> tuple[int, float]:
    try:
        with sessions() as session:
            return webhook_queue.backlog(session, now=clock())
    except Exception:  # noqa: BLE001 (a scrape during a database outage: report no figure rather than fail)
        return -1, -1.0

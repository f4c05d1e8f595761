"""The scheduled jobs, as one table: what runs, how often, when first, and how late a run may
still start. APScheduler keeps them in memory in each process (its job stores must not be shared
between processes), so the jobs' own work is made safe for several processes by the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DBAPIError

from bot.entry.apart import Role
from bot.rules.webhooks import SENDER_TICK

log = logging.getLogger("nudge")

_HOUR = timedelta(hours=1)
# What a serving process keeps when a sender process sends: the figures its /metrics shows.
SERVING_JOBS = frozenset({"nudge-metrics"})


@dataclass(frozen=True)
class Job:
    """One row of the table."""

    id: str
    run: Callable[[], object]
    every: timedelta
    first_run: datetime
    misfire_grace: timedelta


def scheduled_jobs(
    *,
    tick: timedelta,
    send_due: Callable[[], object],
    finish_erasures: Callable[[], object],
    check_authorization: Callable[[], object],
    run_daily: Callable[[], object],
    refresh_metrics: Callable[[], object],
    now: datetime | None = None,
) -> tuple[Job, ...]:
    """Every job of a process: the tick sends what is due; the erasure tick finishes erasures that
    waited for a send; the auth check asks Slack, while sending is stopped, whether to resume; the
    daily job (consent renewal, retention) is tried hourly and runs once a day across processes;
    the metrics job counts, every tick, what `/metrics` shows (a scrape runs no query).
    All but the daily job run at start, so a killed process's work resumes at once. First runs
    count from `now`, real time by default: the scheduler runs on the wall clock, not the app's.
    The tick copes with a database outage itself; the others skip a run."""
    now = datetime.now(UTC) if now is None else now
    per_tick = timedelta(seconds=max(60, int(tick.total_seconds() * 4)))
    half_a_minute_in = now + timedelta(seconds=30)
    return (
        Job("nudge-tick", send_due, tick, now, per_tick),
        Job("nudge-erasures", survive_database_outage("nudge-erasures", finish_erasures), tick, now, per_tick),
        Job("nudge-auth-check", survive_database_outage("nudge-auth-check", check_authorization), _HOUR, now, _HOUR),
        Job("nudge-daily", survive_database_outage("nudge-daily", run_daily), _HOUR, half_a_minute_in, _HOUR),
        Job("nudge-metrics", survive_database_outage("nudge-metrics", refresh_metrics), tick, now, per_tick),
    )


def webhook_job(send_webhooks: Callable[[], object], now: datetime | None = None) -> Job:
    """Webhook deliveries, on their own short tick: the first retry is promised within 5 s,
    whatever `NUDGE_TICK` is. Runs at start, so a killed process's claims are taken over."""
    now = datetime.now(UTC) if now is None else now
    run = survive_database_outage("nudge-webhooks", send_webhooks)
    return Job("nudge-webhooks", run, SENDER_TICK, now, timedelta(seconds=60))


def for_role(jobs: tuple[Job, ...], role: Role) -> tuple[Job, ...]:
    """The jobs one process runs: all of them alone, else the serving process keeps the metrics
    and the sender process takes everything that sends or works through the queue."""
    if role is Role.WHOLE:
        return jobs
    serving = role is Role.SERVE
    return tuple(job for job in jobs if (job.id in SERVING_JOBS) == serving)


def add_jobs(scheduler, jobs: tuple[Job, ...]) -> None:
    """Add each job so that a restart replaces it, missed runs collapse into one, and a slow run is
    never joined by a second one."""
    for job in jobs:
        scheduler.add_job(
            job.run,
            "interval",
            seconds=job.every.total_seconds(),
            id=job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            next_run_time=job.first_run,
            misfire_grace_time=int(job.misfire_grace.total_seconds()),
        )


def survive_database_outage(job_id: str, job: Callable[[], object]) -> Callable[[], object]:
    """A scheduled job that logs a database outage and waits for its next run."""

    def run() -> object:
        try:
            return job()
        except DBAPIError as error:
            log.warning(
                "database unavailable for %s: %s",
                job_id,
                type(error.orig).__name__,
                extra={"action": "job.db_down"},
            )
            return None

    return run

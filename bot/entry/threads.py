"""How many threads each part of a Nudge process runs, so the database pool has a connection for
every thread that may hold one at once."""

from __future__ import annotations

# Threads that use the database, so the pool has a connection for each (see `database_threads`).
HTTP_THREADS = 8  # waitress threads serving POST /slack/events
SOCKET_MODE_THREADS = 10  # slack_sdk's Socket Mode client runs listeners on 10 threads
PROBE_THREADS = 2  # Socket Mode's /healthz and /metrics server
SEND_WORKERS = 4  # the outbox's sending executor
EXPORT_WORKERS = 2  # slow work after an ack: `mydata`, the admin's export and purge (never the sending pool)
WAIT_WORKERS = 2  # confirmations that wait for a send in flight (`InFlight.when_quiet`)
REPLY_WORKERS = 2  # response_url replies sent after the ack
# the tick, the erasure tick, the hourly auth check, the daily job, the metrics, webhooks (max_instances=1)
SCHEDULED_JOBS = 6
HOME_WORKERS = 1  # the App Home publisher (`HomeTab`)
WEBHOOK_WORKERS = 4  # posts of one webhook batch (`bot.sending.webhooks`)


def database_threads() -> int:
    """How many threads may hold a database connection at once in one process: the larger of
    the two request paths (HTTP or Socket Mode, plus its probes), and every background worker."""
    requests = max(HTTP_THREADS, SOCKET_MODE_THREADS + PROBE_THREADS)
    return (
        requests
        + SEND_WORKERS
        + EXPORT_WORKERS
        + WAIT_WORKERS
        + REPLY_WORKERS
        + SCHEDULED_JOBS
        + HOME_WORKERS
        + WEBHOOK_WORKERS
    )

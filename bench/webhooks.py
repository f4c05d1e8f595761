"""Webhook deliveries per second on PostgreSQL with one and with two Nudge processes, and what a
drain does to `/nudge help`.

    python bench/webhooks.py                      # 10,000 events, 1 then 2 processes
    python bench/webhooks.py --events 2000 --processes 1

For each process count: a fresh schema, the processes started (real `app.py`, HTTP mode, the fake
Slack Web API), `/nudge help` timed while nothing is queued (idle), then `--events` events queued
at once (`--per-candidate` per candidate, so the per-candidate order is exercised) and delivered to
a local receiver that verifies every delivery with the reference `standardwebhooks` library, while
`/nudge help` is timed again at the same rate. Prints deliveries per second (first to last
delivery), duplicates (a webhook-id received twice) and losses (never received), and the help
latency idle and during the drain; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.cluster import Cluster, wait_for  # noqa: E402
from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import get, post, sign, slash_command_body  # noqa: E402
from tests.support.webhooks import SECRET, Receiver, seed_events  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class HelpLoad:
    """`/nudge help` at a fixed rate, open loop, timing each answer."""

    def __init__(self, url: str, response_url: str, rate: float) -> None:
        self.url, self.response_url, self.rate = url, response_url, rate
        self.latencies: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def one(self) -> None:
        body = slash_command_body(text="help", user_id="UBENCHHELP", response_url=self.response_url)
        started = time.perf_counter()
        try:
            reply = post(self.url, body, "application/x-www-form-urlencoded", headers=sign(body), timeout=5)
            if reply.status != 200:
                self.errors += 1
                return
        except OSError:
            self.errors += 1
            return
        self.latencies.append(time.perf_counter() - started)

    def run(self, count: int | None = None) -> None:
        """`count` requests, or until stopped."""
        n, start = 0, time.perf_counter()
        while not self.stop.is_set() and (count is None or n < count):
            delay = start + n / self.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            threading.Thread(target=self.one, daemon=True).start()
            n += 1
        time.sleep(1.0)  # let the last answers land


def _schema() -> tuple[str, str]:
    import psycopg

    schema = f"nudge_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema, f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def _drop(schema: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def run(processes: int, events: int, per_candidate: int, rate: float) -> dict:
    schema, database_url = _schema()
    fake = FakeSlack().start()
    fake.clock = lambda: datetime.now(UTC)
    receiver = Receiver()
    receiver.url = receiver.start()
    workdir = Path(tempfile.mkdtemp(prefix="nudge-bench-webhooks-"))
    env = {"NUDGE_WEBHOOK_URL": receiver.url, "NUDGE_WEBHOOK_SECRET": SECRET, "NUDGE_CLAIM_LEASE": "45s"}
    cluster = Cluster(fake_url=fake.url, database_url=database_url, workdir=workdir, extra_env=env)
    try:
        started = cluster.start(processes)
        base = f"http://127.0.0.1:{started[0].port}"
        if not wait_for(lambda: _healthy(base), timeout=60):
            raise RuntimeError("the first process did not come up:\n" + started[0].log()[-2000:])
        url, response_url = base + "/slack/events", fake.response_url_for("bench")
        idle = HelpLoad(url, response_url, rate)
        idle.run(count=int(rate * 10))
        order = seed_events(database_url, candidates=events // per_candidate, per_candidate=per_candidate)
        expected = {webhook_id for ids in order.values() for webhook_id in ids}
        seeded_at = time.monotonic()
        busy = HelpLoad(url, response_url, rate)
        load = threading.Thread(target=busy.run, daemon=True)
        load.start()
        while not expected <= {r.webhook_id for r in receiver.received}:
            if time.monotonic() - seeded_at > 900:
                break
            time.sleep(0.5)
        drained_after = time.monotonic() - seeded_at
        busy.stop.set()
        load.join()
        time.sleep(2)  # a late duplicate would show up now
    finally:
        cluster.stop_all()
        receiver.stop()
        fake.stop()
        _drop(schema)
    return _figures(processes, receiver, expected, drained_after, idle, busy)


def _healthy(base: str) -> bool:
    try:
        return get(base + "/healthz").status == 200
    except OSError:
        return False


def _figures(processes, receiver, expected, drained_after, idle, busy) -> dict:
    counts = Counter(r.webhook_id for r in receiver.received)
    times = receiver.received_at
    span = max(times) - min(times) if len(times) > 1 else float("nan")
    return {
        "processes": processes,
        "events": len(expected),
        "deliveries_per_s": (len(times) - 1) / span if span else float("nan"),
        "drained_after_s": drained_after,
        "duplicates": sum(1 for n in counts.values() if n > 1),
        "losses": len(expected - set(counts)),
        "refused": len(receiver.refused),
        "help_idle_p50_ms": percentile(idle.latencies, 0.5) * 1000,
        "help_idle_p99_ms": percentile(idle.latencies, 0.99) * 1000,
        "help_drain_p50_ms": percentile(busy.latencies, 0.5) * 1000,
        "help_drain_p99_ms": percentile(busy.latencies, 0.99) * 1000,
        "help_requests": (len(idle.latencies), len(busy.latencies)),
        "help_errors": (idle.errors, busy.errors),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--per-candidate", type=int, default=5)
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--rate", type=float, default=20.0, help="/nudge help requests per second")
    args = parser.parse_args()
    for processes in args.processes:
        f = run(processes, args.events, args.per_candidate, args.rate)
        print(f"{f['processes']} process(es), PostgreSQL, {f['events']} events ({args.per_candidate} per candidate)")
        print(
            f"  {f['deliveries_per_s']:.0f} deliveries/s (first to last); all delivered {f['drained_after_s']:.1f} s after queueing"
        )
        print(f"  duplicates {f['duplicates']}, losses {f['losses']}, refused by the receiver {f['refused']}")
        print(
            f"  /nudge help at {args.rate:.0f}/s: idle p50 {f['help_idle_p50_ms']:.0f} ms, p99 {f['help_idle_p99_ms']:.0f} ms; "
            f"during the drain p50 {f['help_drain_p50_ms']:.0f} ms, p99 {f['help_drain_p99_ms']:.0f} ms "
            f"(requests {f['help_requests']}, errors {f['help_errors']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

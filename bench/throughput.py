"""Invitations per second through the fake Slack Web API, with 1 or more Nudge processes.

    python bench/throughput.py --processes 1 --invitations 300            # SQLite or PostgreSQL
    python bench/throughput.py --processes 3 --invitations 300 --postgres

Each invitation costs what it costs in production: users.info and Do Not Disturb (the moment
gate; one dnd.teamInfo for a claimed batch) and chat.postMessage (a first DM goes to the user
id and Slack's answer names the DM channel, which is stored: no conversations.open), plus the database work of claiming, locking and
recording. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.cluster import Cluster, invitations_received, seed_invitations  # noqa: E402
from tests.support.fakeslack import FakeSlack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--invitations", type=int, default=300)
    parser.add_argument(
        "--postgres", action="store_true", help="use the test PostgreSQL (needed for more than one process)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the fake waits before answering chat.postMessage"
    )
    args = parser.parse_args()
    if args.processes > 1 and not args.postgres:
        parser.error("several processes need --postgres (SQLite is for one process)")

    workdir = Path(tempfile.mkdtemp(prefix="nudge-bench-"))
    schema = None
    if args.postgres:
        import psycopg

        schema = f"nudge_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    else:
        database_url = f"sqlite:///{workdir / 'bench.db'}"

    fake = FakeSlack().start()
    fake.clock = lambda: datetime.now(UTC)  # message ts on real time, as Slack's are
    if args.latency:
        fake.delay("chat.postMessage", args.latency)
    users = seed_invitations(database_url, args.invitations, prefix="UBENCH")
    # The production lease (and so the production client timeout of 10 s): the tests' short
    # lease makes a slow answer from the busy fake time out and be retried, which is right but
    # measures the retry delay instead of throughput.
    cluster = Cluster(
        fake_url=fake.url, database_url=database_url, workdir=workdir, extra_env={"NUDGE_CLAIM_LEASE": "45s"}
    )
    try:
        started = time.monotonic()
        cluster.start(args.processes)
        # Poll gently: counting takes the fake's lock, and polling hard would slow the fake down.
        while sum(invitations_received(fake, users).values()) < len(users):
            if time.monotonic() - started > 600:
                print("gave up after 600 s", file=sys.stderr)
                return 1
            time.sleep(0.5)
        posts = [call.at for call in fake.calls_to("chat.postMessage")]
        first, finished = min(posts), max(posts)
    finally:
        cluster.stop_all()
        fake.stop()
        if schema:
            import psycopg

            with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    counts = invitations_received(fake, users)
    duplicates = sum(1 for n in counts.values() if n > 1)
    steady = (len(users) - 1) / (finished - first) if first and finished > first else float("nan")
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{args.processes} process(es), {database}, {len(users)} invitations, chat.postMessage latency {args.latency:.2f}s"
    )
    print(f"  from first to last delivery: {finished - first:.2f} s  ->  {steady:.1f} invitations/s")
    ordered = sorted(posts)
    marks = {q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] - first for q in (0.5, 0.9, 0.99)}
    print("  deliveries done after: " + ", ".join(f"{int(q * 100)}% {t:.2f} s" for q, t in marks.items()))
    print(f"  including process start-up:  {finished - started:.2f} s")
    print(f"  duplicates: {duplicates}, missing: {sum(1 for n in counts.values() if n == 0)}")
    print(f"  Slack calls: {len(fake.calls)}")
    from collections import Counter

    delivered = sum(1 for n in counts.values() if n >= 1)
    by_method = Counter(call.method for call in fake.calls)
    print(f"  Slack calls per delivered invitation: {len(fake.calls) / max(delivered, 1):.2f}")
    for method, count in by_method.most_common():
        print(f"    {method}: {count / max(delivered, 1):.2f} ({count})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Nudge at community scale on PostgreSQL: the tick's claim of 1,000 due steps, and the daily
job's duration, peak memory and effect on `/nudge help` acks, at 10k, 100k and 1M candidates.

    python bench/scale.py                                  # 10k and 100k
    python bench/scale.py --sizes 10000 100000 1000000
    python bench/scale.py --url postgresql://postgres@127.0.0.1:5432/test --keep

Each size gets a private schema (dropped afterwards unless --keep), loaded with COPY:
  candidates  50 % opted in, 10 % paused, 15 % opted out, 20 % never joined (asked, no answer),
              plus 5 % erased (a suppression hash only, their ledger re-keyed); about 0.5 % of
              the opted-in are past their consent period, 1 % were asked to renew (0.2 % over
              30 days ago), 0.3 % have had no contact for the retention period
  ledger      one to three consent events per person who ever joined
  invitations one per five candidates, each with its sent invitation step and a follow-up
  steps       3,000 due pending steps, 1 % future pending, the rest sent history

Figures:
  claim   the tick's claim (`steps.claim_due`, limit 1,000, FOR UPDATE SKIP LOCKED), median of
          7 runs, each rolled back; ratio against the smallest size
  daily   a running Nudge process (a subprocess, like production: one process serving HTTP and
          running the job) runs `DailyJobs.run()`; it reports the job's duration and its own
          peak RSS (VmHWM, kB); meanwhile this process sends `/nudge help` at
          --rate req/s and reports the ack p99 during the job against the same load idle.
Loads go to 127.0.0.1 only. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = os.environ.get("NUDGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DUE_STEPS = 3000
SIGNING = "bench-signing-secret"


# --- data -------------------------------------------------------------------------------------------


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples; None is NULL) into a table, streamed."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def load(url: str, size: int, now: datetime, seed: int = 11) -> dict:
    import psycopg
    from sqlalchemy.engine import make_url

    rnd = random.Random(seed)
    parsed = make_url(url)
    conn = psycopg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        dbname=parsed.database,
        options=parsed.query.get("options"),
    )
    counts: dict[str, int] = {}
    day = timedelta(days=1)
    people = []  # (slack id, status, created, consent_at, renewal_asked_at, updated)
    for n in range(size):
        uid = f"U{n:010d}"
        r = rnd.random()
        created = now - timedelta(days=rnd.uniform(1, 700))
        if r < 0.50:
            status = "opted_in"
        elif r < 0.60:
            status = "paused"
        elif r < 0.75:
            status = "opted_out"
        elif r < 0.95:
            status = "not_joined"
        else:
            status = "erased"
        consent_at = now - timedelta(days=rnd.uniform(1, 360))  # within the 365-day period
        if status == "opted_in" and rnd.random() < 0.01:
            consent_at = now - timedelta(days=rnd.uniform(366, 380))  # renewal due today
        asked = None
        if status == "opted_in" and rnd.random() < 0.01:
            asked = now - (
                timedelta(days=rnd.uniform(31, 40)) if rnd.random() < 0.2 else timedelta(days=rnd.uniform(1, 29))
            )
        updated = max(created, now - timedelta(days=rnd.uniform(0, 300)))
        if status == "not_joined" and rnd.random() < 0.015:
            created = updated = now - timedelta(days=rnd.uniform(731, 760))  # retention due
        people.append((uid, status, created, consent_at, asked, updated))

    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        counts["candidate"] = _copy(
            cur,
            "candidate",
            [
                "slack_user_id",
                "consent_status",
                "created_at",
                "updated_at",
                "paused_until",
                "cadence",
                "interests",
                "never_companies",
                "renewal_asked_at",
                "dm_channel_id",
            ],
            (
                (
                    uid,
                    "opted_in" if st == "paused" else st,
                    _ts(cr),
                    _ts(up),
                    _ts(now + 40 * day) if st == "paused" else None,
                    "quarterly",
                    json.dumps(["python", "remote"] if i % 3 else ["go"]),
                    "[]",
                    _ts(asked) if asked else None,
                    "D" + uid[1:],
                )
                for i, (uid, st, cr, ca, asked, up) in enumerate(people)
                if st != "erased"
            ),
        )
        counts["suppression"] = _copy(
            cur,
            "suppression",
            ["subject_hash", "reason", "at"],
            (
                (f"h{uuid.UUID(int=rnd.getrandbits(128)).hex}{uid}", "forget", _ts(up))
                for uid, st, cr, ca, asked, up in people
                if st == "erased"
            ),
        )

        def ledger():
            for uid, st, _cr, ca, _asked, up in people:
                subject = f"h{uid}" if st == "erased" else uid
                if st == "not_joined":
                    continue
                yield (subject, "invitations", "granted", "button", "v1", subject, _ts(min(ca, up)))
                if st in ("opted_out", "erased"):
                    yield (subject, "invitations", "withdrawn", "keyword", "v1", subject, _ts(up))
                elif st == "paused":
                    yield (subject, "invitations", "paused", "command", "v1", subject, _ts(up))

        counts["consent_event"] = _copy(
            cur, "consent_event", ["subject", "scope", "action", "via", "wording_version", "actor", "at"], ledger()
        )
        counts["role"] = _copy(
            cur,
            "role",
            ["title", "company", "confidential", "details", "tags", "status", "created_by", "created_at"],
            (
                (
                    f"Engineer {r}",
                    f"Company {r % 17}",
                    False,
                    "Calm team",
                    json.dumps(["python"]),
                    "open" if r % 4 else "closed",
                    "URECRUIT1",
                    _ts(now - 200 * day),
                )
                for r in range(50)
            ),
        )
        cur.execute("SELECT min(id) FROM role")
        first_role = cur.fetchone()[0]
        invited = [p for i, p in enumerate(people) if p[1] in ("opted_in", "paused", "opted_out") and i % 3 == 0][
            : size // 5
        ]

        def invitations():
            for k, (uid, _st, _cr, _ca, _asked, _up) in enumerate(invited):
                at = now - timedelta(days=rnd.uniform(11, 300))
                answer = ("accepted", "declined", "expired", "snoozed")[k % 4]
                yield (
                    first_role + k % 50,
                    uid,
                    "URECRUIT1",
                    "sent",
                    _ts(at),
                    _ts(at),
                    answer,
                    _ts(at + day),
                    "D" + uid[1:],
                    f"{int(at.timestamp())}.{k:06d}",
                    False,
                )

        counts["invitation"] = _copy(
            cur,
            "invitation",
            [
                "role_id",
                "candidate_id",
                "recruiter_id",
                "status",
                "created_at",
                "sent_at",
                "answer",
                "answered_at",
                "channel_id",
                "message_ts",
                "withheld",  # migration 0011: NOT NULL, no server default
            ],
            invitations(),
        )
        cur.execute("SELECT id, candidate_id, sent_at FROM invitation ORDER BY id")
        sent_invitations = cur.fetchall()
        pending_future = max(10, size // 100)

        def steps():
            for inv_id, uid, at in sent_invitations:
                yield (
                    uid,
                    "D" + uid[1:],
                    "invitation",
                    _ts(at),
                    _ts(at),
                    1,
                    _ts(at),
                    f"{int(at.timestamp())}.000100",
                    inv_id,
                )
                yield (
                    uid,
                    "D" + uid[1:],
                    "followup",
                    _ts(at),
                    _ts(at + 4 * day),
                    1,
                    _ts(at + 4 * day),
                    f"{int(at.timestamp())}.000200",
                    inv_id,
                )
            opted = [p[0] for p in people if p[1] == "opted_in"]
            for k in range(DUE_STEPS):  # due now, never claimed
                uid = opted[k * 7 % len(opted)]
                yield (
                    uid,
                    None,
                    "welcome",
                    _ts(now - 2 * day),
                    _ts(now - timedelta(minutes=rnd.uniform(1, 600))),
                    0,
                    None,
                    None,
                    None,
                )
            for k in range(pending_future):
                uid = opted[k * 13 % len(opted)]
                yield (
                    uid,
                    None,
                    "still_welcome",
                    _ts(now - day),
                    _ts(now + timedelta(days=rnd.uniform(1, 60))),
                    0,
                    None,
                    None,
                    None,
                )

        counts["outgoing_message"] = _copy(
            cur,
            "outgoing_message",
            [
                "slack_user_id",
                "channel_id",
                "kind",
                "created_at",
                "not_before",
                "attempts",
                "sent_at",
                "slack_ts",
                "invitation_id",
            ],
            steps(),
        )
    conn.autocommit = True
    with conn.cursor() as cur:
        for table in counts:
            cur.execute(f"VACUUM ANALYZE {table}")
    conn.close()
    return counts


# --- claim ------------------------------------------------------------------------------------------


def time_claims(url: str, now: datetime, runs: int = 7) -> tuple[float, int]:
    from storage import steps
    from storage.db import create_db_engine, make_session_factory

    engine = create_db_engine(url)
    sessions = make_session_factory(engine)
    took, claimed = [], 0
    for _ in range(runs):
        with sessions() as session:
            session.begin()
            started = time.perf_counter()
            ids = steps.claim_due(session, now=now, lease=timedelta(minutes=5), limit=1000)
            took.append(time.perf_counter() - started)
            claimed = len(ids)
            session.rollback()
    engine.dispose()
    took.sort()
    return took[len(took) // 2] * 1000, claimed


# --- daily job in a running app ------------------------------------------------------------------------


def serve(url: str, api_url: str) -> int:
    """The child: Nudge serving HTTP on a free port (printed), the daily job run on "daily"."""
    import logging

    from app import build

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" under load
    from bot.settings import load_settings

    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-bench",
            "SLACK_SIGNING_SECRET": SIGNING,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": url,
            "NUDGE_RECRUITERS": "URECRUIT1",
        }
    )
    assembled = build(settings)  # the scheduler is not started: the job runs on cue below
    server = assembled.serve_http(host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    print(json.dumps({"port": server.effective_port}), flush=True)
    for line in sys.stdin:
        if line.strip() == "daily":
            before_kb = _rss_kb()
            started = time.perf_counter()
            ran = assembled.daily.run()
            took = time.perf_counter() - started
            # Not `ru_maxrss`: Linux keeps it across exec, so it starts at the bench's own size when
            # it forked this process (431 MB after loading 1M rows); VmHWM is this process's alone.
            peak_kb = _status_kb("VmHWM")
            print(
                json.dumps(
                    {
                        "ran": ran,
                        "seconds": took,
                        "rss_before_kb": before_kb,
                        "peak_rss_kb": peak_kb,
                        "rss_after_kb": _rss_kb(),
                    }
                ),
                flush=True,
            )
        elif line.strip() == "quit":
            break
    assembled.shutdown()
    return 0


def _rss_kb() -> int:
    return _status_kb("VmRSS")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return -1


def help_load(url: str, rate: int, stop: threading.Event, seconds: float | None = None) -> tuple[list[float], int]:
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.slackreq import post, sign, slash_command_body

    latencies, errors = [], 0
    lock = threading.Lock()
    body = slash_command_body(text="help", user_id="UBENCHREAD", response_url="http://127.0.0.1:9/none")

    def one():
        nonlocal errors
        started = time.perf_counter()
        try:
            ok = (
                post(
                    url, body, "application/x-www-form-urlencoded", headers=sign(body, secret=SIGNING), timeout=10
                ).status
                == 200
            )
        except Exception:  # noqa: BLE001 (counted)
            ok = False
        with lock:
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    with ThreadPoolExecutor(max_workers=rate * 4) as pool:
        start = time.perf_counter()
        n = 0
        while not stop.is_set() and (seconds is None or time.perf_counter() - start < seconds):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one)
            n += 1
    return latencies, errors


def p99(latencies: list[float]) -> str:
    if not latencies:
        return "n/a"
    ordered = sorted(latencies)
    q = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {q(0.5):.1f} / p99 {q(0.99):.1f} / max {ordered[-1] * 1000:.1f} ms (n={len(ordered)})"


def daily_in_running_app(url: str, rate: int, idle_seconds: float) -> dict:
    from tests.support.fakeslack import FakeSlack

    fake = FakeSlack().start()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", url, "--api-url", fake.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
    )
    try:
        port = json.loads(child.stdout.readline())["port"]
        events = f"http://127.0.0.1:{port}/slack/events"
        help_load(events, rate, threading.Event(), seconds=1.0)  # warm up
        idle, idle_errors = help_load(events, rate, threading.Event(), seconds=idle_seconds)
        stop = threading.Event()
        during: dict = {}

        def run_load():
            during["lat"], during["errors"] = help_load(events, rate, stop)

        loader = threading.Thread(target=run_load)
        load_before = os.getloadavg()[0]
        child.stdin.write("daily\n")
        child.stdin.flush()
        loader.start()
        report = json.loads(child.stdout.readline())
        report["load"] = (load_before, os.getloadavg()[0])
        stop.set()
        loader.join()
        child.stdin.write("quit\n")
        child.stdin.flush()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        fake.stop()
    return {
        **report,
        "idle": idle,
        "idle_errors": idle_errors,
        "during": during["lat"],
        "during_errors": during["errors"],
    }


def touched(admin, schema: str) -> str:
    """What the daily job did, read from the data (the same on every version of the job)."""
    counts = admin.execute(
        f'SELECT (SELECT count(*) FROM "{schema}".outgoing_message WHERE kind = %s),'
        f' (SELECT count(*) FROM "{schema}".consent_event WHERE via = %s AND action = %s),'
        f' (SELECT count(*) FROM "{schema}".suppression WHERE reason = %s)',
        ("consent_renewal", "system", "withdrawn", "retention"),
    ).fetchone()
    return "{:,} renewal questions queued, {:,} lapsed opt-ins ended, {:,} people erased".format(*counts)


def _quantile(latencies: list[float], p: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--rate", type=int, default=50, help="/nudge help requests per second")
    parser.add_argument("--idle-seconds", type=float, default=6.0)
    parser.add_argument("--no-daily", action="store_true", help="only the claim")
    parser.add_argument("--keep", action="store_true", help="keep the schemas")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.api_url)

    import psycopg
    from sqlalchemy.engine import make_url

    from storage.db import create_db_engine, migrate

    base = make_url(args.url)
    admin = psycopg.connect(
        host=base.host, port=base.port or 5432, user=base.username, dbname=base.database, autocommit=True
    )
    print(f"PostgreSQL at {base.host}:{base.port or 5432}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    claims: dict[int, float] = {}
    try:
        for size in args.sizes:
            schema = f"nudge_bench_{size}_{uuid.uuid4().hex[:6]}"
            admin.execute(f'CREATE SCHEMA "{schema}"')
            url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
            try:
                engine = create_db_engine(url)
                migrate(engine)
                engine.dispose()
                now = datetime.now(UTC)
                started = time.perf_counter()
                counts = load(url, size, now)
                print(
                    f"\n{size:,} candidates: loaded in {time.perf_counter() - started:.1f} s: "
                    + ", ".join(f"{t} {c:,}" for t, c in counts.items()),
                    flush=True,
                )
                ms, claimed = time_claims(url, now)
                claims[size] = ms
                ratio = (
                    f", {ms / claims[args.sizes[0]]:.2f}x the {args.sizes[0]:,} figure" if size != args.sizes[0] else ""
                )
                print(f"  claim of 1,000 due steps: {ms:.2f} ms median of 7 ({claimed} claimed){ratio}", flush=True)
                if not args.no_daily:
                    result = daily_in_running_app(url, args.rate, args.idle_seconds)
                    idle_p99, during_p99 = _quantile(result["idle"], 0.99), _quantile(result["during"], 0.99)
                    print(
                        f"  daily job: {result['seconds']:.1f} s (ran: {result['ran']}); RSS {result['rss_before_kb'] / 1024:.0f} MB before, "
                        f"peak {result['peak_rss_kb'] / 1024:.0f} MB, {result['rss_after_kb'] / 1024:.0f} MB after; "
                        f"load {result['load'][0]:.2f} at its start, {result['load'][1]:.2f} at its end",
                        flush=True,
                    )
                    print(f"  rows touched: {touched(admin, schema)}", flush=True)
                    print(
                        f"  /nudge help at {args.rate}/s idle:        {p99(result['idle'])}, errors {result['idle_errors']}"
                    )
                    print(
                        f"  /nudge help at {args.rate}/s during job:  {p99(result['during'])}, errors {result['during_errors']}"
                        f"  ({during_p99 / idle_p99:.2f}x idle p99)",
                        flush=True,
                    )
            finally:
                if not args.keep:
                    admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

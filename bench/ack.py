"""Ack latency of Nudge against a floor (a minimal Bolt app on the same waitress server whose
command only acks), measured in the same run, interleaved, at fixed request rates.

    python bench/ack.py                      # SQLite; 50 and 200 req/s, 4 s per step
    python bench/ack.py --rates 50 --seconds 3

Request kinds: `/nudge help` (a read) and `/nudge join` (a write, a new person each time).
Open loop: requests are started on schedule whatever the answers do; an answer slower than
5 s counts as an error (Slack gives 3 s). Loads go to 127.0.0.1 only. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import SIGNING_SECRET, post, sign, slash_command_body  # noqa: E402


def floor_server(fake):
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress.server import create_server

    client = WebClient(token="xoxb-1-2-floor", base_url=fake.url)
    app = App(signing_secret=SIGNING_SECRET, client=client, process_before_response=True)
    app.command("/nudge")(lambda ack: ack("ok"))
    return create_server(SlackRequestHandler(app), host="127.0.0.1", port=0, threads=8)


def nudge_server(fake, workdir):
    from app import build
    from bot.settings import load_settings

    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-1-2-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
    })
    assembled = build(settings)
    return assembled, assembled.serve_http(host="127.0.0.1", port=0)


def load(url, rate, seconds, body_for, fake):
    latencies, errors = [], 0
    lock = threading.Lock()

    def one(n):
        nonlocal errors
        body = body_for(n)
        started = time.perf_counter()
        try:
            reply = post(url, body, "application/x-www-form-urlencoded", headers=sign(body), timeout=5)
            ok = reply.status == 200
        except Exception:
            ok = False
        took = time.perf_counter() - started
        with lock:
            if ok:
                latencies.append(took)
            else:
                errors += 1

    total = int(rate * seconds)
    with ThreadPoolExecutor(max_workers=min(400, rate * 5)) as pool:
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, n)
    return latencies, errors, total


def figures(latencies):
    if not latencies:
        return "no answers"
    ordered = sorted(latencies)
    q = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {q(0.5):7.1f}  p95 {q(0.95):7.1f}  p99 {q(0.99):7.1f}  max {ordered[-1] * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nudge-ack-"))
    fake = FakeSlack().start()
    assembled, nudge = nudge_server(fake, workdir)
    floor = floor_server(fake)
    for server in (nudge, floor):
        threading.Thread(target=server.run, daemon=True).start()
    urls = {"nudge": f"http://127.0.0.1:{nudge.effective_port}/slack/events", "floor": f"http://127.0.0.1:{floor.effective_port}/slack/events"}
    response_url = fake.response_url_for("bench")
    kinds = {
        "command read (help)": lambda tag: (lambda n: slash_command_body(text="help", user_id="UBENCHREAD", response_url=response_url)),
        "command write (join)": lambda tag: (lambda n: slash_command_body(text="join", user_id=f"UB{tag}{n:06d}", response_url=response_url)),
    }
    print(f"ack latency, {args.seconds:.0f} s per step, SQLite; floor = Bolt app whose command only acks")
    try:
        for rate in args.rates:
            for kind, make in kinds.items():
                for target in ("floor", "nudge"):  # interleaved: each Nudge figure next to its floor
                    latencies, errors, total = load(urls[target], rate, args.seconds, make(f"{target[0]}{rate}"), fake)
                    print(f"  {rate:4d} req/s  {kind:22s} {target:5s}  {figures(latencies)}  errors {errors}/{total}")
                    time.sleep(1)
    finally:
        assembled.shutdown()
        from app import _stop_waitress

        _stop_waitress(floor)
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

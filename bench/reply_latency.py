"""How long a DM's reply takes at low load: from a signed `message.im` "join" leaving the load
generator to the reply's `chat.postMessage` reaching the fake Slack, one event at a time.

    python bench/reply_latency.py --events 40

Nudge runs as `python app.py` (HTTP mode, SQLite, against the fake Slack), so the figure includes
whatever crosses between its processes: with a sender process, the kick handed over the link.
Prints p50, p90 and the largest; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ack import spawn  # noqa: E402

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import event_callback_body, im_message_event, post, sign  # noqa: E402


def reply_seconds(fake, url: str, n: int, timeout: float = 10.0) -> float | None:
    user = f"URL{os.getpid() % 1000:03d}{n:05d}"
    channel = "D" + user[1:]
    body = event_callback_body(im_message_event(user_id=user, text="join"), event_id=f"EvLat{n:08d}")
    sent = time.monotonic()
    post(url, body, "application/json", headers=sign(body), timeout=5)
    deadline = sent + timeout
    while time.monotonic() < deadline:
        posts = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]
        if posts:
            return posts[0].at - sent
        time.sleep(0.001)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between one reply and the next event")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nudge-latency-"))
    fake = FakeSlack().start()
    child, url = spawn("nudge", fake.url, f"sqlite:///{workdir / 'bench.db'}", workdir)
    try:
        print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        taken = []
        for n in range(args.events):
            seconds = reply_seconds(fake, url, n)
            if seconds is not None:
                taken.append(seconds * 1000)
            time.sleep(args.gap)
        taken.sort()
        missing = args.events - len(taken)
        if taken:
            p50, p90 = taken[len(taken) // 2], taken[min(len(taken) - 1, int(len(taken) * 0.9))]
            print(
                f"event -> chat.postMessage: p50 {p50:.1f} ms, p90 {p90:.1f} ms, max {taken[-1]:.1f} ms; "
                f"{len(taken)} replies, {missing} missing; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

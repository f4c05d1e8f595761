"""Ack latency of Nudge against a floor (a minimal Bolt app on the same waitress server whose
listeners only ack), measured in the same run, interleaved, at fixed request rates.

    pip install -e '.[bench]'                 # matplotlib, for the plot
    python bench/ack.py                       # SQLite; 50 and 200 req/s, 4 s per step
    python bench/ack.py --rates 50 --seconds 3 --plot bench/ack-p99.png

Request kinds (every kind Slack sends Nudge):
  command read     `/nudge help`
  command write    `/nudge join`, a new person each time
  click            *Count me in* (block_actions `nudge.consent.join`), a new person each time
  view submission  the preferences modal saved, a new person each time
  event            `message.im` "join" from a new person each time (dedupe row, consent, reply queued)

Open loop: requests start on schedule whatever the answers do; an answer slower than 5 s (Slack
gives 3 s) or not 200 counts as an error. Each step runs the floor, then Nudge, for one kind at
one rate, so each Nudge figure sits next to a floor figure taken a moment before. Loads go to
127.0.0.1 only. Prints a table (and writes JSON with --json); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import (  # noqa: E402
    SIGNING_SECRET,
    block_actions_body,
    event_callback_body,
    im_message_event,
    post,
    sign,
    slash_command_body,
    view_submission_body,
)

FORM = "application/x-www-form-urlencoded"
PREFERENCES = {
    "cadence": {"value": {"type": "static_select", "selected_option": {"value": "quarterly"}}},
    "interests": {"value": {"type": "plain_text_input", "value": "python, remote"}},
    "days": {"value": {"type": "checkboxes", "selected_options": [{"value": "Mon"}, {"value": "Wed"}]}},
    "start": {"value": {"type": "static_select", "selected_option": {"value": "10:00"}}},
    "end": {"value": {"type": "static_select", "selected_option": {"value": "17:00"}}},
    "tz_override": {"value": {"type": "plain_text_input", "value": None}},
    "never_companies": {"value": {"type": "plain_text_input", "value": None}},
    "company_note": {"value": {"type": "plain_text_input", "value": None}},
}


def floor_server(api_url):
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress.server import create_server

    client = WebClient(token="xoxb-1-2-floor", base_url=api_url)
    app = App(
        signing_secret=SIGNING_SECRET, client=client, process_before_response=True, token_verification_enabled=False
    )
    app.command("/nudge")(lambda ack: ack("ok"))
    app.action(re.compile(".*"))(lambda ack: ack())
    app.view(re.compile(".*"))(lambda ack: ack())
    app.event("message")(lambda: None)
    return create_server(SlackRequestHandler(app), host="127.0.0.1", port=0, threads=8)


def nudge_server(api_url, database_url):
    from app import build
    from bot.settings import load_settings

    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": database_url,
        }
    )
    assembled = build(settings)
    assembled.scheduler.remove_job("nudge-daily")  # measured on its own in bench/scale.py
    assembled.start_scheduler()  # the tick sends what the requests queue, as in production
    return assembled, assembled.serve_http(host="127.0.0.1", port=0)


def serve(target: str, api_url: str, database_url: str) -> int:
    """A child process serving one app (its own interpreter, as in production: the load
    generator and the fake Slack do not share its GIL). Prints the port, serves until stdin ends."""
    import logging

    logging.getLogger("waitress").setLevel(logging.ERROR)  # "Task queue depth" lines under load
    if target == "floor":
        server, assembled = floor_server(api_url), None
    else:
        assembled, server = nudge_server(api_url, database_url)
    threading.Thread(target=server.run, daemon=True).start()
    print(json.dumps({"port": server.effective_port}), flush=True)
    sys.stdin.read()
    if assembled is not None:
        assembled.shutdown()
    return 0


def spawn(target: str, api_url: str, database_url: str):
    import subprocess

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", target, "--api-url", api_url, "--database-url", database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
    )
    port = json.loads(child.stdout.readline())["port"]
    return child, f"http://127.0.0.1:{port}/slack/events"


def kinds(fake):
    """Per kind: a maker of request bodies for one step (`tag` keeps people distinct per step)."""
    response_url = fake.response_url_for("bench")

    def help_(tag):
        return lambda n: slash_command_body(text="help", user_id="UBENCHREAD", response_url=response_url)

    def join(tag):
        return lambda n: slash_command_body(text="join", user_id=f"UJ{tag}{n:06d}", response_url=response_url)

    def click(tag):
        return lambda n: block_actions_body(
            user_id=f"UC{tag}{n:06d}", action_id="nudge.consent.join", value="join", response_url=response_url
        )

    def view(tag):
        return lambda n: view_submission_body(
            user_id=f"UV{tag}{n:06d}", callback_id="nudge.preferences", values=PREFERENCES
        )

    def event(tag):
        def body(n):
            user = f"UE{tag}{n:06d}"
            return event_callback_body(
                im_message_event(user_id=user, text="join", ts=f"{1_800_000_000 + n}.{n % 1000:06d}"),
                event_id=f"Ev{tag}{n:08d}",
            )

        return body

    return {
        "command read (help)": (help_, FORM),
        "command write (join)": (join, FORM),
        "click (Count me in)": (click, FORM),
        "view submission (prefs)": (view, FORM),
        "event (message.im)": (event, "application/json"),
    }


def load(url, rate, seconds, body_for, content_type):
    latencies, errors = [], 0
    lock = threading.Lock()

    def one(n):
        nonlocal errors
        body = body_for(n)
        started = time.perf_counter()
        try:
            reply = post(url, body, content_type, headers=sign(body), timeout=5)
            ok = reply.status == 200
        except Exception:  # noqa: BLE001 (a timeout or a reset is an error, counted)
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


def quantiles(latencies):
    if not latencies:
        return None
    ordered = sorted(latencies)
    q = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000  # noqa: E731
    return {"p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "max": ordered[-1] * 1000}


def figures(q):
    if q is None:
        return "no answers"
    return f"p50 {q['p50']:7.1f}  p95 {q['p95']:7.1f}  p99 {q['p99']:7.1f}  max {q['max']:7.1f} ms"


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r["kind"] for r in results))
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 4), sharey=True)
    for ax, name in zip(axes if len(names) > 1 else [axes], names, strict=False):
        for target, style in (("nudge", "o-"), ("floor", "s--")):
            rows = sorted(
                (r["rate"], r["p99"])
                for r in results
                if r["kind"] == name and r["target"] == target and r["p99"] is not None
            )
            if rows:
                ax.plot([x for x, _ in rows], [y for _, y in rows], style, label=target)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("requests per second")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    (axes[0] if len(names) > 1 else axes).set_ylabel("ack p99 (ms, log scale)")
    (axes[0] if len(names) > 1 else axes).legend()
    fig.suptitle(f"Ack p99 against rate: Nudge and the floor, same run ({os.cpu_count()} cores, SQLite)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot written to {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--kinds", nargs="+", help="only kinds whose name contains one of these words")
    parser.add_argument("--plot", help="write a PNG of p99 against rate here (needs matplotlib)")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between steps")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.api_url, args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="nudge-ack-"))
    fake = FakeSlack().start()
    children, urls = {}, {}
    for target in ("nudge", "floor"):
        children[target], urls[target] = spawn(target, fake.url, f"sqlite:///{workdir / 'bench.db'}")
    chosen = {k: v for k, v in kinds(fake).items() if not args.kinds or any(w in k for w in args.kinds)}
    print(
        f"ack latency, {args.seconds:g} s per step, SQLite, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
        "floor = Bolt app whose listeners only ack; each app in its own process"
    )
    results = []
    try:
        for rate in args.rates:
            for kind, (make, content_type) in chosen.items():
                for target in ("floor", "nudge"):  # interleaved: each Nudge figure next to its floor
                    latencies, errors, total = load(
                        urls[target], rate, args.seconds, make(f"{target[0]}{rate}"), content_type
                    )
                    q = quantiles(latencies)
                    print(
                        f"  {rate:4d} req/s  {kind:24s} {target:5s}  {figures(q)}  errors {errors}/{total}", flush=True
                    )
                    results.append(
                        {
                            "rate": rate,
                            "kind": kind,
                            "target": target,
                            "errors": errors,
                            "total": total,
                            **(q or {"p50": None, "p95": None, "p99": None, "max": None}),
                        }
                    )
                    time.sleep(args.settle)  # let the work queued after the acks finish before the next step
        print(f"load average after the run: {os.getloadavg()[0]:.2f}; Slack calls made meanwhile: {len(fake.calls)}")
    finally:
        for child in children.values():
            child.stdin.close()
        for child in children.values():
            try:
                child.wait(timeout=20)
            except Exception:  # noqa: BLE001
                child.kill()
        fake.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if args.plot:
        plot(results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())

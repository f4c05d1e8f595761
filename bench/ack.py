"""Ack latency of Nudge against a floor (a minimal Bolt app on the same waitress server whose
listeners only ack), measured in the same run, interleaved, at fixed request rates.

    pip install -e '.[bench]'                 # matplotlib, for the plot
    python bench/ack.py                       # SQLite; 50 and 200 req/s, 4 s per step
    python bench/ack.py --rates 50 --seconds 3 --plot bench/ack-p99.png
    python bench/ack.py --processes 2 --postgres --rates 200 --kinds write click view event

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

Nudge runs as an operator runs it, `python app.py` (HTTP mode, against the fake Slack), and so
with every process that starts. CPU per request: the CPU time of all of the bot's processes (the
serving process and its sender process, every thread: the acks and the work they queue, App Home,
the outbox) from the step's start until they are quiet again, less what they spend idle over as
long, divided by the requests; the floor's the same way. With `--processes N
--postgres`, N Nudge processes share one PostgreSQL schema and the load generator spreads requests
over them round robin, as a load balancer would; every tenth message.im event is also sent again
to the next process (Slack's retry), and each write's effect (the consent row, the saved
preferences, the reply sent) is counted per person: more than one is duplicated, none is lost.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ack_support import (  # noqa: E402
    count_effects,
    cpu_of,
    drop_schema,
    family,
    idle_rate,
    migrate_once,
    new_schema,
    until_quiet,
)

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import (  # noqa: E402
    SIGNING_SECRET,
    block_actions_body,
    event_callback_body,
    get,
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


def serve(api_url: str) -> int:
    """A child process serving the floor app (its own interpreter: the load generator and the fake
    Slack do not share its GIL). Prints the port, serves until stdin ends."""
    import logging

    logging.getLogger("waitress").setLevel(logging.ERROR)  # "Task queue depth" lines under load
    server = floor_server(api_url)
    threading.Thread(target=server.run, daemon=True).start()
    print(json.dumps({"port": server.effective_port}), flush=True)
    sys.stdin.read()
    return 0


def spawn(target: str, api_url: str, database_url: str, workdir: Path):
    """The floor in a child process of the bench; Nudge as an operator runs it, `python app.py`
    (with whatever processes that starts: their CPU is counted too, see `family`)."""
    import subprocess

    if target == "floor":
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", target, "--api-url", api_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(ROOT),
        )
        port = json.loads(child.stdout.readline())["port"]
        return child, f"http://127.0.0.1:{port}/slack/events"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NUDGE_", "DATABASE_URL", "PORT"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-1-2-bench",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        PORT=str(port),
    )
    log = open(workdir / f"nudge-{port}.log", "w")  # noqa: SIM115 (open while the child runs)
    child = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=str(workdir), env=env, stderr=log)
    wait_healthy(port)
    return child, f"http://127.0.0.1:{port}/slack/events"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200:
                time.sleep(2)  # a sender process, where there is one, finishes starting
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Nudge did not answer /healthz on port {port}")


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
        "command read (help)": (help_, FORM, None),
        "command write (join)": (join, FORM, "UJ"),
        "click (Count me in)": (click, FORM, "UC"),
        "view submission (prefs)": (view, FORM, "UV"),
        "event (message.im)": (event, "application/json", "UE"),
    }


def load(urls, rate, seconds, body_for, content_type, *, retry_every=0):
    """Open loop over `urls` round robin; with `retry_every`, every such request is sent again
    (the same body) to the next URL once the first answer is in, as Slack retries an event."""
    latencies, errors = [], 0
    lock = threading.Lock()

    def one(n):
        nonlocal errors
        body = body_for(n)
        url = urls[n % len(urls)]
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
        if retry_every and n % retry_every == 0:
            again = post(urls[(n + 1) % len(urls)], body, content_type, headers=sign(body), timeout=5)
            if again.status != 200:
                with lock:
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


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--kinds", nargs="+", help="only kinds whose name contains one of these words")
    parser.add_argument("--plot", help="write a PNG of p99 against rate here (needs matplotlib)")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between steps")
    parser.add_argument("--processes", type=int, default=1, help="Nudge processes (more than one needs --postgres)")
    parser.add_argument("--postgres", action="store_true", help="the test PostgreSQL instead of SQLite")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.processes > 1 and not args.postgres:
        parser.error("several processes need --postgres (SQLite is for one process)")
    return args


def step(args, rate, kind, target, spec, urls, pids, idle, database_url, fake):
    """One kind at one rate against one target: latency, CPU per request, and the effects."""
    make, content_type, user_prefix = spec
    tag = f"{target[0]}{rate}"
    retry_every = 10 if target == "nudge" and len(urls) > 1 and kind.startswith("event") else 0
    cpu_before, started = cpu_of(pids), time.monotonic()
    latencies, errors, total = load(urls, rate, args.seconds, make(tag), content_type, retry_every=retry_every)
    until_quiet(pids, idle)
    elapsed = time.monotonic() - started
    cpu = max(0.0, cpu_of(pids) - cpu_before - idle * elapsed)
    effects = None
    if target == "nudge" and user_prefix:
        users = [f"{user_prefix}{tag}{n:06d}" for n in range(total)]
        effects = count_effects(database_url, kind, f"{user_prefix}{tag}", users, fake)
    q = quantiles(latencies)
    shown = f"  dup/lost {effects[0]}/{effects[1]}" if effects else ""
    print(
        f"  {rate:4d} req/s  {kind:24s} {target:5s}  {figures(q)}  errors {errors}/{total}"
        f"  CPU {cpu / total * 1000:5.2f} ms/req{shown}",
        flush=True,
    )
    return {
        "rate": rate,
        "kind": kind,
        "target": target,
        "errors": errors,
        "total": total,
        "processes": len(pids),
        "cpu_ms_per_request": cpu / total * 1000,
        "duplicated": effects[0] if effects else None,
        "lost": effects[1] if effects else None,
        **(q or {"p50": None, "p95": None, "p99": None, "max": None}),
    }


def main() -> int:
    args = parse_arguments()
    if args.serve:
        return serve(args.api_url)
    workdir = Path(tempfile.mkdtemp(prefix="nudge-ack-"))
    schema, database_url = new_schema() if args.postgres else (None, f"sqlite:///{workdir / 'bench.db'}")
    migrate_once(database_url)
    fake = FakeSlack().start()
    children, urls = {"floor": [], "nudge": []}, {"floor": [], "nudge": []}
    for target, count in (("nudge", args.processes), ("floor", 1)):
        for _ in range(count):
            child, url = spawn(target, fake.url, database_url, workdir)
            children[target].append(child)
            urls[target].append(url)
    pids = {target: family([child.pid for child in group]) for target, group in children.items()}
    chosen = {k: v for k, v in kinds(fake).items() if not args.kinds or any(w in k for w in args.kinds)}
    idle = {target: idle_rate(group) for target, group in pids.items()}
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"ack latency, {args.seconds:g} s per step, {database}, {args.processes} Nudge process(es), "
        f"{os.cpu_count()} cores, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; floor = Bolt app whose "
        f"listeners only ack; each app in its own process; idle CPU floor {idle['floor'] * 1000:.0f} ms/s, "
        f"Nudge {idle['nudge'] * 1000:.0f} ms/s"
    )
    results = []
    try:
        for rate in args.rates:
            for kind, spec in chosen.items():
                for target in ("floor", "nudge"):  # interleaved: each Nudge figure next to its floor
                    results.append(
                        step(
                            args, rate, kind, target, spec, urls[target], pids[target], idle[target], database_url, fake
                        )
                    )
                    time.sleep(args.settle)
        print(
            f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
            f"Slack calls made meanwhile: {len(fake.calls)}"
        )
    finally:
        for child in children["nudge"]:
            child.send_signal(signal.SIGTERM)
        for child in children["floor"]:
            child.stdin.close()
        for child in children["nudge"] + children["floor"]:
            try:
                child.wait(timeout=20)
            except Exception:  # noqa: BLE001
                child.kill()
        fake.stop()
        if schema:
            drop_schema(schema)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if args.plot:
        plot(results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())

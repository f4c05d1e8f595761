"""Statements and CPU per request for each write kind, in one process, with the work it queues.

    python bench/writes_profile.py                      # statements and CPU per request, SQLite
    python bench/writes_profile.py --profile join       # plus cProfile of the request thread

Each kind sends `--requests` requests (a new person each) straight into the WSGI app on this
thread, then waits until the background work they queued (App Home, the outbox) is done. The
statements are counted on the engine from every thread (deterministic: the figure to cut);
the CPU is this whole process's (every thread) divided by the requests. Asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ack import PREFERENCES  # noqa: E402

from tests.support.fakeslack import FakeSlack  # noqa: E402
from tests.support.slackreq import (  # noqa: E402
    SIGNING_SECRET,
    block_actions_body,
    event_callback_body,
    im_message_event,
    sign,
    slash_command_body,
    view_submission_body,
)

FORM = "application/x-www-form-urlencoded"


def bodies(fake, kind: str, n: int) -> tuple[bytes, str]:
    response_url = fake.response_url_for("bench")
    if kind == "help":
        return slash_command_body(text="help", user_id="UPREAD", response_url=response_url), FORM
    if kind == "join":
        return slash_command_body(text="join", user_id=f"UPJ{n:06d}", response_url=response_url), FORM
    if kind == "click":
        return block_actions_body(
            user_id=f"UPC{n:06d}", action_id="nudge.consent.join", value="join", response_url=response_url
        ), FORM
    if kind == "view":
        return view_submission_body(user_id=f"UPV{n:06d}", callback_id="nudge.preferences", values=PREFERENCES), FORM
    event = im_message_event(user_id=f"UPE{n:06d}", text="join", ts=f"{1_800_000_000 + n}.{n:06d}")
    return event_callback_body(event, event_id=f"EvP{n:08d}"), "application/json"


def call(wsgi, body: bytes, content_type: str) -> str:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in sign(body).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)
    status = []
    b"".join(wsgi(environ, lambda s, h, *a: status.append(s)))
    return status[0]


def quiet(statements: Counter, step: float = 0.3, most: float = 30.0) -> None:
    """Until no statement ran for one step: the queued work is done."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        before = statements.total()
        time.sleep(step)
        if statements.total() == before:
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--kinds", nargs="+", default=["help", "join", "click", "view", "event"])
    parser.add_argument("--profile", nargs="*", default=[], help="kinds to run under cProfile (request thread)")
    parser.add_argument("--statements", action="store_true", help="print the statements of one request")
    args = parser.parse_args()

    import logging

    from sqlalchemy import event

    from app import build
    from bot.settings import load_settings

    logging.disable(logging.WARNING)
    fake = FakeSlack().start()
    workdir = Path(tempfile.mkdtemp(prefix="nudge-profile-"))
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.url,
            "DATABASE_URL": f"sqlite:///{workdir / 'profile.db'}",
        }
    )
    assembled = build(settings)
    assembled.scheduler.remove_job("nudge-daily")
    assembled.start_scheduler()
    statements: Counter = Counter()
    event.listen(
        assembled.engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, *a: statements.update([" ".join(sql.split())[:110]]),
    )
    call(assembled.wsgi, *bodies(fake, "help", 999_999))  # warm up
    quiet(statements)
    try:
        for kind in args.kinds:
            statements.clear()
            calls_before = len(fake.calls)
            profiler = cProfile.Profile() if kind in args.profile else None
            cpu = time.process_time()
            for n in range(args.requests):
                if profiler:
                    profiler.enable()
                call(assembled.wsgi, *bodies(fake, kind, n))
                if profiler:
                    profiler.disable()
            quiet(statements)
            cpu = time.process_time() - cpu
            made = Counter(c.method for c in fake.calls[calls_before:])
            print(
                f"{kind:6s} statements/request {statements.total() / args.requests:5.1f}  "
                f"CPU {cpu / args.requests * 1000:5.2f} ms/request (process, background included)  "
                f"Slack calls/request: {', '.join(f'{m} {c / args.requests:.2f}' for m, c in made.most_common())}"
            )
            if args.statements:
                for sql, count in statements.most_common():
                    print(f"    {count / args.requests:5.2f}  {sql}")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    finally:
        assembled.shutdown()
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python app.py demo`: the real Nudge, unchanged, against the local Slack stand-in, in a browser.

Nudge is assembled by the same `app.build(settings)` as `python app.py` (app.py passes it in, so
this package never imports app) and served in HTTP mode on SQLite in a temporary folder. Its
SLACK_API_URL points at the stand-in; a made-up token and signing secret are shared only between
the two. Short settings let the whole journey play out in minutes. No network, nothing to
configure; Ctrl-C stops everything and removes the temporary data.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import signal
import sys
import tempfile
import threading
from pathlib import Path

from slackstandin.inbox import PATH as INBOX_PATH
from slackstandin.inbox import TeamInbox, new_secret
from slackstandin.page import Page
from slackstandin.signing import SlackSender
from slackstandin.workspace import COMMUNITY_CHANNEL, PEOPLE, LiveSlack, Workspace

DEMO_SETTINGS = {
    "NUDGE_TICK": "2s",
    "NUDGE_FOLLOWUP_AFTER": "30s",
    "NUDGE_EXPIRE_AFTER": "60s",
    "NUDGE_SEND_WINDOW": "Mon-Sun 00:00-24:00",
    "NUDGE_MIN_GAP": "0s",
    "NUDGE_COMMUNITY_CHANNEL": COMMUNITY_CHANNEL,
    "NUDGE_PRIVACY_URL": "https://example.com/privacy",
}


def demo_environment(
    *, api_url: str, token: str, signing_secret: str, database_url: str, webhook_url: str = "", webhook_secret: str = ""
) -> dict[str, str]:
    """The bot's whole environment for the demo: nothing is read from the user's shell or .env.
    Webhooks go to the pretend team's ATS beside the page."""
    admins = [p.id for p in PEOPLE if p.role == "admin"]
    recruiters = [p.id for p in PEOPLE if p.role == "recruiter"]
    return {
        "SLACK_BOT_TOKEN": token,
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "NUDGE_ADMINS": ",".join(admins),
        "NUDGE_RECRUITERS": ",".join(recruiters),
        "NUDGE_WEBHOOK_URL": webhook_url,
        "NUDGE_WEBHOOK_SECRET": webhook_secret,
        **DEMO_SETTINGS,
    }


def run_demo(build, argv: list[str] | None = None) -> int:
    """Start the stand-in and the bot, print the page's URL, serve until Ctrl-C or SIGTERM."""
    from bot.logs import configure_logging
    from bot.settings import ConfigError, load_settings

    parser = argparse.ArgumentParser(
        prog="python app.py demo", description="Nudge against a local Slack stand-in, in your browser."
    )
    parser.add_argument("--port", type=int, default=0, help="port for the page (default: any free port)")
    parser.add_argument("--verbose", action="store_true", help="show the bot's INFO logs")
    args = parser.parse_args(argv or [])

    token = "xoxb-demo-" + secrets.token_hex(8)
    signing_secret = secrets.token_hex(16)
    configure_logging([token, signing_secret], level=logging.INFO if args.verbose else logging.WARNING)
    signal.signal(signal.SIGTERM, _stop)
    folder = tempfile.TemporaryDirectory(prefix="nudge-demo-")
    slack = LiveSlack()
    assembled = None
    try:
        workspace = Workspace(slack)
        inbox = TeamInbox(new_secret())
        slack.page = Page(workspace, inbox)
        try:
            slack.start(port=args.port)
        except OSError as error:
            print(f"nudge demo: port {args.port} is not free ({error.strerror})", file=sys.stderr)
            return 2
        env = demo_environment(
            api_url=slack.url,
            token=token,
            signing_secret=signing_secret,
            database_url=f"sqlite:///{Path(folder.name) / 'nudge.db'}",
            webhook_url=slack.base_url + INBOX_PATH,
            webhook_secret=inbox.secret,
        )
        try:
            settings = load_settings(env)
        except ConfigError as error:  # a demo setting this version of Nudge does not accept
            print(f"nudge demo: {error}", file=sys.stderr)
            return 2
        assembled = build(settings)
        server = assembled.serve_http(host="127.0.0.1", port=0)
        workspace.attach(
            SlackSender(
                f"http://127.0.0.1:{server.effective_port}", slack, secret=signing_secret, command=settings.command
            )
        )
        assembled.start_scheduler()
        threading.current_thread().name = "nudge-demo"
        print(f"Nudge demo (the real bot, a pretend Slack; data in {folder.name}, removed on exit)", flush=True)
        print(f"{slack.base_url}/", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        assembled.serve_forever(server)
    except KeyboardInterrupt:
        pass
    finally:
        if assembled is not None:
            assembled.shutdown()
        slack.stop()
        folder.cleanup()
    return 0


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt

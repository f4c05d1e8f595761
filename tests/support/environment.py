"""The settings the tests start the app with (as environment variables), before any overrides."""

from __future__ import annotations

import os
import socket

from tests.support.slackreq import SIGNING_SECRET


def base_env(fake, database_url: str) -> dict[str, str]:
    """The app's environment against the fake Slack `fake` and the database at `database_url`."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-testtoken",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": database_url,
        "NUDGE_RECRUITERS": "URECRUIT1",
        "NUDGE_ADMINS": "UADMIN1",
        "NUDGE_PRIVACY_URL": "https://example.com/privacy",
        "NUDGE_TICK": "1s",
    }


def own_env(**values) -> dict[str, str]:
    """This environment without any Nudge, Slack or database setting the developer's shell may
    hold, plus `values`: what a `python app.py` started by a test sees."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NUDGE_", "DATABASE_URL", "PORT"))}
    env.update(values)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

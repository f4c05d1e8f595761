"""The use-case tier: the real use cases on a migrated database (SQLite and PostgreSQL), one
`AppContext` with an injected clock, and no Slack (or a fake client where a use case sends)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.settings import load_settings
from bot.usecases.context import AppContext
from bot.usecases.keys import HashingKeys
from tests.support.clocks import MovableClock

START = datetime(2027, 1, 11, 12, 0, tzinfo=timezone.utc)  # a Monday, noon UTC
RECRUITER = "URECRUIT1"
ADMIN = "UADMIN1"


def usecase_settings(database_url: str, **overrides: str):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-usecases",
        "SLACK_SIGNING_SECRET": "s" * 32,
        "DATABASE_URL": database_url,
        "NUDGE_RECRUITERS": RECRUITER,
        "NUDGE_ADMINS": ADMIN,
    }
    return load_settings(env | overrides)


def context(sessions, settings, clock) -> AppContext:
    """The context as `app.build` makes it: the hashing key is read once, before any request."""
    keys = HashingKeys(configured=settings.secret, sessions=sessions, clock=clock)
    keys.secret()
    return AppContext(settings, clock, sessions, keys)


@pytest.fixture
def clock():
    return MovableClock(START)


@pytest.fixture
def ctx(sessions, database_url, clock) -> AppContext:
    return context(sessions, usecase_settings(database_url), clock)

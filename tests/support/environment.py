"""The settings the tests start the app with (as environment variables), before any overrides."""

from __future__ import annotations

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

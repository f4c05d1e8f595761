"""Settings: parsing and validation of Nudge's environment variables.

Pure Python on purpose (no Slack, no database imports) so that ``doctor``, the tests and start-up
can all check settings before anything else is imported.

The variable names, defaults and grammars are the public contract in the spec's "Runtime and configuration"
section. ``SETTINGS`` declares each variable once (name, default, reader, meaning) in the spec's order, so
``load_settings``, ``SETTINGS_DOC`` and ``.env.example`` (rendered by :func:`env_example`) cannot drift apart.

Every problem is reported as a :class:`ConfigError` whose text is ONE line naming the variable and
what is expected. Secret values (tokens, signing secret, ``NUDGE_SECRET``, database passwords)
never appear in messages or in ``repr(settings)``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from bot.rules import grammar
from bot.rules.grammar import SendWindow
from bot.rules.language import Language
from bot.rules.urls import redact_url
from bot.setting_readers import (
    ConfigError,
    Given,
    Reader,
    _api_url,
    _app_token,
    _bot_token,
    _channel_id,
    _claim_lease,
    _command,
    _database_url,
    _duration,
    _expire_after,
    _language,
    _log_format,
    _optional,
    _port,
    _privacy_url,
    _secret,
    _send_window,
    _user_ids,
    _webhook_secret,
    _webhook_url,
)

__all__ = ["SETTINGS", "SETTINGS_DOC", "ConfigError", "Settings", "env_example", "load_settings", "redact_url"]


@dataclass(frozen=True)
class Settings:
    """Validated settings; build with :func:`load_settings`."""

    slack_bot_token: str = field(repr=False)
    slack_signing_secret: str | None = field(repr=False)
    slack_app_token: str | None = field(repr=False)
    slack_api_url: str
    database_url: str
    port: int
    command: str
    recruiters: frozenset[str]
    admins: frozenset[str]
    community_channel: str | None
    privacy_url: str | None
    tick: timedelta
    send_window: SendWindow
    followup_after: timedelta
    expire_after: timedelta
    min_gap: timedelta
    retention: timedelta
    consent_period: timedelta
    secret: str | None = field(repr=False)
    webhook_url: str | None
    webhook_secret: str | None = field(repr=False)
    default_language: Language
    metrics_token: str | None = field(repr=False)
    claim_lease: timedelta
    log_format: str

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is set, otherwise HTTP mode."""
        return self.slack_app_token is not None

    @property
    def all_recruiters(self) -> frozenset[str]:
        """Recruiters and admins: admins are always recruiters too."""
        return self.recruiters | self.admins

    def __repr__(self) -> str:
        # Secrets are left out entirely; URLs may carry passwords, so redact them.
        parts = []
        for f in fields(self):
            if not f.repr:
                continue
            value = getattr(self, f.name)
            if f.name in ("database_url", "slack_api_url"):
                value = redact_url(value)
            parts.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclass(frozen=True)
class Setting:
    """One environment variable: its row in the spec's table and the reader that checks it.

    ``default`` is the text read when the variable is unset or blank; when there is none,
    ``unset`` says in words what that means."""

    name: str
    default: str | None
    read: Reader
    meaning: str
    unset: str = "unset"

    @property
    def field(self) -> str:
        """The :class:`Settings` attribute: the name in lower case, without ``NUDGE_``."""
        return self.name.removeprefix("NUDGE_").lower()


# --------------------------------------------------------------------------
# the table

#: Every variable, in the spec's table order (first problem wins), then this project's extensions.
# fmt: off
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SLACK_BOT_TOKEN", None, _bot_token,
        "Bot token (xoxb-...), from OAuth & Permissions after installing the app. Required.",
        unset="— (required)",
    ),
    Setting(
        "SLACK_SIGNING_SECRET", None, _optional,
        "Signing secret, from Basic Information. Required in HTTP mode.",
        unset="— (required in HTTP mode)",
    ),
    Setting(
        "SLACK_APP_TOKEN", None, _app_token,
        "App-level token (xapp-..., scope connections:write). Set = Socket Mode (no public URL needed).",
    ),
    Setting("SLACK_API_URL", "https://slack.com/api/", _api_url, "Web API base URL (GovSlack, proxies, local test servers)."),
    Setting(
        "DATABASE_URL", "sqlite:///nudge.db", _database_url,
        "SQLAlchemy URL; postgres:// and postgresql:// use psycopg 3. PostgreSQL lets several processes share work.",
    ),
    Setting("PORT", "3000", _port, "HTTP mode port (POST /slack/events, GET /healthz)."),
    Setting("NUDGE_COMMAND", "/nudge", _command, "Slash command name, as in manifest.yml."),
    Setting("NUDGE_RECRUITERS", None, _user_ids, "Comma-separated Slack user ids of recruiters.", unset="empty"),
    Setting(
        "NUDGE_ADMINS", None, _user_ids,
        "Comma-separated Slack user ids of admins. Admins are always recruiters too.",
        unset="empty",
    ),
    Setting("NUDGE_COMMUNITY_CHANNEL", None, _channel_id, "Channel id whose joiners get the welcome DM."),
    Setting("NUDGE_PRIVACY_URL", None, _privacy_url, "Privacy notice (https), linked at opt-in and in help."),
    Setting("NUDGE_TICK", "30s", _duration(positive=True), "Scheduler tick."),
    Setting("NUDGE_SEND_WINDOW", grammar.WINDOW_EXAMPLE, _send_window, "Default send window, in each candidate's local time."),
    Setting("NUDGE_FOLLOWUP_AFTER", "4d", _duration(), "Follow-up delay, counted from delivery."),
    Setting("NUDGE_EXPIRE_AFTER", "10d", _expire_after, "Expiry delay, counted from delivery; longer than the follow-up delay."),
    Setting("NUDGE_MIN_GAP", "30d", _duration(), "Least time between two invitations to one candidate, from anyone."),
    Setting("NUDGE_RETENTION", "730d", _duration(positive=True), "Erase candidates with no contact for this long."),
    Setting("NUDGE_CONSENT_PERIOD", "365d", _duration(positive=True), "Ask for consent renewal after this long."),
    Setting(
        "NUDGE_SECRET", None, _secret,
        "Key for hashing suppression records (16+ characters). Generated once into the database if unset.",
        unset="generated once into the database if unset (doctor warns)",
    ),
    Setting("NUDGE_WEBHOOK_URL", None, _webhook_url, "Standard Webhooks endpoint (https; http only for localhost)."),
    Setting(
        "NUDGE_WEBHOOK_SECRET", None, _webhook_secret,
        "Its signing secret: whsec_ followed by base64. Required with NUDGE_WEBHOOK_URL.",
    ),
    Setting(
        "NUDGE_DEFAULT_LANGUAGE", "en", _language,
        "Language (en, de, fr or es) when neither the person's choice nor their Slack locale gives one.",
    ),
    Setting("NUDGE_METRICS_TOKEN", None, _optional, "When set, /metrics answers only Authorization: Bearer TOKEN."),
    Setting(
        "NUDGE_CLAIM_LEASE", "45s", _claim_lease,
        "Extension: how long a process may hold a claimed message step before another process takes it over "
        "(several processes on PostgreSQL). 3s to 55s; the Slack client's timeout is kept well under it.",
    ),
    Setting(
        "NUDGE_LOG_FORMAT", "text", _log_format,
        "Log lines: text (default) or json (one JSON object per line, for log collectors).",
    ),
)
# fmt: on

#: (variable, default text, meaning) for every variable, in the table's order.
SETTINGS_DOC: tuple[tuple[str, str, str], ...] = tuple(
    (setting.name, setting.unset if setting.default is None else setting.default, setting.meaning)
    for setting in SETTINGS
)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Read and validate every setting from ``environ`` (and nothing else).

    The caller loads ``.env``. An empty value counts as unset. Raises
    :class:`ConfigError` for the first problem, in the spec's table order.
    """
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name) or ""
        text = raw.strip() or setting.default or ""
        values[setting.name] = setting.read(Given(setting.name, text, raw, setting.default, values))
    return Settings(**{setting.field: values[setting.name] for setting in SETTINGS})


_ENV_EXAMPLE_HEADER = """\
# Nudge settings. Copy to .env and fill in; real environment variables win over this file.
# Durations: a whole number and a unit s, m, h or d (0s allowed, at most 3650d).
"""


def env_example() -> str:
    """The text of ``.env.example``: every variable with its meaning and its default."""
    lines = [_ENV_EXAMPLE_HEADER]
    for setting in SETTINGS:
        lines += [f"# {line}" for line in textwrap.wrap(setting.meaning, width=120 - len("# "), break_on_hyphens=False)]
        lines.append(f"{setting.name}={setting.default or ''}")
    return "\n".join(lines) + "\n"

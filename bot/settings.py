"""Settings: parsing and validation of Nudge's environment variables.

Pure Python on purpose (no Slack, no database imports) so that ``doctor``, the
tests and start-up can all check settings before anything else is imported.

The variable names, defaults and grammars are the public contract in the spec's
"Runtime and configuration" section; ``SETTINGS_DOC`` mirrors its table so the
README, ``.env.example`` and the tests can be checked against one list.

Every problem is reported as a :class:`ConfigError` whose text is ONE line
naming the variable and what is expected. Secret values (tokens, signing
secret, ``NUDGE_SECRET``, database passwords) never appear in messages or in
``repr(settings)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta

from bot.rules.grammar import (
    DURATION_EXPECTED,
    MAX_DURATION_TEXT,
    WINDOW_EXAMPLE,
    WINDOW_EXPECTED,
    DurationTooLong,
    GrammarError,
    SendWindow,
    format_duration,
    parse_duration,
    read_duration,
    read_send_window,
    shown,
)
from bot.rules.urls import http_url_problem, redact_url

__all__ = [
    "SETTINGS_DOC",
    "ConfigError",
    "Settings",
    "load_settings",
    "redact_url",
]


class ConfigError(Exception):
    """A setting is missing or malformed.

    ``str(err)`` is one line naming the variable and what is expected, e.g.
    ``NUDGE_TICK must be a duration such as 30s, 15m, 2h or 7d (got 'soon')``.
    """

    variable: str

    def __init__(self, variable: str, message: str) -> None:
        # Belt and braces: the message must stay on one line whatever went in.
        message = " ".join(message.splitlines())
        super().__init__(message)
        self.variable = variable


_HIDDEN = "(value hidden)"


# --------------------------------------------------------------------------
# settings

_DEFAULTS: dict[str, str] = {
    "SLACK_API_URL": "https://slack.com/api/",
    "DATABASE_URL": "sqlite:///nudge.db",
    "PORT": "3000",
    "NUDGE_COMMAND": "/nudge",
    "NUDGE_TICK": "30s",
    "NUDGE_SEND_WINDOW": WINDOW_EXAMPLE,
    "NUDGE_FOLLOWUP_AFTER": "4d",
    "NUDGE_EXPIRE_AFTER": "10d",
    "NUDGE_MIN_GAP": "30d",
    "NUDGE_RETENTION": "730d",
    "NUDGE_CONSENT_PERIOD": "365d",
}

#: (variable, default text, meaning) for every variable, in the spec's table order.
SETTINGS_DOC: tuple[tuple[str, str, str], ...] = (
    ("SLACK_BOT_TOKEN", "— (required)", "bot token xoxb-…"),
    ("SLACK_SIGNING_SECRET", "— (required in HTTP mode)", "request signing secret"),
    (
        "SLACK_APP_TOKEN",
        "unset",
        "app-level token xapp-… (scope connections:write); set = Socket Mode",
    ),
    (
        "SLACK_API_URL",
        _DEFAULTS["SLACK_API_URL"],
        "Web API base URL (GovSlack, proxies, local test servers)",
    ),
    (
        "DATABASE_URL",
        _DEFAULTS["DATABASE_URL"],
        "SQLAlchemy URL; postgres:// and postgresql:// use psycopg 3",
    ),
    ("PORT", _DEFAULTS["PORT"], "HTTP mode port"),
    ("NUDGE_COMMAND", _DEFAULTS["NUDGE_COMMAND"], "slash command name"),
    ("NUDGE_RECRUITERS", "empty", "comma-separated Slack user ids of recruiters"),
    ("NUDGE_ADMINS", "empty", "comma-separated Slack user ids of admins (always recruiters too)"),
    ("NUDGE_COMMUNITY_CHANNEL", "unset", "channel whose joiners get the welcome DM"),
    ("NUDGE_PRIVACY_URL", "unset", "privacy notice linked at opt-in and in help"),
    ("NUDGE_TICK", _DEFAULTS["NUDGE_TICK"], "scheduler tick"),
    (
        "NUDGE_SEND_WINDOW",
        _DEFAULTS["NUDGE_SEND_WINDOW"],
        "default send window, candidate's local time",
    ),
    ("NUDGE_FOLLOWUP_AFTER", _DEFAULTS["NUDGE_FOLLOWUP_AFTER"], "follow-up delay"),
    ("NUDGE_EXPIRE_AFTER", _DEFAULTS["NUDGE_EXPIRE_AFTER"], "expiry delay"),
    (
        "NUDGE_MIN_GAP",
        _DEFAULTS["NUDGE_MIN_GAP"],
        "least time between two invitations to one candidate, from anyone",
    ),
    (
        "NUDGE_RETENTION",
        _DEFAULTS["NUDGE_RETENTION"],
        "erase candidates with no contact for this long",
    ),
    (
        "NUDGE_CONSENT_PERIOD",
        _DEFAULTS["NUDGE_CONSENT_PERIOD"],
        "ask for consent renewal after this long",
    ),
    (
        "NUDGE_SECRET",
        "generated once into the database if unset (doctor warns)",
        "key for hashing suppression records",
    ),
    (
        "NUDGE_CLAIM_LEASE",
        "45s",
        "how long a process may hold a claimed message step before another process takes it over (3s to 55s)",
    ),
    ("NUDGE_LOG_FORMAT", "text", "log lines: text, or json (one JSON object per line)"),
)

_USER_ID_RE = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL_ID_RE = re.compile(r"[CG][A-Z0-9]{2,}")
_COMMAND_RE = re.compile(r"/[a-z0-9_-]{1,31}")
_DB_SCHEME_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+._-]*)://")
_SECRET_MIN_LENGTH = 16


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
    claim_lease: timedelta = timedelta(seconds=45)
    log_format: str = "text"

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


def _get(environ: Mapping[str, str], name: str) -> str | None:
    """The stripped value, or None when unset or empty."""
    value = environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _token(environ: Mapping[str, str], name: str, prefix: str, kind: str) -> str | None:
    value = _get(environ, name)
    if value is None:
        return None
    if value.startswith(prefix) and len(value) > len(prefix) and not any(c.isspace() for c in value):
        return value
    hint = ""
    if name == "SLACK_BOT_TOKEN" and value.startswith("xapp-"):
        hint = "; that is an app-level token, which belongs in SLACK_APP_TOKEN"
    elif name == "SLACK_APP_TOKEN" and value.startswith("xoxb-"):
        hint = "; that is a bot token, which belongs in SLACK_BOT_TOKEN"
    elif value.startswith(prefix):
        hint = "; it must not contain spaces"
    raise ConfigError(name, f"{name} must be {kind} starting with {prefix} {_HIDDEN}{hint}")


def _duration(environ: Mapping[str, str], name: str, *, positive: bool = False) -> timedelta:
    text = _get(environ, name) or _DEFAULTS[name]
    try:
        value = read_duration(text)
    except DurationTooLong:
        raise ConfigError(
            name,
            f"{name} must be a duration of at most {MAX_DURATION_TEXT} (ten years), such as {_DEFAULTS[name]} (got {shown(text)})",
        ) from None
    except GrammarError:
        raise ConfigError(name, f"{name} must be {DURATION_EXPECTED} (got {shown(text)})") from None
    if positive and value <= timedelta(0):
        raise ConfigError(
            name, f"{name} must be a duration longer than 0s, such as {_DEFAULTS[name]} (got {shown(text)})"
        )
    return value


def _ids(environ: Mapping[str, str], name: str) -> frozenset[str]:
    text = _get(environ, name)
    if text is None:
        return frozenset()
    ids = set()
    for item in text.split(","):
        item = "".join(item.split())  # spaces ignored
        if not item:
            continue
        if not _USER_ID_RE.fullmatch(item):
            raise ConfigError(
                name,
                f"{name} must be comma-separated Slack user ids such as U012AB3CD "
                f"(got {shown(item, 30)}; copy the member id from the person's profile)",
            )
        ids.add(item)
    return frozenset(ids)


def _database_url(environ: Mapping[str, str]) -> str:
    name = "DATABASE_URL"
    url = _get(environ, name) or _DEFAULTS[name]
    expected = f"{name} must be an SQLAlchemy URL for SQLite or PostgreSQL, such as sqlite:///nudge.db or postgresql://user:password@host/db"
    match = _DB_SCHEME_RE.match(url)
    if match is None:
        # Never echo the URL: it may carry a password.
        raise ConfigError(name, f"{expected} (value hidden: no scheme:// found)")
    scheme = match.group("scheme")
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + url[match.end() :]
    dialect = scheme.split("+", 1)[0]
    if dialect not in ("sqlite", "postgresql"):
        raise ConfigError(name, f"{expected} (got scheme {shown(scheme, 30)})")
    return url


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Read and validate every setting from ``environ`` (and nothing else).

    The caller loads ``.env``. An empty value counts as unset. Raises
    :class:`ConfigError` for the first problem, in the spec's table order.
    """
    # SLACK_BOT_TOKEN
    bot_token = _token(environ, "SLACK_BOT_TOKEN", "xoxb-", "a bot token")
    if bot_token is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN",
            "SLACK_BOT_TOKEN is required: the bot token starting with xoxb- "
            "(OAuth & Permissions page of the Slack app)",
        )

    # SLACK_SIGNING_SECRET: needed only in HTTP mode, i.e. when SLACK_APP_TOKEN
    # is unset. A set-but-malformed app token is reported under its own name.
    signing_secret = _get(environ, "SLACK_SIGNING_SECRET")
    if signing_secret is None and _get(environ, "SLACK_APP_TOKEN") is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "SLACK_SIGNING_SECRET is required in HTTP mode: the signing secret from the "
            "Slack app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
        )

    # SLACK_APP_TOKEN
    app_token = _token(environ, "SLACK_APP_TOKEN", "xapp-", "an app-level token")

    # SLACK_API_URL
    api_url = _get(environ, "SLACK_API_URL") or _DEFAULTS["SLACK_API_URL"]
    if http_url_problem(api_url, https_only=False):
        raise ConfigError(
            "SLACK_API_URL",
            f"SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got {shown(redact_url(api_url))})",
        )
    if not api_url.endswith("/"):
        api_url += "/"

    # DATABASE_URL
    database_url = _database_url(environ)

    # PORT
    port_text = _get(environ, "PORT") or _DEFAULTS["PORT"]
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 1 <= int(port_text) <= 65535:
        raise ConfigError("PORT", f"PORT must be a port number from 1 to 65535 (got {shown(port_text)})")
    port = int(port_text)

    # NUDGE_COMMAND
    command = _get(environ, "NUDGE_COMMAND") or _DEFAULTS["NUDGE_COMMAND"]
    if not _COMMAND_RE.fullmatch(command):
        raise ConfigError(
            "NUDGE_COMMAND",
            "NUDGE_COMMAND must be a slash command such as /nudge: a / then 1 to 31 "
            f"lowercase letters, digits, - or _ (got {shown(command)})",
        )

    # NUDGE_RECRUITERS / NUDGE_ADMINS
    recruiters = _ids(environ, "NUDGE_RECRUITERS")
    admins = _ids(environ, "NUDGE_ADMINS")

    # NUDGE_COMMUNITY_CHANNEL
    channel = _get(environ, "NUDGE_COMMUNITY_CHANNEL")
    if channel is not None and not _CHANNEL_ID_RE.fullmatch(channel):
        raise ConfigError(
            "NUDGE_COMMUNITY_CHANNEL",
            "NUDGE_COMMUNITY_CHANNEL must be a channel id such as C012AB3CD, not a name "
            f"(got {shown(channel)}; copy it from the channel's details)",
        )

    # NUDGE_PRIVACY_URL
    privacy_url = _get(environ, "NUDGE_PRIVACY_URL")
    if privacy_url is not None and http_url_problem(privacy_url, https_only=True):
        raise ConfigError(
            "NUDGE_PRIVACY_URL",
            f"NUDGE_PRIVACY_URL must be an https:// URL such as https://example.com/privacy (got {shown(privacy_url)})",
        )

    # Durations and the send window
    tick = _duration(environ, "NUDGE_TICK", positive=True)

    window_text = _get(environ, "NUDGE_SEND_WINDOW") or _DEFAULTS["NUDGE_SEND_WINDOW"]
    try:
        send_window = read_send_window(window_text)
    except GrammarError as err:
        raise ConfigError(
            "NUDGE_SEND_WINDOW",
            f"NUDGE_SEND_WINDOW must be {WINDOW_EXPECTED}: {err} (got {shown(window_text)})",
        ) from None

    followup_after = _duration(environ, "NUDGE_FOLLOWUP_AFTER")
    expire_after = _duration(environ, "NUDGE_EXPIRE_AFTER")
    if expire_after <= followup_after:
        raise ConfigError(
            "NUDGE_EXPIRE_AFTER",
            f"NUDGE_EXPIRE_AFTER must be longer than NUDGE_FOLLOWUP_AFTER "
            f"({format_duration(followup_after)}) "
            f"(got {shown(_get(environ, 'NUDGE_EXPIRE_AFTER') or _DEFAULTS['NUDGE_EXPIRE_AFTER'])})",
        )
    min_gap = _duration(environ, "NUDGE_MIN_GAP")
    retention = _duration(environ, "NUDGE_RETENTION", positive=True)
    consent_period = _duration(environ, "NUDGE_CONSENT_PERIOD", positive=True)

    # NUDGE_SECRET
    secret = _get(environ, "NUDGE_SECRET")
    claim_lease_text = _get(environ, "NUDGE_CLAIM_LEASE") or "45s"
    if secret is not None and len(secret) < _SECRET_MIN_LENGTH:
        raise ConfigError(
            "NUDGE_SECRET",
            f"NUDGE_SECRET must be at least {_SECRET_MIN_LENGTH} characters, or unset to generate one {_HIDDEN}",
        )

    # NUDGE_CLAIM_LEASE (an extension: the spec promises takeover within a minute)
    try:
        claim_lease = parse_duration(claim_lease_text)
    except ValueError:
        claim_lease = None
    if claim_lease is None or not timedelta(seconds=3) <= claim_lease <= timedelta(seconds=55):
        raise ConfigError(
            "NUDGE_CLAIM_LEASE",
            f"NUDGE_CLAIM_LEASE must be a duration from 3s to 55s, such as 45s (got {shown(claim_lease_text)})",
        )

    # NUDGE_LOG_FORMAT
    log_format = (_get(environ, "NUDGE_LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        raise ConfigError(
            "NUDGE_LOG_FORMAT",
            f"NUDGE_LOG_FORMAT must be text or json (got {shown(environ.get('NUDGE_LOG_FORMAT', ''))})",
        )

    return Settings(
        claim_lease=claim_lease,
        log_format=log_format,
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=api_url,
        database_url=database_url,
        port=port,
        command=command,
        recruiters=recruiters,
        admins=admins,
        community_channel=channel,
        privacy_url=privacy_url,
        tick=tick,
        send_window=send_window,
        followup_after=followup_after,
        expire_after=expire_after,
        min_gap=min_gap,
        retention=retention,
        consent_period=consent_period,
        secret=secret,
    )

"""Settings: parsing and validation of Nudge's environment variables.

Pure Python on purpose (no Slack, no database imports) so that ``doctor``, the tests and start-up
can all check settings before anything else is imported.

The variable names, defaults and grammars are the public contract in the spec's "Runtime and
configuration" section. ``SETTINGS`` declares each variable once (name, default, reader, meaning)
in the spec's order, so ``load_settings``, ``SETTINGS_DOC`` and ``.env.example`` (rendered by
:func:`env_example`) cannot drift apart.

Every problem is reported as a :class:`ConfigError` whose text is ONE line naming the variable and
what is expected. Secret values (tokens, signing secret, ``NUDGE_SECRET``, database passwords)
never appear in messages or in ``repr(settings)``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any, cast

from bot.rules import grammar
from bot.rules.grammar import SendWindow, shown
from bot.rules.urls import http_url_problem, redact_url, webhook_url_problem
from bot.rules.webhooks import secret_problem

__all__ = ["SETTINGS", "SETTINGS_DOC", "ConfigError", "Settings", "env_example", "load_settings", "redact_url"]


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
class Given:
    """What the environment holds for one variable, as its reader sees it."""

    name: str
    text: str  # stripped; the default when unset or blank; '' when there is neither
    raw: str  # exactly as set ('' when unset), for a message that echoes it
    default: str | None
    earlier: Mapping[str, object]  # the values read before this one, by variable name


Reader = Callable[[Given], object]


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
# readers: the text in, the typed value out, or a ConfigError with the one line to print

_USER_ID_RE = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL_ID_RE = re.compile(r"[CG][A-Z0-9]{2,}")
_COMMAND_RE = re.compile(r"/[a-z0-9_-]{1,31}")
_DB_SCHEME_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+._-]*)://")
_SECRET_MIN_LENGTH = 16
_HIDDEN = "(value hidden)"


def _refuse(given: Given, expected: str, got: str | None = None, hint: str = "") -> ConfigError:
    """The usual one line: the variable, what it must be, and the value as read (or ``got``)."""
    return ConfigError(given.name, f"{given.name} must be {expected} (got {got or shown(given.text)}{hint})")


def _optional(given: Given) -> str | None:
    return given.text or None


def _token(prefix: str, kind: str) -> Callable[[Given], str | None]:
    def read(given: Given) -> str | None:
        name, value = given.name, given.text
        if not value:
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

    return read


def _bot_token(given: Given) -> str:
    token = _token("xoxb-", "a bot token")(given)
    if token is None:
        raise ConfigError(
            given.name,
            "SLACK_BOT_TOKEN is required: the bot token starting with xoxb- (OAuth & Permissions page of the Slack app)",
        )
    return token


def _app_token(given: Given) -> str | None:
    """The app token, then the signing secret's cross-check: HTTP mode (no app token) needs the
    secret. Checked after the app token, so a malformed app token is reported under its own name."""
    token = _token("xapp-", "an app-level token")(given)
    if token is None and given.earlier["SLACK_SIGNING_SECRET"] is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "SLACK_SIGNING_SECRET is required in HTTP mode: the signing secret from the "
            "Slack app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
        )
    return token


def _api_url(given: Given) -> str:
    if http_url_problem(given.text, https_only=False):
        raise _refuse(given, "an http(s) URL such as https://slack.com/api/", shown(redact_url(given.text)))
    return given.text if given.text.endswith("/") else given.text + "/"


def _database_url(given: Given) -> str:
    url = given.text
    expected = (
        "an SQLAlchemy URL for SQLite or PostgreSQL, such as sqlite:///nudge.db or postgresql://user:password@host/db"
    )
    match = _DB_SCHEME_RE.match(url)
    if match is None:  # never echo the URL: it may carry a password
        raise ConfigError(given.name, f"{given.name} must be {expected} (value hidden: no scheme:// found)")
    scheme = match.group("scheme")
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + url[match.end() :]
    if scheme.split("+", 1)[0] not in ("sqlite", "postgresql"):
        raise _refuse(given, expected, f"scheme {shown(scheme, 30)}")
    return url


def _port(given: Given) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", given.text) or not 1 <= int(given.text) <= 65535:
        raise _refuse(given, "a port number from 1 to 65535")
    return int(given.text)


def _command(given: Given) -> str:
    if not _COMMAND_RE.fullmatch(given.text):
        raise _refuse(given, "a slash command such as /nudge: a / then 1 to 31 lowercase letters, digits, - or _")
    return given.text


def _user_ids(given: Given) -> frozenset[str]:
    ids = set()
    for item in given.text.split(","):
        item = "".join(item.split())  # spaces ignored
        if item and not _USER_ID_RE.fullmatch(item):
            expected = "comma-separated Slack user ids such as U012AB3CD"
            raise _refuse(given, expected, shown(item, 30), "; copy the member id from the person's profile")
        ids.add(item)
    return frozenset(ids - {""})


def _channel_id(given: Given) -> str | None:
    if given.text and not _CHANNEL_ID_RE.fullmatch(given.text):
        raise _refuse(given, "a channel id such as C012AB3CD, not a name", hint="; copy it from the channel's details")
    return given.text or None


def _privacy_url(given: Given) -> str | None:
    if given.text and http_url_problem(given.text, https_only=True):
        raise _refuse(given, "an https:// URL such as https://example.com/privacy")
    return given.text or None


def _duration(*, positive: bool = False) -> Callable[[Given], timedelta]:
    def read(given: Given) -> timedelta:
        try:
            value = grammar.read_duration(given.text)
        except grammar.DurationTooLong:
            raise _refuse(
                given, f"a duration of at most {grammar.MAX_DURATION_TEXT} (ten years), such as {given.default}"
            ) from None
        except grammar.GrammarError:
            raise _refuse(given, grammar.DURATION_EXPECTED) from None
        if positive and value <= timedelta(0):
            raise _refuse(given, f"a duration longer than 0s, such as {given.default}")
        return value

    return read


def _send_window(given: Given) -> SendWindow:
    try:
        return grammar.read_send_window(given.text)
    except grammar.GrammarError as err:
        raise _refuse(given, f"{grammar.WINDOW_EXPECTED}: {err}") from None


def _expire_after(given: Given) -> timedelta:
    """Longer than the follow-up delay: expiring first would make the follow-up pointless."""
    expire_after = _duration()(given)
    followup_after = cast(timedelta, given.earlier["NUDGE_FOLLOWUP_AFTER"])
    if expire_after <= followup_after:
        raise _refuse(given, f"longer than NUDGE_FOLLOWUP_AFTER ({grammar.format_duration(followup_after)})")
    return expire_after


def _secret(given: Given) -> str | None:
    if given.text and len(given.text) < _SECRET_MIN_LENGTH:
        message = f"NUDGE_SECRET must be at least {_SECRET_MIN_LENGTH} characters, or unset to generate one {_HIDDEN}"
        raise ConfigError(given.name, message)
    return given.text or None


def _webhook_url(given: Given) -> str | None:
    if given.text and webhook_url_problem(given.text):
        expected = "an https:// URL such as https://ats.example.com/hooks/nudge (http only for localhost)"
        raise _refuse(given, expected, shown(redact_url(given.text)))
    return given.text or None


def _webhook_secret(given: Given) -> str | None:
    """Required with the URL: an unsigned delivery would let anyone post events to the ATS."""
    if not given.text and given.earlier["NUDGE_WEBHOOK_URL"] is not None:
        message = "NUDGE_WEBHOOK_SECRET is required with NUDGE_WEBHOOK_URL: whsec_ followed by base64"
        raise ConfigError(given.name, message)
    if given.text and secret_problem(given.text):
        raise ConfigError(given.name, f"NUDGE_WEBHOOK_SECRET must be whsec_ followed by base64 {_HIDDEN}")
    return given.text or None


def _claim_lease(given: Given) -> timedelta:
    """3s to 55s: the spec promises another process takes over a dead one's work within a minute."""
    try:
        lease = grammar.parse_duration(given.text)
    except ValueError:
        lease = None
    if lease is None or not timedelta(seconds=3) <= lease <= timedelta(seconds=55):
        raise _refuse(given, "a duration from 3s to 55s, such as 45s")
    return lease


def _log_format(given: Given) -> str:
    if given.text.lower() not in ("text", "json"):
        raise _refuse(given, "text or json", shown(given.raw))
    return given.text.lower()


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

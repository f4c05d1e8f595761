"""The settings' readers: each takes what the environment holds for one variable and returns the
typed value, or raises a :class:`ConfigError` whose text is the one line to print.

Kept apart from the table in :mod:`bot.settings` so that each stays short; pure Python like it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from bot.rules import grammar
from bot.rules.grammar import SendWindow, shown
from bot.rules.language import Language
from bot.rules.urls import api_url_expectation, http_url_problem, redact_url, webhook_url_problem
from bot.rules.webhooks import secret_problem


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
class Given:
    """What the environment holds for one variable, as its reader sees it."""

    name: str
    text: str  # stripped; the default when unset or blank; '' when there is neither
    raw: str  # exactly as set ('' when unset), for a message that echoes it
    default: str | None
    earlier: Mapping[str, object]  # the values read before this one, by variable name


Reader = Callable[[Given], object]


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
    if expected := api_url_expectation(given.text):
        raise _refuse(given, expected, shown(redact_url(given.text)))
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


def _language(given: Given) -> Language:
    try:
        return Language(given.text.lower())
    except ValueError:
        raise _refuse(given, "one of " + ", ".join(language.value for language in Language)) from None


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

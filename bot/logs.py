"""Logging that never prints tokens, secrets or people's Slack ids.

A filter on the handler rewrites every record's final text, so a token pasted into an error
message, an exception from the Slack client or a debug dump is masked wherever it comes from.
People are named by the keyed hash of their Slack id (`person`), never the id: `forget` cannot
reach a log, so an id written there would outlive the person's erasure. The filter also replaces
any user id left in a message (a library quoting a request) with its hash, and DM channel ids
with "(a DM)".
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable

_TOKEN_PATTERN = re.compile(r"\b(xox[abposr]|xapp)-[A-Za-z0-9-]+")
# Slack user ids (U…, W… for Enterprise Grid) and DM channel ids: a capital, then 8 or more
# capitals and digits with at least one digit (so words such as UTC or UNAVAILABLE stay).
_USER_ID_PATTERN = re.compile(r"\b[UW](?=[A-Z]*[0-9])[A-Z0-9]{8,}\b")
_DM_ID_PATTERN = re.compile(r"\bD(?=[A-Z]*[0-9])[A-Z0-9]{8,}\b")

_namer: Callable[[str], str] | None = None


def name_people_with(namer: Callable[[str], str] | None) -> None:
    """Install the keyed hash logs name people by (the suppression key's; `app.build` sets it
    once the key is known)."""
    global _namer
    _namer = namer


def person(user_id: str) -> str:
    """How a log names this person: the keyed hash of their Slack id."""
    return _namer(user_id) if _namer is not None else "(someone)"


class RedactSecrets(logging.Filter):
    """Mask Slack tokens (by shape) and the given secret values (by value)."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        text = _TOKEN_PATTERN.sub(lambda m: f"{m.group(1)}-[redacted]", text)
        text = _USER_ID_PATTERN.sub(lambda m: person(m.group(0)), text)
        return _DM_ID_PATTERN.sub("(a DM)", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = self.redact(record.getMessage())
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            message = f"{message}\n{self.redact(formatted)}"
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = message, None
        return True


class _Formatter(logging.Formatter):
    """Plain lines with the structured `action` field when a record has one."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        action = getattr(record, "action", None)
        return f"{line} [action={action}]" if action else line


# Attributes every LogRecord has; anything else was passed as `extra=` and is a structured field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the structured fields
    (`action` among them). The message has already been redacted by `RedactSecrets`; the
    structured fields are redacted here, as they bypass the message."""

    def __init__(self, redact=lambda text: text) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, (int, float, bool)) or value is None else self._redact(str(value))
                )
        if record.exc_info:
            entry["exception"] = self._redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    secrets: Iterable[str | None], level: int = logging.INFO, *, log_format: str = "text"
) -> logging.Handler:
    """Install one redacting handler on the root logger (called by `app.main`, never at import)."""
    handler = logging.StreamHandler(sys.stderr)
    redactor = RedactSecrets(secrets)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(redactor.redact))
    else:
        handler.setFormatter(_Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # A tick that outlasts its interval is normal under load; APScheduler says so every second.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    return handler

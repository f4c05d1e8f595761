"""One shape for every failed Slack call the sender makes: `SendError` with Slack's error code
(or the connection error's name) and, for a 429 too long to wait out in place, Slack's wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.sending.slack_client import retry_after_seconds

T = TypeVar("T")


class SendError(Exception):
    """A Slack call failed; `code` is Slack's error code or the connection error's name, and
    `retry_after` Slack's requested wait for a 429 that was too long to wait out in place."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


def call(make: Callable[[], T]) -> T:
    """Make one Slack call; any failure becomes a `SendError`."""
    try:
        return make()
    except SlackApiError as error:
        if error.response.status_code == 429:
            raise SendError("ratelimited", retry_after_seconds(error.response.headers)) from error
        raise SendError(str(error.response.get("error", "unknown_error"))) from error
    except (SlackClientError, OSError) as error:
        raise SendError(type(error).__name__) from error

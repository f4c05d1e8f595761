"""The Slack Web API client Nudge uses, configured for sending safely.

- 429 with a short `Retry-After` is waited out in place; a long one is handed back to the sender,
  which gives the step back until then, so a sleeping call never outlives its claim.
- No automatic resend after a connection error: that could post a message twice. The sender
  reconciles against the DM's history instead.
- The timeout stays well under the claim lease.
"""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

MAX_IN_PLACE_WAIT_SECONDS = 5


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retry a 429 in place only when Slack asks for a short wait."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if response is None or response.status_code != 429:
            return False
        return retry_after_seconds(response.headers) <= MAX_IN_PLACE_WAIT_SECONDS


def retry_after_seconds(headers) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list) else value
            try:
                return float(text)
            except (TypeError, ValueError):
                return 60.0
    return 1.0


def client_timeout(lease: timedelta) -> int:
    """Seconds one HTTP call may take: a fifth of the lease, at most 10."""
    return max(1, min(10, int(lease.total_seconds() / 5)))


def worst_case_call(lease: timedelta) -> timedelta:
    """The longest one Web API call can take: two tries and one short in-place 429 wait."""
    return timedelta(seconds=2 * client_timeout(lease) + min(MAX_IN_PLACE_WAIT_SECONDS, client_timeout(lease)))


def make_web_client(*, token: str, base_url: str, lease: timedelta) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=client_timeout(lease),
        retry_handlers=[ShortRateLimitRetryHandler(max_retry_count=1)],
    )

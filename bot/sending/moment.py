"""Slack reads before a proactive message: the person's zone, status and Do Not Disturb, read
when the message is due (not from a long-lived cache), and the moment gate's verdict.

When several proactive steps are due at once, Do Not Disturb for all their people is read in one
`dnd.teamInfo` call (Tier 2) instead of one `dnd.info` (Tier 3) each; those answers are used only
within `fresh_seconds`, for the step about to be sent, then dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from slack_sdk import WebClient

from bot.rules.grammar import parse_send_window
from bot.rules.quiet import Dnd, status_says_away
from bot.rules.steps import Decision, moment_gate
from bot.rules.timing import resolve_zone
from bot.sending.slack_calls import SendError, call
from bot.settings import Settings
from storage.models import Candidate

log = logging.getLogger(__name__)
TEAM_INFO_MAX_USERS = 50


class SlackReads:
    def __init__(self, client: WebClient, settings: Settings, *, fresh_seconds: float = 10.0) -> None:
        self.client = client
        self.settings = settings
        self.fresh_seconds = fresh_seconds
        self._dnd: dict[str, tuple[float, dict]] = {}
        self._locales: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def read_dnd_for(self, users: list[str]) -> None:
        """Read Do Not Disturb for several people in one call (kept briefly for their sends)."""
        users = sorted(set(users))[:TEAM_INFO_MAX_USERS]
        if len(users) < 2:
            return
        try:
            answer = call(lambda: self.client.dnd_teamInfo(users=",".join(users)))
        except SendError as error:  # each send reads its own DND instead
            log.info(
                "dnd.teamInfo failed (%s); reading per person", error.code, extra={"action": "outbox.dnd_batch_failed"}
            )
            return
        read_at = time.monotonic()
        with self._lock:
            for user, data in (answer.get("users") or {}).items():
                if user in users and isinstance(data, dict):
                    self._dnd[user] = (read_at, data)

    def _dnd_of(self, user_id: str) -> dict:
        """Fresh DND for one person: this batch's read if it is recent, else `dnd.info` now."""
        with self._lock:
            read = self._dnd.pop(user_id, None)
        if read is not None and time.monotonic() - read[0] <= self.fresh_seconds:
            return read[1]
        data = call(lambda: self.client.dnd_info(user=user_id)).data
        return data if isinstance(data, dict) else {}

    def take_locale(self, user_id: str) -> tuple[bool, str | None]:
        """The locale the last `moment` read for this person, once (no extra Slack call)."""
        with self._lock:
            if user_id not in self._locales:
                return False, None
            return True, self._locales.pop(user_id)

    def moment(self, user_id: str, candidate: Candidate | None, now: datetime) -> Decision:
        """Read the person's zone, status and DND from Slack now, and ask the moment gate.
        Raises `SendError` when a read fails (or the person's account is deactivated)."""
        user = call(lambda: self.client.users_info(user=user_id, include_locale=True))["user"]
        if user.get("deleted"):
            raise SendError("user_disabled")
        with self._lock:
            self._locales[user_id] = user.get("locale")
        dnd = Dnd.from_api(self._dnd_of(user_id))
        profile = user.get("profile") or {}
        expiration = profile.get("status_expiration") or None
        away = status_says_away(profile.get("status_text"), profile.get("status_emoji"), expiration, now)
        zone = resolve_zone(user.get("tz"), candidate.tz_override if candidate else None)
        window = self.settings.send_window
        if candidate is not None and candidate.send_window:
            window = parse_send_window(candidate.send_window)
        return moment_gate(window=window, zone=zone, dnd=dnd, away=away, status_expiration=expiration, now=now)

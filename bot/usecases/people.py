"""What Slack knows about a person that Nudge needs: their time zone.

The zone Slack reports is cached on the candidate row for a day; the person's own override in
their preferences always wins. Unknown zones fall back to UTC, and the reply says which zone it
used, so a date is never silently shown in the wrong one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.rules.preferences import CandidateSnapshot, zone_named
from bot.usecases.context import AppContext
from storage import candidates

log = logging.getLogger(__name__)

TZ_CACHE_FOR = timedelta(days=1)


@dataclass
class People:
    ctx: AppContext
    client: WebClient

    def slack_tz(self, user_id: str) -> str | None:
        """The time zone name from `users.info`, or None if Slack cannot tell us."""
        try:
            user = self.client.users_info(user=user_id)["user"]
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.info failed: %s", error, extra={"action": "people.tz_unknown"})
            return None
        return user.get("tz")

    def zone_name(self, snapshot: CandidateSnapshot) -> str:
        """The zone to show and schedule in: override, else Slack's (cached a day), else UTC."""
        if snapshot.tz_override and zone_named(snapshot.tz_override):
            return snapshot.tz_override
        tz = snapshot.slack_tz
        if tz is None or self._stale(snapshot):
            tz = self.slack_tz(snapshot.user_id)
            self.remember_slack_tz(snapshot.user_id, tz)
        return tz if tz and zone_named(tz) else "UTC"

    def zone(self, snapshot: CandidateSnapshot) -> ZoneInfo:
        return ZoneInfo(self.zone_name(snapshot))

    def _stale(self, snapshot: CandidateSnapshot) -> bool:
        checked = snapshot.slack_tz_checked_at
        return checked is None or self.ctx.clock() - checked > TZ_CACHE_FOR

    def remember_slack_tz(self, user_id: str, tz: str | None) -> None:
        """Cache the zone Slack reports, for people Nudge already stores (no row is created)."""
        with self.ctx.sessions() as session, session.begin():
            candidates.remember_slack_tz(session, slack_user_id=user_id, tz=tz, now=self.ctx.clock())

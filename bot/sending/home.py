"""Publishing the App Home tab. It is rebuilt from the database after every change, wherever the
change came from (command, keyword, button, modal), so it never shows a stale state."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.copy import views
from bot.usecases.candidates import Candidates
from bot.usecases.people import People

log = logging.getLogger(__name__)


@dataclass
class HomeTab:
    candidates: Candidates
    people: People
    client: WebClient
    executor: Executor
    recruiting: object = None
    after_yes: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _running: set[str] = field(default_factory=set, init=False, repr=False)
    _dirty: set[str] = field(default_factory=set, init=False, repr=False)

    def view_for(self, user_id: str):
        snapshot = self.candidates.snapshot(user_id)
        return views.home_view(
            snapshot,
            zone_name=self.people.zone_name(snapshot),
            now=self.candidates.clock(),
            command=self.candidates.settings.command,
            privacy_url=self.candidates.settings.privacy_url,
            recruiter_blocks=self._recruiter_blocks(user_id),
            candidate_blocks=self._candidate_blocks(user_id),
        )

    def _candidate_blocks(self, user_id: str) -> list:
        """The person's own sharing choices, disclosures and private notes (theirs alone)."""
        if self.after_yes is None:
            return []
        from slack_sdk.models.blocks import DividerBlock

        from bot.copy import after_yes as copy

        overview = self.after_yes.overview(user_id)
        blocks = copy.sharing_blocks([r.as_tuple() for r in overview.rows], overview.disclosures, command=self.candidates.settings.command)
        return [DividerBlock(), *blocks, DividerBlock(), *copy.notes_blocks(overview.notes)]

    def _recruiter_blocks(self, user_id: str) -> list:
        """Recruiters also see open roles with pipeline counts, the team switch, recent answers."""
        if self.recruiting is None or not self.candidates.is_recruiter(user_id):
            return []
        from slack_sdk.models.blocks import DividerBlock

        from bot.copy.recruiter import recruiter_home_blocks

        blocks = recruiter_home_blocks(
            self.recruiting.open_roles(), self.recruiting.team_state(), self.recruiting.recent_answers()
        )
        return [DividerBlock(), *blocks]

    def publish(self, user_id: str) -> None:
        try:
            self.client.views_publish(user_id=user_id, view=self.view_for(user_id))
        except (SlackApiError, SlackClientError, OSError) as error:
            # The tab is rebuilt on the next open or change; nothing is lost.
            log.warning("could not publish the home tab: %s", error, extra={"action": "home.publish_failed"})

    def refresh_soon(self, user_id: str) -> None:
        """Republish off the request thread (registered as a `Nudge.on_change` listener).

        One publish per person at a time, and one more after it if anything changed meanwhile:
        two overlapping publishes could otherwise land out of order and leave a stale tab.
        """
        with self._lock:
            if user_id in self._running:
                self._dirty.add(user_id)
                return
            self._running.add(user_id)
        self.executor.submit(self._publish_until_current, user_id)

    def _publish_until_current(self, user_id: str) -> None:
        while True:
            try:
                self.publish(user_id)
            finally:
                with self._lock:
                    again = user_id in self._dirty
                    self._dirty.discard(user_id)
                    if not again:
                        self._running.discard(user_id)
            if not again:
                return

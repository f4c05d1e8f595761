"""Publishing the App Home tab. It is rebuilt from the database after every change, wherever the
change came from (command, keyword, button, modal), so it never shows a stale state.

Rebuilding a tab costs several reads and a `views.publish`; it runs on its own worker thread, not
on a request thread (the ack never waits for it) and not on the outbox's sending executor (a burst
of clicks cannot delay invitations), and a burst of changes for one person publishes once."""

from __future__ import annotations

import logging
import threading
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
    recruiting: object = None
    after_yes: object = None
    # Slack allows views.publish at Tier 4 (100+ a minute). Publishes go out at once up to
    # `burst`, then at `per_second`: past that Slack would answer 429 anyway, and a burst of
    # clicks then leaves the CPU to the acks instead of to rebuilding thousands of tabs at once.
    per_second: float = 100 / 60
    burst: float = 20
    _tokens: float | None = field(default=None, init=False, repr=False)
    _refilled: float = field(default=0.0, init=False, repr=False)
    _wake: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)
    _pending: dict[str, None] = field(default_factory=dict, init=False, repr=False)
    _worker: threading.Thread | None = field(default=None, init=False, repr=False)
    _stopping: bool = field(default=False, init=False, repr=False)

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
        blocks = copy.sharing_blocks(
            [r.as_tuple() for r in overview.rows], overview.disclosures, command=self.candidates.settings.command
        )
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

    def refresh_soon(self, user_id: str, *, first: bool = False) -> None:
        """Ask for a republish (registered as a `Nudge.on_change` listener and the outbox's
        `notify`); returns at once, never on the caller's thread.

        Requests are coalesced per person: however often a refresh is asked for while one is
        pending, it runs once, and it reads the state when it runs, so it shows every change made
        before it began. A request made while that person's publish is under way queues one more
        (the running one may have read the state too early). One worker publishes, so two
        publishes for one person never overlap and land out of order.

        `first` puts the person at the head of the queue: someone who just opened their tab is
        looking at it, while a burst of clicks may have queued thousands of others.
        """
        with self._wake:
            if self._stopping:
                return
            if first:
                self._pending.pop(user_id, None)
                self._pending = {user_id: None, **self._pending}
            else:
                self._pending[user_id] = None  # an ordered set: first asked, first published
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="nudge-home", daemon=True)
                self._worker.start()
            self._wake.notify()

    @property
    def running(self) -> bool:
        """Whether the publishing worker is alive (it starts with the first refresh)."""
        with self._wake:
            return self._worker is not None and self._worker.is_alive()

    def pending(self) -> int:
        """How many people are waiting for a republish."""
        with self._wake:
            return len(self._pending)

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopping:
                    self._wake.wait()
                if self._stopping or not self._take_token():
                    return
                user_id = next(iter(self._pending))
                del self._pending[user_id]
            try:
                self.publish(user_id)
            except Exception:  # noqa: BLE001 (one bad rebuild must not end every later refresh)
                log.exception("could not build the home tab", extra={"action": "home.build_failed"})

    def _take_token(self) -> bool:
        """Wait (holding `_wake`) until the rate allows one more publish; False on shutdown."""
        import time

        while not self._stopping:
            now = time.monotonic()
            if self._tokens is None:
                self._tokens, self._refilled = self.burst, now
            self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.per_second)
            self._refilled = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            self._wake.wait((1 - self._tokens) / self.per_second)
        return False

    def shutdown(self, timeout: float = 0.5) -> None:
        """Stop publishing: pending refreshes are dropped (each tab is rebuilt when its owner next
        opens it), a publish under way may finish within `timeout`, and the worker is a daemon
        thread, so a slow Slack call cannot hold up the process's exit."""
        with self._wake:
            self._stopping = True
            self._pending.clear()
            self._wake.notify_all()
            worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)

"""Publishing the App Home tab. It is rebuilt from the database after every change, wherever the
change came from (command, keyword, button, modal), so it never shows a stale state.

Rebuilding a tab costs several reads and a `views.publish`; it runs on its own worker thread, not
on a request thread (the ack never waits for it) and not on the outbox's sending executor (a burst
of clicks cannot delay invitations), and a burst of changes for one person publishes once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.copy import after_yes as sharing_copy
from bot.copy import market as market_copy
from bot.copy import views
from bot.copy.i18n import speaking
from bot.copy.recruiter import recruiter_home_blocks
from bot.usecases.after_yes import AfterYes
from bot.usecases.context import AppContext
from bot.usecases.market import Market
from bot.usecases.people import People
from bot.usecases.preferences import Preferences
from bot.usecases.recruiting import Recruiting
from bot.usecases.reports import Reports
from bot.usecases.roles import roles_of
from bot.usecases.team import Team

log = logging.getLogger(__name__)


class RefreshQueue:
    """People whose tab should be republished, coalesced: however often a refresh is asked for
    while one is pending, it runs once, and it reads the state when it runs, so it shows every
    change made before it began. A request made while that person's publish is under way queues
    one more (the running one may have read the state too early)."""

    def __init__(self, forward: Callable[..., None] | None = None) -> None:
        self.forward = forward  # a serving process hands refreshes to the sender process
        self._wake = threading.Condition()
        self._pending: dict[str, None] = {}  # an ordered set: first asked, first published
        self._stopping = False

    def request(self, user_id: str, *, first: bool = False) -> None:
        """Ask for a republish; returns at once. `first` puts the person at the head of the
        queue: someone who just opened their tab is looking at it, while a burst of clicks may
        have queued thousands of others."""
        if self.forward is not None:
            self.forward(user_id, first=first)
            return
        with self._wake:
            if self._stopping:
                return
            if first:
                self._pending.pop(user_id, None)
                self._pending = {user_id: None, **self._pending}
            else:
                self._pending[user_id] = None
            self._wake.notify_all()

    def pending(self) -> int:
        with self._wake:
            return len(self._pending)

    def wait_for_someone(self) -> bool:
        """Wait until someone is waiting for a publish; False once stopping."""
        with self._wake:
            while not self._pending and not self._stopping:
                self._wake.wait()
            return not self._stopping

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, woken early by a stop; False once stopping."""
        with self._wake:
            if not self._stopping:
                self._wake.wait(seconds)
            return not self._stopping

    def pop(self) -> str | None:
        """The next person to publish for (the head of the queue), or None."""
        with self._wake:
            if self._stopping or not self._pending:
                return None
            user_id = next(iter(self._pending))
            del self._pending[user_id]
            return user_id

    def stop(self) -> None:
        """Drop what is pending (each tab is rebuilt when its owner next opens it) and wake the worker."""
        with self._wake:
            self._stopping = True
            self._pending.clear()
            self._wake.notify_all()


@dataclass(frozen=True)
class HomeReads:
    """The use cases a tab is built from."""

    preferences: Preferences
    people: People
    after_yes: AfterYes
    recruiting: Recruiting
    team: Team
    reports: Reports
    market: Market


class HomeTab:
    """Builds and publishes each person's tab from the queue, on one worker thread (so two
    publishes for one person never overlap and land out of order).

    Publishes go out at once up to `burst`, then at `per_second`: Slack allows views.publish at
    Tier 4 (100+ a minute), past that it would answer 429 anyway, and a burst of clicks then
    leaves the CPU to the acks instead of to rebuilding thousands of tabs at once."""

    def __init__(
        self,
        ctx: AppContext,
        queue: RefreshQueue,
        client: WebClient,
        reads: HomeReads,
        *,
        per_second: float = 100 / 60,
        burst: float = 20,
    ) -> None:
        self.ctx = ctx
        self.queue = queue
        self.client = client
        self.reads = reads
        self.per_second = per_second
        self.burst = burst
        self._tokens: float | None = None  # filled to `burst` at the first publish
        self._refilled = 0.0
        self._worker = threading.Thread(target=self._work, name="nudge-home", daemon=True)
        self._worker.start()

    def view_for(self, user_id: str) -> View:
        with speaking(self.reads.people.language_of(user_id)):
            return self._view_for(user_id)

    def _view_for(self, user_id: str) -> View:
        snapshot = self.reads.preferences.snapshot(user_id)
        settings = self.ctx.settings
        return views.home_view(
            snapshot,
            zone_name=self.reads.people.zone_name(snapshot),
            now=self.ctx.clock(),
            command=settings.command,
            privacy_url=settings.privacy_url,
            recruiter_blocks=self._recruiter_blocks(user_id),
            candidate_blocks=self._candidate_blocks(snapshot),
        )

    def _candidate_blocks(self, snapshot) -> list[Block]:
        """The market pulse, then the person's own sharing choices, disclosures and private
        notes (theirs alone)."""
        overview = self.reads.after_yes.overview(snapshot.user_id)
        rows = [r.as_tuple() for r in overview.rows]
        blocks = sharing_copy.sharing_blocks(rows, overview.disclosures, command=self.ctx.settings.command)
        pulse = self.reads.market.pulse(snapshot.interests, snapshot.never_companies)
        return [
            DividerBlock(),
            *market_copy.market_blocks(pulse, command=self.ctx.settings.command),
            DividerBlock(),
            *blocks,
            DividerBlock(),
            *sharing_copy.notes_blocks(overview.notes),
        ]

    def _recruiter_blocks(self, user_id: str) -> list[Block]:
        """Recruiters first see their *Recruiting* section: buttons, open roles with counts and a
        menu each, the team switch, recent answers."""
        if not roles_of(self.ctx, user_id).recruiter:
            return []
        reads = self.reads
        blocks = recruiter_home_blocks(
            reads.recruiting.open_roles(),
            reads.team.switch(),
            reads.reports.recent_answers(),
            command=self.ctx.settings.command,
        )
        return [*blocks, DividerBlock()]

    def publish(self, user_id: str) -> None:
        try:
            self.client.views_publish(user_id=user_id, view=self.view_for(user_id))
        except (SlackApiError, SlackClientError, OSError) as error:
            # The tab is rebuilt on the next open or change; nothing is lost.
            log.warning("could not publish the home tab: %s", error, extra={"action": "home.publish_failed"})

    def refresh_soon(self, user_id: str, *, first: bool = False) -> None:
        self.queue.request(user_id, first=first)

    @property
    def running(self) -> bool:
        return self._worker.is_alive()

    def pending(self) -> int:
        return self.queue.pending()

    def _work(self) -> None:
        while self.queue.wait_for_someone() and self._take_token():
            user_id = self.queue.pop()
            if user_id is None:
                continue
            try:
                self.publish(user_id)
            except Exception:  # one bad rebuild must not end every later refresh
                log.exception("could not build the home tab", extra={"action": "home.build_failed"})

    def _take_token(self) -> bool:
        """Wait until the rate allows one more publish; False on shutdown. The person stays in
        the queue meanwhile (so later requests for them still coalesce)."""
        while True:
            now = time.monotonic()
            if self._tokens is None:
                self._tokens, self._refilled = self.burst, now
            self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.per_second)
            self._refilled = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            if not self.queue.wait((1 - self._tokens) / self.per_second):
                return False

    def shutdown(self, timeout: float = 0.5) -> None:
        """Stop publishing: pending refreshes are dropped, a publish under way may finish within
        `timeout`, and the worker is a daemon thread, so a slow Slack call cannot hold up the
        process's exit."""
        self.queue.stop()
        if self._worker is not threading.current_thread():
            self._worker.join(timeout)

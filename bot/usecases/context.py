"""The one context every use case, the outbox and App Home share, built once by the assembly.

Frozen: nothing is wired into it after construction. Handlers never see a database session;
use cases open one per transaction from `sessions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.metrics import Metrics, NullMetrics
from bot.rules.clock import Clock
from bot.settings import Settings
from bot.usecases.keys import HashingKeys
from storage.db import SessionFactory


def _nobody_listens(user_id: str) -> None:
    """The default change listener: nothing to refresh."""


# The session flag that turns on queueing webhook events (`bot.usecases.webhooks.report`).
REPORTING = "nudge_webhooks"


def _reporting_webhooks(sessions: SessionFactory) -> SessionFactory:
    """Sessions whose transactions queue webhook events (`bot.usecases.webhooks.report`)."""

    def open_session():
        session = sessions()
        session.info[REPORTING] = True
        return session

    return open_session


@dataclass(frozen=True)
class AppContext:
    """Settings, the clock, database sessions, the hashing keys, metrics, and where changes to a
    person's state are announced (App Home refreshes from there, whichever surface made them)."""

    settings: Settings
    clock: Clock
    sessions: SessionFactory
    keys: HashingKeys
    metrics: Metrics | NullMetrics = field(default_factory=NullMetrics)
    notify: Callable[[str], None] = _nobody_listens

    def __post_init__(self) -> None:
        if self.settings.webhook_url is not None:
            object.__setattr__(self, "sessions", _reporting_webhooks(self.sessions))

    def hash_of(self, user_id: str) -> str:
        """The keyed hash of a Slack id (suppression records, once-ever markers, logs)."""
        return self.keys.hash_of(user_id)

    def changed(self, user_id: str) -> None:
        """A change to this person's state was committed."""
        self.notify(user_id)

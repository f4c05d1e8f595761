"""The use-case tier: the real use cases on a migrated database (SQLite and PostgreSQL), one
`AppContext` with an injected clock, and no Slack (or an in-memory double where a use case sends)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.sender import StepSender
from bot.usecases.context import AppContext
from tests.support.clocks import MovableClock
from tests.support.slack_double import SlackDouble
from tests.support.usecase_world import START, Journeys, context, usecase_settings


@pytest.fixture
def clock():
    return MovableClock(START)


@pytest.fixture
def ctx(sessions, database_url, clock) -> AppContext:
    return context(sessions, usecase_settings(database_url), clock)


@pytest.fixture
def slack():
    return SlackDouble()


@pytest.fixture
def sender(ctx, slack):
    """The real step sender, talking to the in-memory Slack double."""
    return StepSender(
        ctx, slack, SendingSwitch(ctx, slack), SlackReads(slack, ctx.settings), lease=timedelta(seconds=45)
    )


@pytest.fixture
def journeys(ctx, sender) -> Journeys:
    return Journeys(ctx, sender)

"""The use-case tier: the real use cases on a migrated database (SQLite and PostgreSQL), one
`AppContext` with an injected clock, and no Slack (or a fake client where a use case sends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.rules.consent import Via
from bot.rules.recruiter_input import RoleDraft
from bot.rules.statuses import Answer
from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.sender import SendOutcome, StepSender
from bot.settings import load_settings
from bot.usecases.after_yes import AfterYes
from bot.usecases.consent import Consent
from bot.usecases.context import AppContext
from bot.usecases.journey import Journey
from bot.usecases.keys import HashingKeys
from bot.usecases.recruiting import Recruiting
from tests.support.clocks import MovableClock
from tests.support.slack_double import SlackDouble

START = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)  # a Monday, noon UTC
RECRUITER = "URECRUIT1"
ADMIN = "UADMIN1"


def usecase_settings(database_url: str, **overrides: str):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-usecases",
        "SLACK_SIGNING_SECRET": "s" * 32,
        "DATABASE_URL": database_url,
        "NUDGE_RECRUITERS": RECRUITER,
        "NUDGE_ADMINS": ADMIN,
    }
    return load_settings(env | overrides)


def context(sessions, settings, clock) -> AppContext:
    """The context as `app.build` makes it: the hashing key is read once, before any request."""
    keys = HashingKeys(configured=settings.secret, sessions=sessions, clock=clock)
    keys.secret()
    return AppContext(settings, clock, sessions, keys)


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


@dataclass
class Journeys:
    """The use cases a candidate's journey goes through, on one context."""

    ctx: AppContext
    sender: StepSender

    def __post_init__(self) -> None:
        self.consent, self.recruiting = Consent(self.ctx), Recruiting(self.ctx)
        self.journey, self.after_yes = Journey(self.ctx), AfterYes(self.ctx)

    def role(self, company: str = "Acme") -> int:
        draft = RoleDraft(title="Backend Engineer", company=company, confidential=False, tags=("python",))
        return self.recruiting.create_role(draft, by=RECRUITER, answer=lambda role: role.id)

    def delivered(self, candidate: str, *, company: str = "Acme") -> tuple[int, int]:
        """A joined candidate with an invitation the sender has delivered: (role id, invitation id)."""
        role_id = self.role(company)
        self.consent.join(candidate, via=Via.COMMAND)
        queued = self.recruiting.invite(recruiter_id=RECRUITER, candidate_id=candidate, role_id=role_id, note=None)
        assert self.sender.send_one(queued.step_id) is SendOutcome.SENT
        return role_id, queued.invitation.id

    def accepted(self, candidate: str) -> tuple[int, int]:
        role_id, invitation_id = self.delivered(candidate)
        self.journey.answer(candidate, invitation_id, Answer.ACCEPTED)
        return role_id, invitation_id


@pytest.fixture
def journeys(ctx, sender) -> Journeys:
    return Journeys(ctx, sender)

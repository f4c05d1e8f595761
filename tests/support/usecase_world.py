"""The use-case tier's world: one context as the assembly builds it, the people in it, and the
journeys its tests start from (a role, an invitation delivered by the real sender, a yes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.rules.consent import Via
from bot.rules.recruiter_input import RoleDraft
from bot.rules.statuses import Answer
from bot.sending.sender import SendOutcome, StepSender
from bot.settings import load_settings
from bot.usecases.after_yes import AfterYes
from bot.usecases.consent import Consent
from bot.usecases.context import AppContext
from bot.usecases.journey import Journey
from bot.usecases.keys import HashingKeys
from bot.usecases.recruiting import Recruiting

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

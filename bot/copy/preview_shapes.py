"""The sample shapes `python app.py preview` renders messages from: stand-ins with the fields
the copy reads (a role, an answer, a report, a ledger event …), so the catalogue needs no
database, and text at the limits Nudge accepts, full of what Slack escapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.rules.eligibility import Refusal, RefusalReason
from bot.rules.statuses import Answer, Stage


@dataclass
class SampleRole:
    id: int = 7
    title: str = "Senior Backend Engineer"
    company: str = "Acme"
    confidential: bool = False
    details: str = "A small platform team; calm on-call; Python and Postgres."
    tags: list = field(default_factory=lambda: ["python", "remote"])
    location: str | None = "Berlin"
    remote: str | None = "hybrid"
    pay_range: str | None = "€85–100k"


# User text at the limits Nudge accepts, full of the characters Slack escapes and of what Slack
# would turn into links without `verbatim` (a bare URL, a #channel), so the catalogue exercises
# escaping, verbatim text and Block Kit's length limits (see bot/rules/recruiter_text.py LIMITS).
TRICKY = 'R&D <ops> & "data" https://x.example #general '


def long_text(limit: int) -> str:
    return (TRICKY * (limit // len(TRICKY) + 1))[:limit]


def long_role():
    return SampleRole(
        id=2_147_483_647,
        title=long_text(150),
        company=long_text(100),
        details=long_text(2000),
        tags=[f"t{n}-" + "&" * 36 for n in range(20)],
        location=long_text(100),
        remote=long_text(50),
        pay_range=long_text(100),
    )


@dataclass(frozen=True)
class SampleRoleLine:
    role: SampleRole
    stages: tuple = (("invited", 3), ("happy to chat", 1), ("conversation", 1))


@dataclass(frozen=True)
class SampleTeam:
    paused: bool
    changed: bool = True
    actor: str | None = "U0ADMIN"
    at: datetime = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class SampleAnswered:
    candidate_id: str
    answer: Answer | None
    role_id: int = 7


@dataclass(frozen=True)
class SampleReport:
    user_id: str
    status: object
    paused_until: datetime | None
    unreachable: str | None
    cadence: object
    interests: tuple
    invitations: list
    shared_roles: set


@dataclass(frozen=True)
class SampleEvent:
    at: datetime
    scope: str
    action: str
    via: str
    wording_version: str
    actor: str


@dataclass
class SampleRow:
    id: int = 42
    stage: Stage | None = Stage.CONVERSATION
    recruiter_id: str = "U0RECRUITER"
    role_id: int = 7
    company: str = "Acme"
    at: datetime | None = None
    market_value: str | None = "Offers in my area start higher than I thought."
    next_role: str | None = "A smaller team; no on-call every week."


def sharing_sample(role, hidden, at):
    rows = [(SampleRow(id=42), role, at, True), (SampleRow(id=43, stage=Stage.STEPPED_BACK), hidden, None, False)]
    return rows, [(SampleRow(at=at), role)]


def notes_sample(at):
    return [SampleRow(at=at)]


@dataclass(frozen=True)
class SampleInviteOutcome:
    """The fields of a use case's invite result that the refusal copy reads."""

    role: SampleRole
    refusal: object
    opt_in_request_possible: bool = True
    team_paused: bool = False


def refused_sample(reason: str) -> SampleInviteOutcome:

    return SampleInviteOutcome(role=SampleRole(), refusal=Refusal(RefusalReason(reason)))

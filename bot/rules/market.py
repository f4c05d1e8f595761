"""The market pulse: what recruiters here opened lately that matches a candidate's interests.
Built from roles only, never from other candidates. Pure: the roles and `now` are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.rules.companies import on_never_list
from bot.rules.pay import PayRange
from bot.rules.recruiter_input import normalize_tag

PULSE_WINDOW = timedelta(days=90)
MAX_TITLES = 5


@dataclass(frozen=True)
class MarketRole:
    """What the pulse may read of a role: nothing about who was invited to it."""

    title: str
    company: str
    confidential: bool
    tags: tuple[str, ...]
    created_at: datetime
    pay: PayRange | None = None
    remote: bool = False


@dataclass(frozen=True)
class PulseTitle:
    title: str
    company: str | None  # None where the role is confidential


@dataclass(frozen=True)
class Pulse:
    has_interests: bool
    count: int = 0
    titles: tuple[PulseTitle, ...] = ()
    pay_ranges: tuple[PayRange, ...] = ()
    remote: int = 0


def _words(text: str) -> str:
    return f" {' '.join(normalize_tag(text).replace('-', ' ').split())} "


def matches_interests(role: MarketRole, interests: frozenset[str]) -> bool:
    """A shared tag, or an interest that is a whole word or phrase of the title ("backend"
    matches "Senior Backend Engineer")."""
    if interests & {normalize_tag(tag) for tag in role.tags}:
        return True
    title = _words(role.title)
    return any(_words(interest) in title for interest in interests if interest.strip())


def market_pulse(
    roles: Iterable[MarketRole], interests: Sequence[str], now: datetime, never_companies: Sequence[str] = ()
) -> Pulse:
    """Roles opened in the last 90 days that match: how many, the newest five titles (company
    hidden where confidential), each distinct pay range stated (lowest first), and how many are
    remote. A role at a company on the person's never-list is left out, as it is from their
    invitations, unless it is confidential: leaving that one out would name its company. With no interests, nothing is matched: the copy says how to add some."""
    wanted = frozenset(normalize_tag(i) for i in interests if normalize_tag(i))
    if not wanted:
        return Pulse(has_interests=False)
    since = now - PULSE_WINDOW
    found = sorted(
        (
            r
            for r in roles
            if since <= r.created_at <= now
            and matches_interests(r, wanted)
            and (r.confidential or not on_never_list(r.company, never_companies))
        ),
        key=lambda r: r.created_at,
        reverse=True,
    )
    titles = tuple(PulseTitle(r.title, None if r.confidential else r.company) for r in found[:MAX_TITLES])
    ranges = sorted({r.pay for r in found if r.pay is not None}, key=lambda p: (p.currency or "", p.low, p.high))
    return Pulse(
        has_interests=True,
        count=len(found),
        titles=titles,
        pay_ranges=tuple(ranges),
        remote=sum(1 for r in found if r.remote),
    )

"""Recruiting rules: how an accepted invitation's stage may move, how eligible candidates are
ranked for a role, and the invitation funnel.

Pure functions, no Slack, no database and no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.rules.recruiter_input import normalize_tag
from bot.rules.said import N_, Alternatives, Said, Term
from bot.rules.statuses import ANSWERS, PROGRESSION, Answer, Stage

# --------------------------------------------------------------------------
# stages


SETTABLE_STAGES: tuple[Stage, ...] = PROGRESSION[1:]


def parse_stage(text: str) -> Stage | None:
    """A stage a recruiter may set, in any case; "accepted" is not one of them."""
    word = text.strip().casefold()
    for stage in SETTABLE_STAGES:
        if stage.value == word:
            return stage
    return None


def allowed_next_stages(current: Stage) -> tuple[Stage, ...]:
    """Any later stage (skipping ahead is fine: talks can go straight to an offer); none after
    closed, and none after the candidate stepped back."""
    if current not in PROGRESSION:
        return ()
    return PROGRESSION[PROGRESSION.index(current) + 1 :]


def stage_change_error(current: Stage, wanted: Stage) -> Said | None:
    """None when `current` may move to `wanted`, else one line saying where it is and where it can
    go (a `Said`: copy names the stages in the reader's language)."""
    allowed = allowed_next_stages(current)
    if wanted in allowed:
        return None
    if not allowed:
        return Said(N_("This one is closed, so its stage can't change any more."))
    values = {"stage": Term(current.value), "options": Alternatives(Term(stage.value) for stage in allowed)}
    if wanted is current:
        return Said(N_("It's already at the {stage} stage; it can move on to {options}."), **values)
    return Said(N_("It's at the {stage} stage, and stages only move forward: it can move to {options}."), **values)


# --------------------------------------------------------------------------
# matching


@dataclass(frozen=True)
class MatchCandidate:
    user_id: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A candidate and the role tags they share, in the role's tag order (empty: no overlap)."""

    user_id: str
    shared_tags: tuple[str, ...]


def rank_matches(role_tags: Sequence[str], candidates: Iterable[MatchCandidate]) -> list[Match]:
    """Everyone passed in (already eligible), most shared tags first, then by user id.

    Nobody is dropped: a candidate with no tags or no overlap can still be invited, so they are
    listed after those with overlap. Tags compare after normalize_tag.
    """
    matches = []
    for candidate in candidates:
        theirs = {normalize_tag(tag) for tag in candidate.tags}
        shared = dict.fromkeys(tag for tag in role_tags if normalize_tag(tag) in theirs)
        matches.append(Match(candidate.user_id, tuple(shared)))
    return sorted(matches, key=lambda m: (-len(m.shared_tags), m.user_id))


# --------------------------------------------------------------------------
# the funnel


@dataclass(frozen=True)
class InvitationOutcome:
    sent_at: datetime | None  # None: not delivered yet
    answered_at: datetime | None
    answer: str | None


@dataclass(frozen=True)
class Funnel:
    invited: int
    answered: int
    interested: int
    snoozed: int
    declined: int
    opted_out: int
    median_time_to_answer: timedelta | None

    def rate(self, part: int | str) -> float | None:
        """`part` (a count, or the name of one of the counts) per invitation; None with no invitations."""
        if isinstance(part, str):
            if part not in _COUNT_FIELDS:
                raise ValueError(f"not a funnel count: {part!r}")
            count: int = getattr(self, part)
        else:
            count = part
        return None if self.invited == 0 else count / self.invited


_COUNT_FIELDS = frozenset({"invited", "answered", "interested", "snoozed", "declined", "opted_out"})


def funnel(outcomes: Iterable[InvitationOutcome], *, opted_out_in_period: int) -> Funnel:
    """Count delivered invitations and what became of them.

    Only delivered invitations count (answers can't exist without one). "Tell me more" and
    expiry are not answers. The median time to answer is over answers with both times; a
    negative gap (clocks of two processes disagreeing) counts as zero.
    """
    delivered = [o for o in outcomes if o.sent_at is not None]
    answered = [o for o in delivered if o.answer in ANSWERS]
    gaps = [
        max(o.answered_at - o.sent_at, timedelta(0))
        for o in answered
        if o.answered_at is not None and o.sent_at is not None
    ]
    median = None
    if gaps:
        # The middle one, or the average of the middle two for an even count.
        ordered, middle = sorted(gaps), len(gaps) // 2
        median = ordered[middle] if len(gaps) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Funnel(
        invited=len(delivered),
        answered=len(answered),
        interested=sum(o.answer == Answer.ACCEPTED for o in answered),
        snoozed=sum(o.answer == Answer.SNOOZED for o in answered),
        declined=sum(o.answer == Answer.DECLINED for o in answered),
        opted_out=opted_out_in_period,
        median_time_to_answer=median,
    )


def matched_interests(role_tags: Sequence[str] | None, interests: Iterable[str] | None) -> tuple[str, ...]:
    """The role's tags the candidate lists among their interests, in the role's order (the
    invitation says these are why they were picked)."""
    theirs = set(interests or ())
    return tuple(tag for tag in role_tags or () if tag in theirs)

"""Who may be invited to a role, and if not, the first reason why, in the spec's refusal order.

Pure functions: callers load the facts, pass `now`, and word the reply. The same check runs when
an invitation is queued and again at the moment it is sent, because consent, pauses and roles can
change in between.

The candidate's never-list is deliberately *not* one of these refusals (issue 13 overrides the
spec's "not eligible for this role"): any answer that differed for a company on the list would
tell a recruiter what is on it. The invitation is queued like any other and "sent" when it would have
been delivered, without reaching the candidate: see `steps.withheld`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.rules.consent import ConsentStatus, may_receive_invitations


class Cadence(StrEnum):
    """How often at most a candidate wants to hear from us."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TWICE_A_YEAR = "twice_a_year"
    DEFAULT = "quarterly"  # an alias: Cadence.DEFAULT is Cadence.QUARTERLY (spec default)

    @property
    def interval(self) -> timedelta:
        """The least time between two invitations at this cadence."""
        return _INTERVALS[self]

    @property
    def label(self) -> str:
        """How people read it: "monthly", "quarterly", "twice a year"."""
        return self.value.replace("_", " ")


_INTERVALS = {
    Cadence.MONTHLY: timedelta(days=30),
    Cadence.QUARTERLY: timedelta(days=91),
    Cadence.TWICE_A_YEAR: timedelta(days=182),
}


class RefusalReason(StrEnum):
    """Why an invitation can't go out, in the order the checks run (SPEC "Invite refusals")."""

    ROLE_NOT_OPEN = "role_not_open"  # closed or unknown
    OPTED_OUT = "opted_out"  # or erased: nothing can be done
    PAUSED = "paused"  # until a date
    NOT_OPTED_IN = "not_opted_in"  # a one-time opt-in request may be offered
    ALREADY_INVITED = "already_invited"  # to this role
    TOO_SOON = "too_soon"  # cadence or minimum gap; allowed from a date


@dataclass(frozen=True)
class InviteFacts:
    """What the store knows about one candidate and one role, loaded by the caller.

    `already_invited_to_role` and `last_invited_at` cover every invitation, delivered or queued:
    the send-time check (`steps.gate`) counts only other *delivered* ones instead.
    """

    role_open: bool  # False for closed or unknown roles
    consent: ConsentStatus
    erased: bool  # a suppression record exists
    paused_until: datetime | None
    already_invited_to_role: bool
    last_invited_at: datetime | None  # last invitation from anyone (delivered or queued)
    cadence: Cadence
    min_gap: timedelta


@dataclass(frozen=True)
class Refusal:
    """The first reason an invitation can't go out; `until` is set for PAUSED and TOO_SOON."""

    reason: RefusalReason
    until: datetime | None = None


def _require_aware(name: str, value: datetime | None) -> None:
    # A naive datetime compared with an aware one raises only sometimes (naive vs naive works and
    # silently means "some local time"); refuse it always so a wrong date can't slip through.
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def next_invitation_allowed_at(
    last_invited_at: datetime | None, cadence: Cadence, min_gap: timedelta
) -> datetime | None:
    """When the next invitation may go out: the longer of cadence and NUDGE_MIN_GAP after the last.

    None when the candidate was never invited (allowed at once).
    """
    _require_aware("last_invited_at", last_invited_at)
    if last_invited_at is None:
        return None
    return last_invited_at + max(cadence.interval, min_gap)


def is_paused(paused_until: datetime | None, now: datetime) -> bool:
    """Paused while now < paused_until: at the chosen moment itself the pause is over."""
    _require_aware("now", now)
    _require_aware("paused_until", paused_until)
    return paused_until is not None and now < paused_until


def invite_refusal(facts: InviteFacts, now: datetime) -> Refusal | None:
    """None if the invitation may be queued now, else the first failing check in the spec's order.

    Order: role not open; opted out or erased; paused; not opted in; already invited to this
    role; too soon after the last invitation from anyone. (Not the never-list: see the module.)
    """
    _require_aware("now", now)
    if not facts.role_open:
        return Refusal(RefusalReason.ROLE_NOT_OPEN)
    if facts.erased or facts.consent is ConsentStatus.OPTED_OUT:
        return Refusal(RefusalReason.OPTED_OUT)
    if is_paused(facts.paused_until, now):
        return Refusal(RefusalReason.PAUSED, facts.paused_until)
    if not may_receive_invitations(facts.consent):
        return Refusal(RefusalReason.NOT_OPTED_IN)
    if facts.already_invited_to_role:
        return Refusal(RefusalReason.ALREADY_INVITED)
    allowed_at = next_invitation_allowed_at(facts.last_invited_at, facts.cadence, facts.min_gap)
    if allowed_at is not None and now < allowed_at:
        return Refusal(RefusalReason.TOO_SOON, allowed_at)
    return None

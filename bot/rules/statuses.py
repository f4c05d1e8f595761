"""The vocabulary of states: what an invitation, a role, an answer and a stage can be.

Stored values are these enums' values (do not rename them); model columns are typed with the
enums, so code compares members, never raw strings.
"""

from __future__ import annotations

from enum import StrEnum


class InvitationStatus(StrEnum):
    """Where an invitation's delivery stands."""

    QUEUED = "queued"  # waiting for the candidate's window
    SENT = "sent"  # delivered to the candidate (or withheld by their never-list: steps.withheld)
    CANCELLED = "cancelled"  # never sent: the role closed, they paused or opted out …
    FAILED = "failed"  # Slack could not deliver it


# Invitations that count for eligibility, cadence and "already invited".
LIVE_INVITATIONS: frozenset[InvitationStatus] = frozenset({InvitationStatus.QUEUED, InvitationStatus.SENT})


class RoleStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Answer(StrEnum):
    """What a candidate did with an invitation, as stored."""

    ACCEPTED = "accepted"  # Happy to chat
    DECLINED = "declined"  # Not for me
    SNOOZED = "snoozed"  # Not now — ask me later
    DETAILS = "details"  # Tell me more: not an answer, the invitation stays open
    STOPPED = "stopped"  # Stop all invitations
    EXPIRED = "expired"  # nobody answered: not an answer either


# The answers that settle an invitation (Tell me more and expiry do not count as answers).
ANSWERS: frozenset[Answer] = frozenset({Answer.ACCEPTED, Answer.DECLINED, Answer.SNOOZED, Answer.STOPPED})


class Stage(StrEnum):
    """Where an accepted invitation stands. The recruiter moves it forward along `PROGRESSION`;
    the candidate may leave it at any point (`STEPPED_BACK`), which is not a stage anyone moves on."""

    ACCEPTED = "accepted"  # set by the candidate's "Happy to chat", never by a recruiter
    CONVERSATION = "conversation"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    CLOSED = "closed"
    STEPPED_BACK = "stepped_back"


PROGRESSION: tuple[Stage, ...] = (Stage.ACCEPTED, Stage.CONVERSATION, Stage.INTERVIEWING, Stage.OFFER, Stage.CLOSED)
# Stages whose process is still under way for the candidate (they may step back from these).
IN_PROGRESS: frozenset[Stage] = frozenset(PROGRESSION[:-1])


class CancelReason(StrEnum):
    """Why an invitation or a step ended without being sent (stored in `cancel_reason` and
    `last_error`; failed ones store Slack's error code there instead)."""

    OPTED_OUT = "opted_out"
    PAUSED = "paused"
    ROLE_CLOSED = "role_closed"
    ERASED = "erased"
    RECRUITER_REMOVED = "recruiter_removed"
    UNREACHABLE = "unreachable"
    ANSWERED = "answered"
    STEPPED_BACK = "stepped_back"
    NOT_NEEDED = "not_needed"
    NOT_OPTED_IN = "not_opted_in"
    NOT_QUEUED = "not_queued"
    SETTLED = "settled"
    EXPIRED_FIRST = "expired_first"

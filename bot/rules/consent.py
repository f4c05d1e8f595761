"""Consent rules: which opt-in / opt-out requests change anything, and what the ledger records.

Pure functions, no Slack and no database: callers load the current status, ask here, then store
the answer together with its ledger event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.rules.statuses import Answer, Stage


class ConsentStatus(StrEnum):
    """Where a person stands on receiving invitations."""

    NOT_JOINED = "not_joined"
    OPTED_IN = "opted_in"
    OPTED_OUT = "opted_out"


class Via(StrEnum):
    """How a consent change reached us; recorded in the ledger for compliance questions."""

    COMMAND = "command"
    BUTTON = "button"
    KEYWORD = "keyword"
    APP_HOME = "app_home"
    MODAL = "modal"
    SYSTEM = "system"
    RETENTION = "retention"
    PURGE = "admin_purge"


class Action(StrEnum):
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"
    PAUSED = "paused"
    RESUMED = "resumed"
    UPDATED = "updated"
    RENEWED = "renewed"
    ERASED = "erased"


# The ledger scope for "may receive invitations" (per-role sharing consent uses other scopes).
INVITATIONS_SCOPE = "invitations"
# The ledger scope for changes to what a person asked for (cadence, interests, window, never-list).
PREFERENCES_SCOPE = "preferences"
# The ledger scope for "stay in touch" (cadence twice a year, asked for from the stay-in-touch DM).
CADENCE_SCOPE = "cadence"
# Per-role consent to share a candidate's details with that role's company: `share:role:N`.
SHARE_SCOPE_PREFIX = "share:role:"


def share_scope(role_id: int) -> str:
    """Ledger scope of the per-role consent to share a candidate's details with the company."""
    return f"{SHARE_SCOPE_PREFIX}{role_id}"


def may_grant_share(status: ConsentStatus, answer: Answer | None, stage: Stage | None) -> bool:
    """Whether a yes to sharing may create a grant: only while the person is opted in, said
    *Happy to chat* to the role and has not stepped back from it. An old *Yes, share my profile*
    button clicked after `stop` or a step back must not bring a grant back."""
    return status is ConsentStatus.OPTED_IN and answer is Answer.ACCEPTED and stage is not Stage.STEPPED_BACK


def role_of_share_scope(scope: str) -> int | None:
    """The role id of a `share:role:N` scope, or None for any other scope."""
    tail = scope[len(SHARE_SCOPE_PREFIX) :] if scope.startswith(SHARE_SCOPE_PREFIX) else ""
    return int(tail) if tail.isdigit() else None


@dataclass(frozen=True)
class ConsentChange:
    """The outcome of a request: the status afterwards and the ledger action, if any.

    `action` is None when nothing changes (joining twice, stopping twice): the request is
    harmless and the ledger stays as it is.
    """

    before: ConsentStatus
    after: ConsentStatus
    action: Action | None

    @property
    def changed(self) -> bool:
        return self.action is not None


def opt_in(current: ConsentStatus) -> ConsentChange:
    """Joining takes one step from any state; someone who stopped may come back on their own."""
    if current is ConsentStatus.OPTED_IN:
        return ConsentChange(current, current, None)
    return ConsentChange(current, ConsentStatus.OPTED_IN, Action.GRANTED)


def opt_out(current: ConsentStatus) -> ConsentChange:
    """Stopping works from any state, including before joining, and takes effect at once.

    A person who never joined and says "stop" is recorded as opted out, so nobody can later send
    them an opt-in request either.
    """
    if current is ConsentStatus.OPTED_OUT:
        return ConsentChange(current, current, None)
    return ConsentChange(current, ConsentStatus.OPTED_OUT, Action.WITHDRAWN)


def may_receive_invitations(status: ConsentStatus) -> bool:
    """Only people who opted in are ever invited."""
    return status is ConsentStatus.OPTED_IN


class OptInRequest(StrEnum):
    """What became of a recruiter's request to send someone the one-time opt-in request."""

    SENT = "sent"
    ALREADY_REQUESTED = "already_requested"  # each person gets it at most once, ever
    ALREADY_JOINED = "already_joined"
    OPTED_OUT = "opted_out"  # or erased: nothing can be done


class Standing(StrEnum):
    """What a person sees as their state: consent plus any pause, which ends by itself."""

    NOT_JOINED = "not_joined"
    JOINED = "joined"
    PAUSED = "paused"
    OPTED_OUT = "opted_out"


def standing(status: ConsentStatus, paused_until, now) -> Standing:
    """A pause only matters for someone opted in; it is over once `now` reaches its end."""
    if status is ConsentStatus.OPTED_OUT:
        return Standing.OPTED_OUT
    if status is ConsentStatus.NOT_JOINED:
        return Standing.NOT_JOINED
    if paused_until is not None and now < paused_until:
        return Standing.PAUSED
    return Standing.JOINED

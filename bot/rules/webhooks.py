"""Webhooks to the team's other tools (Standard Webhooks 1.0): the event shapes, which secrets
are usable, what an endpoint's answer means, and when to try again.

Pure: the shapes carry ids, the role's title and company (recruiters see both) and, for
`sharing.granted`, the profile the candidate agreed to share; never a private note, a never-list
or anything about an invitation the candidate never saw. Time and chance are passed in.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.rules.statuses import Answer, Stage

SECRET_PREFIX = "whsec_"
# The recipient a disclosure record names when the profile went out by `sharing.granted`.
RECRUITING_SYSTEM = "webhook:recruiting_system"
TIMEOUT_SECONDS = 10.0
# How often the sender looks for due events: a retry reaches the receiver up to this much after
# it falls due, so the two quick retries leave room for it within their promised 5 s and 30 s.
SENDER_TICK = timedelta(seconds=2)
# Retry n waits RETRY_DELAYS[n-1]: two quick retries, then Standard Webhooks' schedule.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=3),
    timedelta(seconds=28),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
# A delay is shortened by up to this share, so retries of many events spread out but each
# stays within its promised bound and the whole schedule stays over a day.
JITTER = 0.1


class EventType(StrEnum):
    INVITATION_ANSWERED = "invitation.answered"
    STAGE_CHANGED = "stage.changed"
    SHARING_GRANTED = "sharing.granted"
    SHARING_WITHDRAWN = "sharing.withdrawn"
    CANDIDATE_OPTED_OUT = "candidate.opted_out"
    CANDIDATE_ERASED = "candidate.erased"
    PING = "ping"


class Outcome(StrEnum):
    """What an endpoint's answer (or its silence) means for one delivery."""

    DELIVERED = "delivered"  # any 2xx
    RETRY = "retry"  # other answers, timeouts, connection errors
    GONE = "gone"  # 410: the endpoint asks for no more, until the settings change


class Attempted(StrEnum):
    """How one attempt ended, as metrics and the status command count it."""

    DELIVERED = "delivered"
    RETRYING = "retrying"
    GAVE_UP = "gave_up"
    GONE = "gone"
    HANDED_BACK = "handed_back"  # not posted: too little of the claim was left for a whole post


# The answers as the receiving system sees them: "Stop all invitations" declines this role too
# (the opt-out follows as its own event).
_ANSWER_NAMES: dict[Answer, str] = {
    Answer.ACCEPTED: "accepted",
    Answer.DECLINED: "declined",
    Answer.SNOOZED: "snoozed",
    Answer.DETAILS: "details",
    Answer.STOPPED: "declined",
}


@dataclass(frozen=True)
class RoleShown:
    """A role as recruiters see it."""

    id: int
    title: str
    company: str


@dataclass(frozen=True)
class Event:
    """One event to report: its type, who it is about (None for `ping`) and its `data`."""

    type: EventType
    candidate: str | None
    data: dict


def secret_problem(text: str) -> str:
    """Why ``text`` is not a usable `whsec_` secret, or ''."""
    if not text.startswith(SECRET_PREFIX):
        return "prefix"
    try:
        key = base64.b64decode(text[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return "base64"
    return "" if len(key) >= 16 else "short"


def _role(role: RoleShown) -> dict:
    return {"role_id": role.id, "role_title": role.title, "company": role.company}


def invitation_answered(invitation_id: int, role: RoleShown, candidate: str, answer: Answer) -> Event | None:
    """None for what is not an answer the candidate gave (an expiry)."""
    name = _ANSWER_NAMES.get(answer)
    if name is None:
        return None
    data = {"invitation_id": invitation_id, **_role(role), "candidate": candidate, "answer": name}
    return Event(EventType.INVITATION_ANSWERED, candidate, data)


def stage_changed(invitation_id: int, role: RoleShown, candidate: str, stage: Stage) -> Event:
    data = {"invitation_id": invitation_id, **_role(role), "candidate": candidate, "stage": stage.value}
    return Event(EventType.STAGE_CHANGED, candidate, data)


def sharing_granted(role: RoleShown, candidate: str, *, interests: tuple[str, ...], note: str | None) -> Event:
    """The profile `/nudge profile` gives; the name and Slack title are read when it is sent."""
    profile = {"name": None, "title": None, "interests": list(interests), "note": note}
    return Event(EventType.SHARING_GRANTED, candidate, {**_role(role), "candidate": candidate, "profile": profile})


def sharing_withdrawn(role: RoleShown, candidate: str) -> Event:
    return Event(EventType.SHARING_WITHDRAWN, candidate, {**_role(role), "candidate": candidate})


def opted_out(candidate: str) -> Event:
    return Event(EventType.CANDIDATE_OPTED_OUT, candidate, {"candidate": candidate})


def erased(candidate: str) -> Event:
    return Event(EventType.CANDIDATE_ERASED, candidate, {"candidate": candidate})


def ping() -> Event:
    return Event(EventType.PING, None, {})


def body(event_type: EventType, at: datetime, data: dict) -> str:
    """The POST body: `{"type", "timestamp" (ISO-8601 UTC), "data"}`, compact JSON."""
    stamp = at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return json.dumps({"type": event_type.value, "timestamp": stamp, "data": data}, separators=(",", ":"))


def classify(status: int | None) -> Outcome:
    """An HTTP status, or None for a timeout or a connection error."""
    if status is not None and 200 <= status < 300:
        return Outcome.DELIVERED
    if status == 410:
        return Outcome.GONE
    return Outcome.RETRY


def next_attempt_at(attempts: int, now: datetime, chance: float) -> datetime | None:
    """When to try again after `attempts` failed attempts, or None to give up. `chance` in
    [0, 1) picks the jitter."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1]
    return now + delay * (1 - JITTER * chance)


def after_failure(attempts: int, status: int | None, now: datetime, chance: float) -> tuple[Attempted, datetime | None]:
    """How a failed attempt ends: retry at a time, stop for good, or stop for this endpoint."""
    if classify(status) is Outcome.GONE:
        return Attempted.GONE, None
    retry_at = next_attempt_at(attempts, now, chance)
    return (Attempted.RETRYING, retry_at) if retry_at is not None else (Attempted.GAVE_UP, None)

"""Which message steps may go out now: the gates every step passes at the moment of sending.

Pure: the sender loads the facts, asks here, and acts. Two gates, in order:
1. `gate` — is the step still wanted at all, and is anything blocking it (consent, pause, the
   team switch, an answered or expired invitation)? Answers go, wait, or cancel.
2. `moment_gate` — for proactive messages only: is now a good moment for this person (their
   send window in their zone, Do Not Disturb, an away status)? Answers go or wait until when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import Cadence, next_invitation_allowed_at
from bot.rules.grammar import SendWindow
from bot.rules.timing import Dnd, next_window_opening, quiet_until, window_open


class Kind(StrEnum):
    """Every kind of step. Values are stored; do not rename."""

    REPLY_OPTED_OUT = "dm.opted_out"
    REPLY_ALREADY_OPTED_OUT = "dm.already_opted_out"
    REPLY_HELP = "dm.help"
    REPLY_POINTER = "dm.pointer"
    WELCOME = "welcome"
    OPT_IN_REQUEST = "opt_in_request"
    INVITATION = "invitation"
    FOLLOWUP = "followup"
    EXPIRE = "expire"
    RECRUITER_ACCEPTED = "recruiter.accepted"
    BOOKING_LINK = "booking_link"
    SHARE_ASK = "share_ask"
    CHECKIN_CONVERSATION = "checkin.conversation"
    CHECKIN_INTERVIEWING = "checkin.interviewing"
    CHECKIN_OFFER = "checkin.offer"
    STILL_WELCOME = "still_welcome"
    STILL_WELCOME_LAPSE = "still_welcome.lapse"
    CONSENT_RENEWAL = "consent_renewal"
    RECRUITER_STEPPED_BACK = "recruiter.stepped_back"
    STAY_IN_TOUCH = "stay_in_touch"


REPLIES = frozenset({Kind.REPLY_OPTED_OUT, Kind.REPLY_ALREADY_OPTED_OUT, Kind.REPLY_HELP, Kind.REPLY_POINTER})
# DMs to the recruiter that answer something the candidate just did: they go at once, and are not
# held by the candidate's pause or the team switch.
TO_RECRUITER = frozenset({Kind.RECRUITER_ACCEPTED, Kind.RECRUITER_STEPPED_BACK})
# Messages Nudge starts on its own: they wait for the person's window, DND and away status, and
# for the team switch. Replies to something the person just did go at once.
PROACTIVE = frozenset(
    {
        Kind.INVITATION,
        Kind.FOLLOWUP,
        Kind.CHECKIN_CONVERSATION,
        Kind.CHECKIN_INTERVIEWING,
        Kind.CHECKIN_OFFER,
        Kind.STILL_WELCOME,
        Kind.OPT_IN_REQUEST,
        Kind.CONSENT_RENEWAL,
        Kind.STAY_IN_TOUCH,
    }
)
# Steps for opted-in candidates only (everything else is a reply, or for people not yet in).
NEEDS_OPT_IN = frozenset(
    {
        Kind.INVITATION,
        Kind.FOLLOWUP,
        Kind.CHECKIN_CONVERSATION,
        Kind.CHECKIN_INTERVIEWING,
        Kind.CHECKIN_OFFER,
        Kind.STILL_WELCOME,
        Kind.BOOKING_LINK,
        Kind.SHARE_ASK,
        Kind.CONSENT_RENEWAL,
        Kind.STAY_IN_TOUCH,
    }
)
# ... and which a pause holds back.
HELD_BY_PAUSE = frozenset(
    {
        Kind.INVITATION,
        Kind.FOLLOWUP,
        Kind.CHECKIN_CONVERSATION,
        Kind.CHECKIN_INTERVIEWING,
        Kind.CHECKIN_OFFER,
        Kind.STILL_WELCOME,
        Kind.CONSENT_RENEWAL,
        Kind.STAY_IN_TOUCH,
    }
)
# Steps that go to the people who never joined: their rows keep only a hash afterwards.
ANONYMOUS = frozenset({Kind.WELCOME, Kind.OPT_IN_REQUEST})
# What `/nudge team pause` holds: everything Nudge starts on its own, the welcome DM included
# (it is not an answer to anything the person did in a DM).
HELD_BY_TEAM_SWITCH = PROACTIVE | {Kind.WELCOME}
# Steps that edit a message already sent rather than post a new one.
EDITS = frozenset({Kind.EXPIRE})
# Steps that only make sense while the inviting recruiter is still a recruiter: a removed
# recruiter's queued invitations and reminders are cancelled, and no candidate's answer reaches them.
RECRUITER_BOUND = frozenset({Kind.INVITATION, Kind.FOLLOWUP, Kind.RECRUITER_ACCEPTED, Kind.RECRUITER_STEPPED_BACK})
# Steps with no Slack call at all.
INTERNAL = frozenset({Kind.STILL_WELCOME_LAPSE})
# An opt-out ends everything still owed to the person except the replies (its confirmation).
ENDED_BY_OPT_OUT = frozenset(Kind) - REPLIES
CHECKIN_FOR_STAGE = {
    "conversation": Kind.CHECKIN_CONVERSATION,
    "interviewing": Kind.CHECKIN_INTERVIEWING,
    "offer": Kind.CHECKIN_OFFER,
    "closed": Kind.STAY_IN_TOUCH,
}
# Cancellations a recruiter must not be able to tell from an invitation still waiting to go out:
# the step ends, nothing is sent, and the invitation itself is left as it was ("queued" in
# `pipeline`, `status` and App Home, counted for "already invited" and the cadence like any queued
# one, and cancelled with the others when the role closes or the candidate pauses or opts out).
# Marking it cancelled would show: it would drop out of the pipeline and let the recruiter invite
# again at once, which a delivered or waiting invitation never allows. Stats count deliveries
# only, so they are unchanged either way.
SILENT_CANCELS = frozenset({"not_eligible"})
# Everything a step back ends for that invitation.
ENDED_BY_STEP_BACK = frozenset(
    {Kind.CHECKIN_CONVERSATION, Kind.CHECKIN_INTERVIEWING, Kind.CHECKIN_OFFER, Kind.STAY_IN_TOUCH}
)


@dataclass(frozen=True)
class InvitationFacts:
    status: str  # queued, sent, cancelled, failed
    answered: bool
    expired: bool
    role_open: bool
    company_on_never_list: bool  # `companies.on_never_list`: never sent, and silently (SILENT_CANCELS)
    sent_at: datetime | None
    other_delivered_at: datetime | None  # the latest *other* invitation delivered to this person
    stepped_back: bool = False  # the candidate stepped back from this role's process
    recruiter_active: bool = True  # the inviting recruiter is still a recruiter


@dataclass(frozen=True)
class StepFacts:
    kind: Kind
    consent: ConsentStatus
    paused_until: datetime | None
    unreachable: bool
    team_paused: bool
    cadence: Cadence
    min_gap: timedelta
    followup_after: timedelta
    expire_after: timedelta
    invitation: InvitationFacts | None = None
    erased: bool = False  # a suppression record exists: never message them again


class Verdict(StrEnum):
    GO = "go"
    WAIT = "wait"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    until: datetime | None = None  # for WAIT
    reason: str | None = None  # for CANCEL (stored as the step's last_error) and WAIT

    @classmethod
    def go(cls) -> "Decision":
        return cls(Verdict.GO)


def _cancel(reason: str) -> Decision:
    return Decision(Verdict.CANCEL, reason=reason)


def gate(facts: StepFacts, now: datetime) -> Decision:
    """Whether a step may be sent now, must wait, or is no longer wanted."""
    kind = facts.kind
    invitation = facts.invitation
    if (
        kind in RECRUITER_BOUND
        and invitation is not None
        and not invitation.recruiter_active
        and (kind is not Kind.INVITATION or invitation.status == "queued")
    ):
        return _cancel("recruiter_removed")  # the candidate is told nothing; the recruiter is no longer one
    if kind in TO_RECRUITER or kind in REPLIES:
        return Decision.go()  # answers to what the person just did (an erased person may still ask)
    if facts.erased:
        return _cancel("erased")
    if kind in ANONYMOUS:
        if facts.consent is not ConsentStatus.NOT_JOINED:
            return _cancel("not_needed")
    elif kind in NEEDS_OPT_IN and facts.consent is not ConsentStatus.OPTED_IN:
        return _cancel("not_opted_in")
    if facts.unreachable and kind not in INTERNAL:
        return _cancel("unreachable")
    paused = facts.paused_until is not None and now < facts.paused_until
    if kind is Kind.INVITATION:
        if invitation is None or invitation.status != "queued":
            return _cancel("not_queued")
        if not invitation.role_open:
            return _cancel("role_closed")
        if invitation.company_on_never_list:
            return _cancel("not_eligible")
        if paused:
            return _cancel("paused")
        allowed = next_invitation_allowed_at(invitation.other_delivered_at, facts.cadence, facts.min_gap)
        if allowed is not None and now < allowed:
            return Decision(Verdict.WAIT, until=allowed, reason="too_soon")
    if kind in (Kind.FOLLOWUP, Kind.EXPIRE):
        if invitation is None or invitation.sent_at is None or invitation.answered or invitation.expired:
            return _cancel("settled")
        if kind is Kind.FOLLOWUP and now >= invitation.sent_at + facts.expire_after:
            return _cancel("expired_first")
    if kind in ENDED_BY_STEP_BACK and invitation is not None and invitation.stepped_back:
        return _cancel("stepped_back")
    if kind is Kind.STILL_WELCOME_LAPSE and facts.consent is not ConsentStatus.OPTED_IN:
        return _cancel("not_opted_in")
    if kind in HELD_BY_PAUSE and paused and kind is not Kind.INVITATION:
        if kind is Kind.FOLLOWUP:
            return _cancel("paused")
        return Decision(Verdict.WAIT, until=facts.paused_until, reason="paused")
    if kind in HELD_BY_TEAM_SWITCH and facts.team_paused:
        return Decision(Verdict.WAIT, until=now + timedelta(minutes=1), reason="team_paused")
    return Decision.go()


def moment_gate(
    *, window: SendWindow, zone, dnd: Dnd, away: bool, status_expiration: float | None, now: datetime
) -> Decision:
    """For proactive steps: inside the person's window, and not while DND or an away status."""
    quiet = quiet_until(dnd=dnd, away=away, status_expiration=status_expiration, now=now)
    if quiet is not None:
        return Decision(Verdict.WAIT, until=quiet, reason="quiet")
    if not window_open(window, zone, now):
        return Decision(Verdict.WAIT, until=next_window_opening(window, zone, now), reason="outside_window")
    return Decision.go()

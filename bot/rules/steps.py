"""Which message steps may go out now: the gates every step passes at the moment of sending.

Pure: the sender loads the facts, asks here, and acts. Two gates, in order:
1. `gate` — is the step still wanted at all, and is anything blocking it (consent, pause, the
   team switch, an answered or expired invitation)? Answers go, wait, or cancel.
2. `moment_gate` — for proactive messages only: is now a good moment for this person (their
   send window in their zone, Do Not Disturb, an away status)? Answers go or wait until when.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import Cadence, next_invitation_allowed_at
from bot.rules.grammar import SendWindow
from bot.rules.quiet import Dnd, quiet_until
from bot.rules.statuses import CancelReason, InvitationStatus, Stage
from bot.rules.timing import next_window_opening, window_open


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
    ADMIN_ACCEPTED = "admin.accepted"


class Recipient(StrEnum):
    CANDIDATE = "candidate"  # the person the step is about
    RECRUITER = "recruiter"  # the recruiter of the invitation
    ADMIN = "admin"  # each admin, for what the invitation's recruiter (no longer one) would have heard
    ANYONE = "anyone"  # whoever wrote to Nudge or joined the channel, joined or not


@dataclass(frozen=True)
class StepPolicy:
    """How one kind of step behaves; one row per kind in `POLICIES`.

    reply: answers what the person just did (goes at once, whatever their consent or pause).
    proactive: Nudge starts it on its own, so it waits for the person's window, DND and status.
    needs_opt_in: only for people opted in.  held_by_pause: a pause holds it back.
    held_by_team_switch: `/nudge team pause` holds it.  anonymous: for people who never joined
    (their rows keep only a hash afterwards).  edits: edits a message already sent.
    internal: no Slack call at all.  recruiter_bound: only while the inviting recruiter still is
    one.  ended_by_step_back: a step back ends it for that invitation.
    """

    recipient: Recipient
    reply: bool = False
    proactive: bool = False
    needs_opt_in: bool = False
    held_by_pause: bool = False
    held_by_team_switch: bool = False
    anonymous: bool = False
    edits: bool = False
    internal: bool = False
    recruiter_bound: bool = False
    ended_by_step_back: bool = False


_CANDIDATE = Recipient.CANDIDATE
# What Nudge starts on its own for an opted-in candidate: their window, a pause and the team switch hold it.
_NUDGE = StepPolicy(_CANDIDATE, proactive=True, needs_opt_in=True, held_by_pause=True, held_by_team_switch=True)

POLICIES: dict[Kind, StepPolicy] = {
    Kind.REPLY_OPTED_OUT: StepPolicy(Recipient.ANYONE, reply=True),
    Kind.REPLY_ALREADY_OPTED_OUT: StepPolicy(Recipient.ANYONE, reply=True),
    Kind.REPLY_HELP: StepPolicy(Recipient.ANYONE, reply=True),
    Kind.REPLY_POINTER: StepPolicy(Recipient.ANYONE, reply=True),
    Kind.WELCOME: StepPolicy(Recipient.ANYONE, anonymous=True, held_by_team_switch=True),
    Kind.OPT_IN_REQUEST: StepPolicy(Recipient.ANYONE, anonymous=True, proactive=True, held_by_team_switch=True),
    Kind.INVITATION: replace(_NUDGE, recruiter_bound=True),
    Kind.FOLLOWUP: replace(_NUDGE, recruiter_bound=True),
    Kind.EXPIRE: StepPolicy(_CANDIDATE, edits=True),
    Kind.RECRUITER_ACCEPTED: StepPolicy(Recipient.RECRUITER, recruiter_bound=True),
    Kind.BOOKING_LINK: StepPolicy(_CANDIDATE, needs_opt_in=True, recruiter_bound=True),
    Kind.SHARE_ASK: StepPolicy(_CANDIDATE, needs_opt_in=True),
    Kind.CHECKIN_CONVERSATION: replace(_NUDGE, ended_by_step_back=True),
    Kind.CHECKIN_INTERVIEWING: replace(_NUDGE, ended_by_step_back=True),
    Kind.CHECKIN_OFFER: replace(_NUDGE, ended_by_step_back=True),
    Kind.STILL_WELCOME: _NUDGE,
    Kind.STILL_WELCOME_LAPSE: StepPolicy(_CANDIDATE, internal=True),
    Kind.CONSENT_RENEWAL: _NUDGE,
    Kind.RECRUITER_STEPPED_BACK: StepPolicy(Recipient.RECRUITER, recruiter_bound=True),
    Kind.STAY_IN_TOUCH: replace(_NUDGE, ended_by_step_back=True),
    Kind.ADMIN_ACCEPTED: StepPolicy(Recipient.ADMIN),
}


def _kinds(flag: str) -> frozenset[Kind]:
    return frozenset(kind for kind, policy in POLICIES.items() if getattr(policy, flag))


REPLIES = _kinds("reply")
# To the team (the invitation's recruiter, or the admins): answers to what a candidate did.
TO_RECRUITER = frozenset(
    kind for kind, policy in POLICIES.items() if policy.recipient in (Recipient.RECRUITER, Recipient.ADMIN)
)
PROACTIVE = _kinds("proactive")
NEEDS_OPT_IN = _kinds("needs_opt_in")
HELD_BY_PAUSE = _kinds("held_by_pause")
ANONYMOUS = _kinds("anonymous")
HELD_BY_TEAM_SWITCH = _kinds("held_by_team_switch")
EDITS = _kinds("edits")
RECRUITER_BOUND = _kinds("recruiter_bound")
INTERNAL = _kinds("internal")
ENDED_BY_STEP_BACK = _kinds("ended_by_step_back")
# An opt-out ends everything still owed to the person except the replies (its confirmation).
ENDED_BY_OPT_OUT = frozenset(Kind) - REPLIES
# What Slack telling Nudge that a person cannot get DMs ends for them.
ENDED_BY_UNREACHABLE = NEEDS_OPT_IN | PROACTIVE
CHECKIN_FOR_STAGE: dict[Stage, Kind] = {
    Stage.CONVERSATION: Kind.CHECKIN_CONVERSATION,
    Stage.INTERVIEWING: Kind.CHECKIN_INTERVIEWING,
    Stage.OFFER: Kind.CHECKIN_OFFER,
    Stage.CLOSED: Kind.STAY_IN_TOUCH,
}
STAGE_OF_CHECKIN: dict[Kind, Stage] = {
    kind: stage for stage, kind in CHECKIN_FOR_STAGE.items() if kind is not Kind.STAY_IN_TOUCH
}
# The never-list stays secret: a step about a company on it is not held or cancelled for that
# reason (the gates decide exactly as for any other), it goes at the same moment and is recorded
# the same way, but without reaching Slack (`withheld`). So an invitation to the candidate's
# current employer is "sent" when it would have been delivered and "expired" when the expiry
# comes, counts toward cadence, and nothing of it reaches the candidate.
WITHHOLDABLE = frozenset({Kind.INVITATION, Kind.FOLLOWUP, Kind.EXPIRE})


def steps_after_delivery(
    *, now: datetime, followup_after: timedelta, expire_after: timedelta, opted_in: bool
) -> tuple[tuple[Kind, datetime], ...]:
    """What an invitation's delivery sets off, both counted from delivery: one gentle reminder
    (only when it comes before the expiry) and the expiry. Nothing for someone no longer in."""
    if not opted_in:
        return ()
    followup = ((Kind.FOLLOWUP, now + followup_after),) if followup_after < expire_after else ()
    return (*followup, (Kind.EXPIRE, now + expire_after))


def still_welcome_steps(*, now: datetime, expire_after: timedelta) -> tuple[tuple[Kind, datetime], ...]:
    """Two invitations in a row expired: ask once now; with no answer by the expiry delay, pause."""
    return ((Kind.STILL_WELCOME, now), (Kind.STILL_WELCOME_LAPSE, now + expire_after))


class WaitReason(StrEnum):
    TOO_SOON = "too_soon"
    PAUSED = "paused"
    TEAM_PAUSED = "team_paused"
    QUIET = "quiet"
    OUTSIDE_WINDOW = "outside_window"


@dataclass(frozen=True)
class InvitationFacts:
    status: InvitationStatus
    answered: bool
    expired: bool
    role_open: bool
    company_on_never_list: bool  # `companies.on_never_list` now: see `withheld`
    sent_at: datetime | None
    other_delivered_at: datetime | None  # the latest *other* invitation delivered to this person
    stepped_back: bool = False  # the candidate stepped back from this role's process
    recruiter_active: bool = True  # the inviting recruiter is still a recruiter
    withheld: bool = False  # the invitation "went out" withheld (see `withheld`)


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
    reason: CancelReason | WaitReason | None = None  # for CANCEL (stored as the step's last_error) and WAIT

    @classmethod
    def go(cls) -> Decision:
        return cls(Verdict.GO)


def _cancel(reason: CancelReason) -> Decision:
    return Decision(Verdict.CANCEL, reason=reason)


def gate(facts: StepFacts, now: datetime) -> Decision:
    """Whether a step may be sent now, must wait, or is no longer wanted."""
    kind = facts.kind
    invitation = facts.invitation
    if (
        kind in RECRUITER_BOUND
        and invitation is not None
        and not invitation.recruiter_active
        and (kind is not Kind.INVITATION or invitation.status == InvitationStatus.QUEUED)
    ):
        return _cancel(CancelReason.RECRUITER_REMOVED)  # the candidate is told nothing; the recruiter is no longer one
    if kind in TO_RECRUITER or kind in REPLIES:
        return Decision.go()  # answers to what the person just did (an erased person may still ask)
    if facts.erased:
        return _cancel(CancelReason.ERASED)
    if kind in ANONYMOUS:
        if facts.consent is not ConsentStatus.NOT_JOINED:
            return _cancel(CancelReason.NOT_NEEDED)
    elif kind in NEEDS_OPT_IN and facts.consent is not ConsentStatus.OPTED_IN:
        return _cancel(CancelReason.NOT_OPTED_IN)
    if facts.unreachable and kind not in INTERNAL:
        return _cancel(CancelReason.UNREACHABLE)
    paused = facts.paused_until is not None and now < facts.paused_until
    if kind is Kind.INVITATION:
        if invitation is None or invitation.status != InvitationStatus.QUEUED:
            return _cancel(CancelReason.NOT_QUEUED)
        if not invitation.role_open:
            return _cancel(CancelReason.ROLE_CLOSED)
        if paused:
            return _cancel(CancelReason.PAUSED)
        allowed = next_invitation_allowed_at(invitation.other_delivered_at, facts.cadence, facts.min_gap)
        if allowed is not None and now < allowed:
            return Decision(Verdict.WAIT, until=allowed, reason=WaitReason.TOO_SOON)
    if kind in (Kind.FOLLOWUP, Kind.EXPIRE):
        if invitation is None or invitation.sent_at is None or invitation.answered or invitation.expired:
            return _cancel(CancelReason.SETTLED)
        if kind is Kind.FOLLOWUP and now >= invitation.sent_at + facts.expire_after:
            return _cancel(CancelReason.EXPIRED_FIRST)
    if kind in ENDED_BY_STEP_BACK and invitation is not None and invitation.stepped_back:
        return _cancel(CancelReason.STEPPED_BACK)
    if kind is Kind.STILL_WELCOME_LAPSE and facts.consent is not ConsentStatus.OPTED_IN:
        return _cancel(CancelReason.NOT_OPTED_IN)
    if kind in HELD_BY_PAUSE and paused and kind is not Kind.INVITATION:
        if kind is Kind.FOLLOWUP:
            return _cancel(CancelReason.PAUSED)
        return Decision(Verdict.WAIT, until=facts.paused_until, reason=WaitReason.PAUSED)
    if kind in HELD_BY_TEAM_SWITCH and facts.team_paused:
        return Decision(Verdict.WAIT, until=now + timedelta(minutes=1), reason=WaitReason.TEAM_PAUSED)
    return Decision.go()


def withheld(facts: StepFacts) -> bool:
    """Whether a step that goes is recorded without any Slack call: an invitation to a company on
    the candidate's never-list, the follow-up and expiry of such an invitation, and a follow-up
    about a company they put on the list after the invitation reached them (its expiry still
    edits the message they have). Asked only once `gate` (and the moment gate) said go, so the
    step keeps the timing and the record of one delivered and left unanswered."""
    invitation = facts.invitation
    if invitation is None or facts.kind not in WITHHOLDABLE:
        return False
    if facts.kind is Kind.INVITATION:
        return invitation.company_on_never_list
    if facts.kind is Kind.FOLLOWUP:
        return invitation.withheld or invitation.company_on_never_list
    return invitation.withheld


def moment_gate(
    *, window: SendWindow, zone, dnd: Dnd, away: bool, status_expiration: float | None, now: datetime
) -> Decision:
    """For proactive steps: inside the person's window, and not while DND or an away status."""
    quiet = quiet_until(dnd=dnd, away=away, status_expiration=status_expiration, now=now)
    if quiet is not None:
        return Decision(Verdict.WAIT, until=quiet, reason=WaitReason.QUIET)
    if not window_open(window, zone, now):
        return Decision(Verdict.WAIT, until=next_window_opening(window, zone, now), reason=WaitReason.OUTSIDE_WINDOW)
    return Decision.go()

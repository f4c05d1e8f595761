"""Properties of the gates every message step passes at the moment of sending (`bot.rules.steps`).

These are the gates production uses (the outbox asks `gate`, then `moment_gate` for proactive
steps), so they carry the spec's promises: nothing proactive reaches anyone who is not opted in,
has opted out, was erased, is paused, or while the team switch is off; replies to what a person
just did always go; the expiry edit goes only while the invitation is still open.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import Cadence, next_invitation_allowed_at
from bot.rules.grammar import parse_send_window
from bot.rules.quiet import Dnd, quiet_until
from bot.rules.steps import (
    ANONYMOUS,
    EDITS,
    ENDED_BY_STEP_BACK,
    HELD_BY_PAUSE,
    INTERNAL,
    NEEDS_OPT_IN,
    PROACTIVE,
    REPLIES,
    TO_RECRUITER,
    InvitationFacts,
    Kind,
    StepFacts,
    Verdict,
    gate,
    moment_gate,
    withheld,
)
from bot.rules.timing import window_open

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ANSWERS_TO_THE_PERSON = REPLIES | TO_RECRUITER

moments = st.one_of(st.none(), st.timedeltas(min_value=-400 * DAY, max_value=400 * DAY).map(lambda d: NOW + d))

invitation_facts = st.builds(
    InvitationFacts,
    status=st.sampled_from(["queued", "sent", "cancelled", "failed"]),
    answered=st.booleans(),
    expired=st.booleans(),
    role_open=st.booleans(),
    company_on_never_list=st.booleans(),
    sent_at=moments,
    other_delivered_at=moments,
    withheld=st.booleans(),
)

step_facts = st.builds(
    StepFacts,
    kind=st.sampled_from(list(Kind)),
    consent=st.sampled_from(list(ConsentStatus)),
    paused_until=moments,
    unreachable=st.booleans(),
    team_paused=st.booleans(),
    cadence=st.sampled_from(list(Cadence)),
    min_gap=st.sampled_from([timedelta(0), 30 * DAY]),
    followup_after=st.just(4 * DAY),
    expire_after=st.just(10 * DAY),
    invitation=st.one_of(st.none(), invitation_facts),
    erased=st.booleans(),
)


def _paused(facts: StepFacts) -> bool:
    return facts.paused_until is not None and facts.paused_until > NOW


@settings(max_examples=2000, deadline=None)
@given(step_facts)
def test_nothing_proactive_goes_to_anyone_not_opted_in_or_erased_or_paused_or_while_the_team_pauses(facts):
    verdict = gate(facts, NOW).verdict
    if facts.kind in ANSWERS_TO_THE_PERSON:
        return  # the next test: replies always go
    if facts.erased:
        assert verdict is Verdict.CANCEL
    if facts.kind in NEEDS_OPT_IN and facts.consent is not ConsentStatus.OPTED_IN:
        assert verdict is Verdict.CANCEL
    if facts.kind in ANONYMOUS and facts.consent is not ConsentStatus.NOT_JOINED:
        assert verdict is Verdict.CANCEL  # the welcome and the one-time request are for people not yet in
    if facts.kind in HELD_BY_PAUSE and _paused(facts):
        assert verdict is not Verdict.GO
    if facts.kind in PROACTIVE and facts.team_paused:
        assert verdict is not Verdict.GO
    if facts.unreachable and facts.kind not in INTERNAL:
        assert verdict is Verdict.CANCEL


@settings(max_examples=500, deadline=None)
@given(step_facts, st.sampled_from(sorted(ANSWERS_TO_THE_PERSON)))
def test_replies_to_what_a_person_just_did_always_go(facts, kind):
    # Confirming an opt-out, answering "help", telling the recruiter about a "Happy to chat":
    # whatever else is true, the answer to one's own action is never held back.
    facts = StepFacts(**{**facts.__dict__, "kind": kind})
    assert gate(facts, NOW).verdict is Verdict.GO


@settings(max_examples=2000, deadline=None)
@given(step_facts)
def test_an_invitation_goes_only_when_every_promise_holds(facts):
    facts = StepFacts(**{**facts.__dict__, "kind": Kind.INVITATION})
    decision = gate(facts, NOW)
    if decision.verdict is not Verdict.GO:
        return
    invitation = facts.invitation
    assert facts.consent is ConsentStatus.OPTED_IN and not facts.erased and not facts.unreachable
    assert not _paused(facts) and not facts.team_paused
    assert invitation is not None and invitation.status == "queued"
    assert invitation.role_open
    assert withheld(facts) is invitation.company_on_never_list  # it goes, but never reaches Slack
    allowed = next_invitation_allowed_at(invitation.other_delivered_at, facts.cadence, facts.min_gap)
    assert allowed is None or allowed <= NOW


@settings(max_examples=2000, deadline=None)
@given(step_facts, st.booleans(), st.booleans())
def test_the_never_list_changes_no_gate_decision(facts, on_list, was_withheld):
    """The never-list stays secret: whether a role's company is on it (now, or when the invitation
    went out) never holds, delays or cancels a step, so its states and their moments are those
    of an invitation delivered and left unanswered."""
    if facts.invitation is None:
        return
    as_listed = InvitationFacts(
        **{**facts.invitation.__dict__, "company_on_never_list": on_list, "withheld": was_withheld}
    )
    as_plain = InvitationFacts(**{**facts.invitation.__dict__, "company_on_never_list": False, "withheld": False})
    listed = gate(StepFacts(**{**facts.__dict__, "invitation": as_listed}), NOW)
    plain = gate(StepFacts(**{**facts.__dict__, "invitation": as_plain}), NOW)
    assert listed == plain


@settings(max_examples=2000, deadline=None)
@given(step_facts)
def test_only_a_never_listed_invitation_and_what_follows_it_are_withheld(facts):
    """Withheld steps make no Slack call: the invitation to a never-listed company, its reminder
    and its expiry edit (never a message to a recruiter, a reply or anything else); a reminder
    about a company put on the list after delivery is withheld too, its expiry edit is not."""
    invitation = facts.invitation
    if not withheld(facts):
        assert invitation is None or not (
            (facts.kind is Kind.INVITATION and invitation.company_on_never_list)
            or (facts.kind in (Kind.FOLLOWUP, Kind.EXPIRE) and invitation.withheld)
        )
        return
    assert invitation is not None and facts.kind in (Kind.INVITATION, Kind.FOLLOWUP, Kind.EXPIRE)
    if facts.kind is Kind.INVITATION:
        assert invitation.company_on_never_list
    elif facts.kind is Kind.EXPIRE:
        assert invitation.withheld
    else:
        assert invitation.withheld or invitation.company_on_never_list


@settings(max_examples=1000, deadline=None)
@given(step_facts, st.sampled_from([Kind.FOLLOWUP, *sorted(EDITS)]))
def test_follow_up_and_the_expiry_edit_only_while_the_invitation_is_open(facts, kind):
    facts = StepFacts(**{**facts.__dict__, "kind": kind})
    decision = gate(facts, NOW)
    invitation = facts.invitation
    if decision.verdict is Verdict.GO:
        assert invitation is not None and invitation.sent_at is not None
        assert not invitation.answered and not invitation.expired and not facts.erased
    over = invitation is not None and invitation.sent_at is not None and invitation.sent_at + facts.expire_after <= NOW
    if kind is Kind.FOLLOWUP and over:
        assert decision.verdict is Verdict.CANCEL  # never a reminder for an invitation already over


@settings(max_examples=500, deadline=None)
@given(step_facts)
def test_the_expiry_edit_is_not_held_by_a_pause_or_the_team_switch(facts):
    # It changes a message already in the DM and sends nothing new, so it keeps its moment.
    open_invitation = InvitationFacts("sent", False, False, True, False, NOW - 11 * DAY, None)
    facts = StepFacts(
        **{**facts.__dict__, "kind": Kind.EXPIRE, "invitation": open_invitation, "erased": False, "unreachable": False}
    )
    assert gate(facts, NOW).verdict is Verdict.GO


@settings(max_examples=500, deadline=None)
@given(step_facts)
def test_a_wait_always_names_a_later_moment(facts):
    decision = gate(facts, NOW)
    if decision.verdict is Verdict.WAIT:
        assert decision.until is not None and decision.until > NOW
    if decision.verdict is Verdict.CANCEL:
        assert decision.reason


windows = st.sampled_from(["Mon-Fri 10:00-17:00", "Mon,Wed 09:30-12:00", "Mon-Sun 00:00-24:00", "Fri 22:00-02:00"])
zones = st.sampled_from(["Europe/London", "Asia/Tokyo", "America/Los_Angeles", "UTC"])


@settings(max_examples=500, deadline=None)
@given(
    window=windows,
    zone=zones,
    offset=st.timedeltas(min_value=timedelta(0), max_value=14 * DAY),
    dnd_from=st.one_of(st.none(), st.timedeltas(min_value=-DAY, max_value=DAY)),
    away=st.booleans(),
)
def test_the_moment_gate_goes_only_inside_the_window_and_outside_quiet_time(window, zone, offset, dnd_from, away):
    now = NOW + offset
    send_window, tz = parse_send_window(window), ZoneInfo(zone)
    dnd = Dnd()
    if dnd_from is not None:
        start = now + dnd_from
        dnd = Dnd(
            dnd_enabled=True,
            next_dnd_start_ts=start.timestamp(),
            next_dnd_end_ts=(start + timedelta(hours=8)).timestamp(),
        )
    decision = moment_gate(window=send_window, zone=tz, dnd=dnd, away=away, status_expiration=None, now=now)
    quiet = quiet_until(dnd=dnd, away=away, status_expiration=None, now=now)
    if decision.verdict is Verdict.GO:
        assert quiet is None and window_open(send_window, tz, now)
    else:
        assert decision.verdict is Verdict.WAIT and decision.until > now
        assert quiet is not None or not window_open(send_window, tz, now)


@settings(max_examples=300, deadline=None)
@given(step_facts, st.sampled_from(sorted(ENDED_BY_STEP_BACK)))
def test_no_check_in_goes_out_for_a_role_the_candidate_stepped_back_from(facts, kind):
    stepped_back = InvitationFacts("sent", True, False, True, False, NOW - DAY, None, stepped_back=True)
    facts = StepFacts(**{**facts.__dict__, "kind": kind, "invitation": stepped_back})
    assert gate(facts, NOW).verdict is Verdict.CANCEL

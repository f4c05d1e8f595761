"""One policy row per step kind (`bot.rules.steps.POLICIES`) decides which gates a step passes;
the sets the gates use are derived from it, so adding a kind is one row (and one renderer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.rules import steps
from bot.rules.steps import POLICIES, Kind, Recipient, steps_after_delivery, still_welcome_steps

K = Kind
NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


def test_every_kind_has_exactly_one_policy_row():
    assert set(POLICIES) == set(Kind)


def test_the_derived_sets_are_the_ones_the_gates_were_written_against():
    """The sets as they were kept by hand before the table replaced them."""
    proactive = {
        K.INVITATION, K.FOLLOWUP, K.CHECKIN_CONVERSATION, K.CHECKIN_INTERVIEWING, K.CHECKIN_OFFER,
        K.STILL_WELCOME, K.OPT_IN_REQUEST, K.CONSENT_RENEWAL, K.STAY_IN_TOUCH,
    }  # fmt: skip
    expected = {
        "REPLIES": {K.REPLY_OPTED_OUT, K.REPLY_ALREADY_OPTED_OUT, K.REPLY_HELP, K.REPLY_POINTER},
        "TO_RECRUITER": {K.RECRUITER_ACCEPTED, K.RECRUITER_STEPPED_BACK, K.ADMIN_ACCEPTED},
        "PROACTIVE": proactive,
        "NEEDS_OPT_IN": proactive - {K.OPT_IN_REQUEST} | {K.BOOKING_LINK, K.SHARE_ASK},
        "HELD_BY_PAUSE": proactive - {K.OPT_IN_REQUEST},
        "ANONYMOUS": {K.WELCOME, K.OPT_IN_REQUEST},
        "HELD_BY_TEAM_SWITCH": proactive | {K.WELCOME},
        "EDITS": {K.EXPIRE},
        "RECRUITER_BOUND": {K.INVITATION, K.FOLLOWUP, K.RECRUITER_ACCEPTED, K.RECRUITER_STEPPED_BACK, K.BOOKING_LINK},
        "INTERNAL": {K.STILL_WELCOME_LAPSE},
        "ENDED_BY_STEP_BACK": {K.CHECKIN_CONVERSATION, K.CHECKIN_INTERVIEWING, K.CHECKIN_OFFER, K.STAY_IN_TOUCH},
    }
    for name, kinds in expected.items():
        assert getattr(steps, name) == frozenset(kinds), name


def test_a_reply_answers_anyone_and_nothing_holds_it():
    for kind in steps.REPLIES:
        policy = POLICIES[kind]
        assert policy.recipient is Recipient.ANYONE
        assert not (policy.needs_opt_in or policy.held_by_pause or policy.held_by_team_switch or policy.proactive)


@given(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=60)),
)
def test_a_delivery_queues_one_reminder_before_the_expiry_and_the_expiry(followup, expire):
    queued = steps_after_delivery(now=NOW, followup_after=followup, expire_after=expire, opted_in=True)
    assert queued[-1] == (Kind.EXPIRE, NOW + expire)
    reminders = [at for kind, at in queued if kind is Kind.FOLLOWUP]
    assert reminders == ([NOW + followup] if followup < expire else [])
    assert steps_after_delivery(now=NOW, followup_after=followup, expire_after=expire, opted_in=False) == ()


def test_two_expiries_in_a_row_ask_now_and_pause_after_the_expiry_delay():
    assert still_welcome_steps(now=NOW, expire_after=timedelta(days=10)) == (
        (Kind.STILL_WELCOME, NOW),
        (Kind.STILL_WELCOME_LAPSE, NOW + timedelta(days=10)),
    )

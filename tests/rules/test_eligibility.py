"""Who may be invited: cadence, pauses and the spec's refusal order, with `now` passed in."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import (
    Cadence,
    InviteFacts,
    Refusal,
    RefusalReason,
    invite_refusal,
    is_paused,
    next_invitation_allowed_at,
)

NOW = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

# Someone who may be invited: every check passes.
OK = InviteFacts(
    role_open=True,
    consent=ConsentStatus.OPTED_IN,
    erased=False,
    paused_until=None,
    already_invited_to_role=False,
    last_invited_at=None,
    cadence=Cadence.QUARTERLY,
    min_gap=timedelta(days=30),
)


# --------------------------------------------------------------------------
# cadence


def test_cadence_values_intervals_and_labels():
    assert [(c.value, c.interval, c.label) for c in Cadence] == [
        ("monthly", timedelta(days=30), "monthly"),
        ("quarterly", timedelta(days=91), "quarterly"),
        ("twice_a_year", timedelta(days=182), "twice a year"),
    ]


def test_default_cadence_is_quarterly_and_not_a_fourth_choice():
    assert Cadence.DEFAULT is Cadence.QUARTERLY
    assert len(list(Cadence)) == 3
    assert Cadence("twice_a_year") is Cadence.TWICE_A_YEAR


# --------------------------------------------------------------------------
# next_invitation_allowed_at


def test_never_invited_means_no_waiting():
    assert next_invitation_allowed_at(None, Cadence.MONTHLY, timedelta(days=365)) is None


@pytest.mark.parametrize(
    ("cadence", "min_gap", "wait"),
    [
        (Cadence.MONTHLY, timedelta(days=30), timedelta(days=30)),
        (Cadence.MONTHLY, timedelta(days=45), timedelta(days=45)),  # min gap longer than cadence wins
        (Cadence.QUARTERLY, timedelta(days=30), timedelta(days=91)),  # cadence longer than min gap wins
        (Cadence.TWICE_A_YEAR, timedelta(0), timedelta(days=182)),
        (Cadence.MONTHLY, timedelta(days=400), timedelta(days=400)),
    ],
)
def test_next_invitation_is_the_longer_gap_after_the_last(cadence, min_gap, wait):
    last = NOW - 5 * DAY
    assert next_invitation_allowed_at(last, cadence, min_gap) == last + wait


def test_allowed_at_keeps_the_time_zone_instant():
    berlin = timezone(timedelta(hours=2))
    last = datetime(2024, 1, 1, 23, 30, tzinfo=berlin)
    allowed = next_invitation_allowed_at(last, Cadence.MONTHLY, timedelta(0))
    assert allowed == last + timedelta(days=30)
    assert allowed.utcoffset() == timedelta(hours=2)


# --------------------------------------------------------------------------
# is_paused


def test_pause_boundaries():
    until = NOW + DAY
    assert is_paused(until, NOW) is True
    assert is_paused(until, until - timedelta(microseconds=1)) is True
    assert is_paused(until, until) is False  # at the chosen moment the pause is over
    assert is_paused(until, until + timedelta(seconds=1)) is False
    assert is_paused(None, NOW) is False


def test_pause_compares_instants_across_time_zones():
    until = datetime(2024, 6, 3, 14, 0, tzinfo=timezone(timedelta(hours=2)))  # 12:00 UTC
    assert is_paused(until, NOW) is False
    assert is_paused(until, NOW - timedelta(seconds=1)) is True


# --------------------------------------------------------------------------
# naive datetimes are refused everywhere


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: is_paused(None, naive),
        lambda naive: is_paused(naive, NOW),
        lambda naive: next_invitation_allowed_at(naive, Cadence.MONTHLY, DAY),
        lambda naive: invite_refusal(OK, naive),
        lambda naive: invite_refusal(replace(OK, paused_until=naive), NOW),
        lambda naive: invite_refusal(replace(OK, last_invited_at=naive), NOW),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2024, 6, 3, 12, 0))


# --------------------------------------------------------------------------
# each refusal on its own


def test_everything_in_order_means_no_refusal():
    assert invite_refusal(OK, NOW) is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"role_open": False}, Refusal(RefusalReason.ROLE_NOT_OPEN)),
        ({"consent": ConsentStatus.OPTED_OUT}, Refusal(RefusalReason.OPTED_OUT)),
        ({"erased": True}, Refusal(RefusalReason.OPTED_OUT)),
        ({"paused_until": NOW + 10 * DAY}, Refusal(RefusalReason.PAUSED, NOW + 10 * DAY)),
        ({"consent": ConsentStatus.NOT_JOINED}, Refusal(RefusalReason.NOT_OPTED_IN)),
        ({"already_invited_to_role": True}, Refusal(RefusalReason.ALREADY_INVITED)),
        ({"last_invited_at": NOW - 10 * DAY}, Refusal(RefusalReason.TOO_SOON, NOW + 81 * DAY)),
    ],
)
def test_each_refusal(changes, expected):
    facts = replace(OK, **changes)
    assert invite_refusal(facts, NOW) == expected


def test_refusal_reasons_are_the_spec_list_in_order_without_the_never_list():
    """Issue 13: the never-list is no refusal at all (an answer of its own would reveal it)."""
    assert [r.value for r in RefusalReason] == [
        "role_not_open",
        "opted_out",
        "paused",
        "not_opted_in",
        "already_invited",
        "too_soon",
    ]
    assert "company_on_never_list" not in {f.name for f in fields(InviteFacts)}


def test_erased_wins_even_if_consent_still_says_opted_in():
    assert invite_refusal(replace(OK, erased=True, consent=ConsentStatus.OPTED_IN), NOW) == Refusal(
        RefusalReason.OPTED_OUT
    )


def test_only_the_paused_and_too_soon_refusals_carry_a_date():
    assert invite_refusal(replace(OK, role_open=False), NOW).until is None
    assert invite_refusal(replace(OK, already_invited_to_role=True), NOW).until is None


# --------------------------------------------------------------------------
# boundaries with an injected now


def test_exactly_at_the_end_of_a_pause_may_be_invited():
    facts = replace(OK, paused_until=NOW)
    assert invite_refusal(facts, NOW) is None
    assert invite_refusal(facts, NOW - timedelta(microseconds=1)) == Refusal(RefusalReason.PAUSED, NOW)


def test_a_pause_in_the_past_is_over():
    assert invite_refusal(replace(OK, paused_until=NOW - 30 * DAY), NOW) is None


@pytest.mark.parametrize("cadence", list(Cadence))
def test_exactly_at_the_allowed_date_is_allowed(cadence):
    last = NOW - cadence.interval
    facts = replace(OK, cadence=cadence, min_gap=timedelta(0), last_invited_at=last)
    assert invite_refusal(facts, NOW) is None
    just_before = NOW - timedelta(seconds=1)
    assert invite_refusal(facts, just_before) == Refusal(RefusalReason.TOO_SOON, NOW)


def test_min_gap_longer_than_cadence_decides_the_date():
    facts = replace(OK, cadence=Cadence.MONTHLY, min_gap=timedelta(days=60), last_invited_at=NOW - 40 * DAY)
    assert invite_refusal(facts, NOW) == Refusal(RefusalReason.TOO_SOON, NOW + 20 * DAY)
    assert invite_refusal(facts, NOW + 20 * DAY) is None


def test_cadence_longer_than_min_gap_decides_the_date():
    facts = replace(OK, cadence=Cadence.TWICE_A_YEAR, min_gap=timedelta(days=30), last_invited_at=NOW - 40 * DAY)
    assert invite_refusal(facts, NOW) == Refusal(RefusalReason.TOO_SOON, NOW + 142 * DAY)


def test_zero_min_gap_still_respects_cadence():
    facts = replace(OK, cadence=Cadence.MONTHLY, min_gap=timedelta(0), last_invited_at=NOW - DAY)
    assert invite_refusal(facts, NOW).reason is RefusalReason.TOO_SOON


# --------------------------------------------------------------------------
# order: with several failing checks, the first one is reported

_ORDERED_FAILURES: list[tuple[dict, RefusalReason]] = [
    ({"role_open": False}, RefusalReason.ROLE_NOT_OPEN),
    ({"consent": ConsentStatus.OPTED_OUT, "erased": True}, RefusalReason.OPTED_OUT),
    ({"paused_until": NOW + DAY}, RefusalReason.PAUSED),
    ({"consent": ConsentStatus.NOT_JOINED}, RefusalReason.NOT_OPTED_IN),
    ({"already_invited_to_role": True}, RefusalReason.ALREADY_INVITED),
    ({"last_invited_at": NOW - DAY}, RefusalReason.TOO_SOON),
]


@pytest.mark.parametrize("first", range(len(_ORDERED_FAILURES)))
def test_the_first_failing_check_wins(first):
    changes: dict = {}
    # apply every failure from `first` on, later ones first so earlier ones overwrite shared fields
    for failure, _ in reversed(_ORDERED_FAILURES[first:]):
        changes.update(failure)
    assert invite_refusal(replace(OK, **changes), NOW).reason is _ORDERED_FAILURES[first][1]


def test_spot_checks_of_the_order():
    # paused and never opted in: the pause (with its date) is the answer, as the spec orders it
    facts = replace(OK, paused_until=NOW + DAY, consent=ConsentStatus.NOT_JOINED)
    assert invite_refusal(facts, NOW) == Refusal(RefusalReason.PAUSED, NOW + DAY)
    # opted out and paused: opted out, since nothing can be done
    facts = replace(OK, paused_until=NOW + DAY, consent=ConsentStatus.OPTED_OUT)
    assert invite_refusal(facts, NOW) == Refusal(RefusalReason.OPTED_OUT)
    # closed role and erased person: the role is the answer (reveals nothing about the person)
    facts = replace(OK, role_open=False, erased=True)
    assert invite_refusal(facts, NOW) == Refusal(RefusalReason.ROLE_NOT_OPEN)


_facts = st.builds(
    InviteFacts,
    role_open=st.booleans(),
    consent=st.sampled_from(list(ConsentStatus)),
    erased=st.booleans(),
    paused_until=st.none() | st.sampled_from([NOW - DAY, NOW, NOW + DAY]),
    already_invited_to_role=st.booleans(),
    last_invited_at=st.none() | st.sampled_from([NOW - 200 * DAY, NOW - 91 * DAY, NOW - 10 * DAY, NOW]),
    cadence=st.sampled_from(list(Cadence)),
    min_gap=st.sampled_from([timedelta(0), timedelta(days=30), timedelta(days=120)]),
)


def _failing_checks(f: InviteFacts, now: datetime) -> list[RefusalReason]:
    """Every failing check, written independently of the implementation, in spec order."""
    failing = []
    if not f.role_open:
        failing.append(RefusalReason.ROLE_NOT_OPEN)
    if f.erased or f.consent == ConsentStatus.OPTED_OUT:
        failing.append(RefusalReason.OPTED_OUT)
    if f.paused_until is not None and now < f.paused_until:
        failing.append(RefusalReason.PAUSED)
    if f.consent != ConsentStatus.OPTED_IN:
        failing.append(RefusalReason.NOT_OPTED_IN)
    if f.already_invited_to_role:
        failing.append(RefusalReason.ALREADY_INVITED)
    if f.last_invited_at is not None and now - f.last_invited_at < max(f.cadence.interval, f.min_gap):
        failing.append(RefusalReason.TOO_SOON)
    return failing


@given(_facts)
def test_refusal_is_the_first_failing_check(facts):
    failing = _failing_checks(facts, NOW)
    refusal = invite_refusal(facts, NOW)
    if failing:
        assert refusal is not None and refusal.reason is failing[0]
        if refusal.reason in (RefusalReason.PAUSED, RefusalReason.TOO_SOON):
            assert refusal.until is not None and refusal.until > NOW
        else:
            assert refusal.until is None
    else:
        assert refusal is None


@given(_facts)
def test_nobody_who_is_not_opted_in_or_is_paused_may_be_invited(facts):
    if (
        facts.consent != ConsentStatus.OPTED_IN
        or facts.erased
        or (facts.paused_until is not None and facts.paused_until > NOW)
    ):
        assert invite_refusal(facts, NOW) is not None


def test_a_pause_that_ended_lets_the_invitation_through():
    assert invite_refusal(replace(OK, paused_until=NOW), NOW) is None

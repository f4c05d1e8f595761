"""Properties of the webhook rules (`bot.rules.webhooks`): what an endpoint's answer means, the
retry schedule (quick first retries, then Standard Webhooks' schedule, over a day in all, with
jitter), and event shapes that carry ids, roles and consented profiles only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.rules import webhooks
from bot.rules.statuses import Answer, Stage
from bot.rules.webhooks import (
    RETRY_DELAYS,
    SENDER_TICK,
    Attempted,
    EventType,
    Outcome,
    RoleShown,
    classify,
    next_attempt_at,
)

chances = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
ROLE = RoleShown(7, "Staff Engineer", "Acme")


@given(st.integers(min_value=200, max_value=299))
def test_any_2xx_is_delivered(status):
    assert classify(status) is Outcome.DELIVERED


@given(st.one_of(st.none(), st.integers(min_value=100, max_value=199), st.integers(min_value=300, max_value=599)))
def test_everything_else_but_410_is_retried(status):
    assert classify(status) is (Outcome.GONE if status == 410 else Outcome.RETRY)


@given(moments, chances)
def test_first_retry_within_5s_and_second_within_30s_after_it(now, chance):
    """Counted as the receiver sees them: the sender looks for due events every SENDER_TICK."""
    first = next_attempt_at(1, now, chance)
    assert first is not None and now < first <= now + timedelta(seconds=5) - SENDER_TICK
    second = next_attempt_at(2, first, chance)
    assert second is not None and first < second <= first + timedelta(seconds=30) - SENDER_TICK


@given(moments, st.lists(chances, min_size=len(RETRY_DELAYS), max_size=len(RETRY_DELAYS)))
def test_retries_last_more_than_a_day_then_stop(now, draws):
    at = now
    for attempts, chance in enumerate(draws, start=1):
        later = next_attempt_at(attempts, at, chance)
        assert later is not None and later > at
        assert later - at <= RETRY_DELAYS[attempts - 1]
        at = later
    assert at - now > timedelta(hours=24)
    assert next_attempt_at(len(RETRY_DELAYS) + 1, at, 0.5) is None


def test_the_schedule_is_the_standard_one_after_two_quick_retries():
    assert RETRY_DELAYS[2:] == tuple(timedelta(hours=h) for h in (5 / 60, 0.5, 2, 5, 10, 10))


@given(st.integers(min_value=1, max_value=len(RETRY_DELAYS)), moments)
def test_jitter_spreads_retries(attempts, now):
    assert next_attempt_at(attempts, now, 0.0) != next_attempt_at(attempts, now, 0.99)


@given(st.integers(min_value=1, max_value=20), st.one_of(st.none(), st.integers(300, 599)), moments, chances)
def test_after_failure_retries_gives_up_or_stops_on_410(attempts, status, now, chance):
    attempted, at = webhooks.after_failure(attempts, status, now, chance)
    if status == 410:
        assert (attempted, at) == (Attempted.GONE, None)
    elif attempts > len(RETRY_DELAYS):
        assert (attempted, at) == (Attempted.GAVE_UP, None)
    else:
        assert attempted is Attempted.RETRYING and at is not None and at > now


@given(st.sampled_from(list(Answer)))
def test_answers_map_to_the_four_the_spec_names(answer):
    event = webhooks.invitation_answered(3, ROLE, "U1", answer)
    if answer is Answer.EXPIRED:
        assert event is None
        return
    assert event is not None and event.type is EventType.INVITATION_ANSWERED
    assert event.data["answer"] in ("accepted", "declined", "snoozed", "details")
    assert event.data | {} == {
        "invitation_id": 3,
        "role_id": 7,
        "role_title": "Staff Engineer",
        "company": "Acme",
        "candidate": "U1",
        "answer": event.data["answer"],
    }


@given(st.sampled_from(list(Stage)))
def test_stage_changed_carries_every_stage(stage):
    event = webhooks.stage_changed(3, ROLE, "U1", stage)
    assert event.data["stage"] == stage.value and event.candidate == "U1"


def test_shapes_of_the_other_events():
    granted = webhooks.sharing_granted(ROLE, "U1", interests=("python",), note="hi")
    assert granted.data["profile"] == {"name": None, "title": None, "interests": ["python"], "note": "hi"}
    assert webhooks.sharing_withdrawn(ROLE, "U1").data == {
        "role_id": 7,
        "role_title": "Staff Engineer",
        "company": "Acme",
        "candidate": "U1",
    }
    assert webhooks.opted_out("U1").data == {"candidate": "U1"}
    assert webhooks.erased("U1").type is EventType.CANDIDATE_ERASED
    assert webhooks.ping().candidate is None


@given(moments, st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
def test_body_is_type_timestamp_and_data(at, data):
    parsed = json.loads(webhooks.body(EventType.PING, at, data))
    assert parsed == {"type": "ping", "timestamp": parsed["timestamp"], "data": data}
    assert datetime.fromisoformat(parsed["timestamp"].replace("Z", "+00:00")) == at.replace(microsecond=0)
    assert parsed["timestamp"].endswith("Z")

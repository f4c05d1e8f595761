"""Properties of what a failed try leads to (`bot.rules.failures`): one person's error never
stops the others, the bot's error stops everything, a transient error is retried a bounded
number of times with growing, capped delays, and a long 429 waits exactly as long as Slack asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.failures import (
    BOT_ERRORS,
    CLAIM_RUNNING_OUT,
    MAX_ATTEMPTS,
    MAX_RETRY_DELAY,
    PERSON_ERRORS,
    Failure,
    Outcome,
    classify_failure,
    plan_after_failure,
    retry_delay,
)

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
codes = st.one_of(st.sampled_from(sorted(PERSON_ERRORS | BOT_ERRORS)), st.text(min_size=1, max_size=30))
attempts = st.integers(min_value=1, max_value=50)
jitters = st.floats(min_value=0.8, max_value=1.2)
bases = st.timedeltas(min_value=timedelta(0), max_value=timedelta(minutes=5))


@given(st.sampled_from(sorted(PERSON_ERRORS)), attempts)
def test_an_error_about_one_person_marks_them_unreachable_and_is_never_retried(code, attempt):
    failure = classify_failure(code, retry_after=None)
    assert failure is Failure.PERSON
    assert plan_after_failure(failure, attempt=attempt, now=NOW).outcome is Outcome.UNREACHABLE


@given(st.sampled_from(sorted(BOT_ERRORS)), attempts)
def test_an_error_about_the_bot_stops_all_sending_and_looks_again_within_minutes(code, attempt):
    plan = plan_after_failure(classify_failure(code, retry_after=None), attempt=attempt, now=NOW)
    assert plan.outcome is Outcome.HALTED
    assert NOW < plan.retry_at <= NOW + timedelta(minutes=1)


@given(codes.filter(lambda code: code != CLAIM_RUNNING_OUT), st.floats(min_value=0, max_value=3600))
def test_a_long_429_waits_as_long_as_slack_asks_and_is_no_attempt(code, seconds):
    failure = classify_failure(code, retry_after=seconds)
    assert failure is Failure.RATE_LIMITED
    plan = plan_after_failure(failure, attempt=MAX_ATTEMPTS + 10, now=NOW, retry_after=seconds)
    assert plan.outcome is Outcome.RATE_LIMITED and plan.retry_at == NOW + timedelta(seconds=seconds)


@given(attempts)
def test_a_claim_running_out_is_tried_again_at_once(attempt):
    plan = plan_after_failure(classify_failure(CLAIM_RUNNING_OUT, retry_after=None), attempt=attempt, now=NOW)
    assert plan == plan_after_failure(Failure.CLAIM_RUNNING_OUT, attempt=1, now=NOW)
    assert plan.outcome is Outcome.RETRY and plan.retry_at == NOW


@given(
    st.text(min_size=1, max_size=30).filter(lambda c: c not in PERSON_ERRORS | BOT_ERRORS | {CLAIM_RUNNING_OUT}),
    attempts,
    bases,
    jitters,
)
def test_anything_else_is_retried_until_the_fifth_attempt_then_recorded_as_failed(code, attempt, base, jitter):
    failure = classify_failure(code, retry_after=None)
    assert failure is Failure.TRANSIENT
    plan = plan_after_failure(failure, attempt=attempt, now=NOW, retry_base=base, jitter=jitter)
    if attempt >= MAX_ATTEMPTS:
        assert plan.outcome is Outcome.FAILED and plan.retry_at is None
    else:
        assert plan.outcome is Outcome.RETRY
        assert NOW <= plan.retry_at <= NOW + MAX_RETRY_DELAY * 1.2


@given(st.integers(min_value=1, max_value=40), bases)
def test_retry_delays_grow_with_each_attempt_and_stop_growing_at_ten_minutes(attempt, base):
    now, later = retry_delay(attempt, base, 1.0), retry_delay(attempt + 1, base, 1.0)
    assert now <= later <= MAX_RETRY_DELAY
    if base > timedelta(0) and later < MAX_RETRY_DELAY:
        assert later == 2 * now


def test_the_first_retries_follow_the_base_delay():
    base = timedelta(seconds=5)
    assert [retry_delay(n, base, 1.0).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(30, base, 1.0) == MAX_RETRY_DELAY

"""The daily job's cutoffs (bot/rules/timing.py): its query narrows every candidate to those at or
before them, so each must hold exactly the people the rule itself finds due, no fewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.timing import consent_renewal_due, daily_cutoffs, renewal_lapsed, retention_due

NOW = datetime(2028, 1, 11, 12, 0, tzinfo=UTC)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
periods = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2000))


@given(moments, periods)
def test_a_consent_is_due_for_renewal_exactly_when_given_at_or_before_the_renewal_cutoff(given_at, period):
    cutoffs = daily_cutoffs(NOW, period, timedelta(days=730))
    assert consent_renewal_due(given_at, None, period, NOW) == (given_at <= cutoffs.renewal)


@given(moments, periods)
def test_a_renewal_question_lapses_exactly_when_asked_at_or_before_the_lapse_cutoff(asked_at, grace):
    cutoffs = daily_cutoffs(NOW, timedelta(days=365), timedelta(days=730), grace=grace)
    assert renewal_lapsed(asked_at, NOW, grace=grace) == (asked_at <= cutoffs.lapse)
    assert daily_cutoffs(NOW, timedelta(days=365), timedelta(days=730)).lapse == NOW - timedelta(days=30)


@given(moments, periods)
def test_retention_is_due_exactly_when_the_last_contact_is_at_or_before_the_retention_cutoff(last, retention):
    cutoffs = daily_cutoffs(NOW, timedelta(days=365), retention)
    assert retention_due(last, retention, NOW) == (last <= cutoffs.retention)


def test_the_cutoffs_are_in_utc_whatever_zone_now_is_given_in():
    from zoneinfo import ZoneInfo

    tokyo_now = NOW.astimezone(ZoneInfo("Asia/Tokyo"))
    assert daily_cutoffs(tokyo_now, timedelta(days=365), timedelta(days=730)).renewal.tzinfo == UTC

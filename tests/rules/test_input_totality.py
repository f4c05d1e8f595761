"""Bad input gets a kind message, never an exception: the command grammar, pause lengths and
dates, durations, tags and roles are total over any text (hypothesis fuzz)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.commands import parse_command
from bot.rules.grammar import MAX_DURATION, parse_duration, parse_send_window
from bot.rules.preferences import MAX_PAUSE, PauseInputError, parse_pause
from bot.rules.recruiter_input import InputError, parse_inline_role, parse_role_ref, parse_tags, parse_user_ref
from bot.rules.recruiting import parse_stage

ZONES = [
    ZoneInfo(name)
    for name in ("Pacific/Kiritimati", "Asia/Tokyo", "UTC", "America/Los_Angeles", "Pacific/Pago_Pago", "Etc/GMT+12")
]
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
# Text shaped like what people type: digits, units, dates, dashes, Slack markup and anything else.
typed = st.one_of(
    st.text(),
    st.text(alphabet="0123456789-dwmsh: #<>@|&", max_size=30),
    st.builds(lambda d: d.isoformat(), st.dates(min_value=date.min, max_value=date.max)),
    st.builds(
        lambda n, u: f"{n}{u}",
        st.integers(min_value=0, max_value=10**30),
        st.sampled_from(["d", "w", "m", "s", "h", " d", "months"]),
    ),
)


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "0001-01-02", "9999-12-30"])
def test_pause_dates_at_the_ends_of_the_calendar_are_refused_kindly(zone, text):
    with pytest.raises(PauseInputError) as refused:
        parse_pause(text, now=NOW, zone=zone)
    assert "not in the future" in str(refused.value) or "up to 730 days" in str(refused.value)


@settings(max_examples=400)
@given(
    typed,
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
)
def test_parse_pause_is_total(text, zone, now):
    """Either a moment in the future within 730 days, or a PauseInputError saying what works."""
    try:
        until = parse_pause(text, now=now, zone=zone)
    except PauseInputError as error:
        assert str(error)
    else:
        assert now < until <= now + MAX_PAUSE


@settings(max_examples=400)
@given(typed)
def test_parse_duration_is_total_and_bounded(text):
    try:
        value = parse_duration(text)
    except ValueError as error:
        assert "duration" in str(error)
    else:
        assert timedelta(0) <= value <= MAX_DURATION
        assert datetime(9000, 1, 1, tzinfo=UTC) + value >= NOW  # never overflows a real moment


@settings(max_examples=300)
@given(typed)
def test_the_command_grammar_never_raises(text):
    parsed = parse_command(text)
    assert parsed.name == parsed.name.casefold()
    parse_user_ref(text)
    role = parse_role_ref(text)
    assert role is None or 1 <= role <= 2**31 - 1
    parse_stage(text)
    for parse, errors in ((parse_tags, InputError), (parse_inline_role, InputError), (parse_send_window, ValueError)):
        try:
            parse(text)
        except errors as error:
            assert str(error)

"""Timing rules (bot/rules/timing.py, bot/rules/quiet.py): send windows across zones and DST, quiet time, invitation steps.

Time is always injected as ``now``; nothing here sleeps or patches the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.grammar import SendWindow, parse_send_window
from bot.rules.quiet import (
    AWAY_EMOJIS,
    AWAY_RECHECK,
    AWAY_WORDS,
    Dnd,
    dnd_active,
    dnd_ends_at,
    quiet_until,
    status_says_away,
)
from bot.rules.timing import (
    consent_renewal_due,
    next_window_opening,
    renewal_lapsed,
    resolve_zone,
    retention_due,
    should_ask_still_welcome,
    window_open,
)

SEC = timedelta(seconds=1)
TOKYO = ZoneInfo("Asia/Tokyo")
LA = ZoneInfo("America/Los_Angeles")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = parse_send_window("Mon-Fri 10:00-17:00")


def U(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ts(moment: datetime) -> float:
    return moment.timestamp()


# --------------------------------------------------------------------------
# resolve_zone


def test_override_wins_over_slack_zone():
    assert resolve_zone("America/Los_Angeles", "Asia/Tokyo") == TOKYO


def test_slack_zone_used_without_override():
    assert resolve_zone("America/Los_Angeles", None) == LA
    assert resolve_zone("America/Los_Angeles", "") == LA
    assert resolve_zone(" Asia/Kolkata ", "   ") == KOLKATA


def test_unknown_override_falls_back_to_slack_zone():
    assert resolve_zone("Asia/Tokyo", "Mars/Olympus_Mons") == TOKYO


@pytest.mark.parametrize(
    "name", [None, "", "  ", "Nope/Zone", "../etc/passwd", "/etc/passwd", "America", "zone.tab", "a" * 300, "x\x00y"]
)
def test_unknown_names_fall_back_to_utc_without_raising(name):
    zone = resolve_zone(name, name)
    assert zone.key == "UTC"


# --------------------------------------------------------------------------
# window_open across zones (2026-01-05 is a Monday; no DST anywhere involved in January
# except the southern hemisphere, which these zones are not in)


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # Tokyo UTC+9: Mon 10:00 JST = Mon 01:00 UTC.
        (TOKYO, U(2026, 1, 5, 1, 0), True),
        (TOKYO, U(2026, 1, 5, 0, 59, 59), False),
        (TOKYO, U(2026, 1, 5, 7, 59, 59), True),
        (TOKYO, U(2026, 1, 5, 8, 0), False),  # 17:00 JST: end is exclusive
        (TOKYO, U(2026, 1, 4, 23, 0), False),  # Sunday in UTC, Monday 08:00 in Tokyo
        # Los Angeles UTC-8: Friday 16:59 PST is Saturday 00:59 UTC, still Friday there.
        (LA, U(2026, 1, 10, 0, 59), True),
        (LA, U(2026, 1, 10, 1, 0), False),
        (LA, U(2026, 1, 5, 12, 0), False),  # Monday noon UTC = 04:00 PST
        # Kiritimati UTC+14: Mon 10:00 there is Sunday 20:00 UTC.
        (KIRITIMATI, U(2026, 1, 4, 20, 0), True),
        (KIRITIMATI, U(2026, 1, 4, 19, 59), False),
        (KIRITIMATI, U(2026, 1, 9, 3, 0), False),  # Fri 03:00 UTC = Fri 17:00 there
        # Kolkata UTC+5:30: Mon 10:00 IST = 04:30 UTC.
        (KOLKATA, U(2026, 1, 5, 4, 30), True),
        (KOLKATA, U(2026, 1, 5, 4, 29, 59), False),
        (KOLKATA, U(2026, 1, 5, 11, 29), True),
        (KOLKATA, U(2026, 1, 5, 11, 30), False),
    ],
)
def test_window_open_uses_the_candidates_wall_clock(zone, now, expected):
    assert window_open(OFFICE, zone, now) is expected


def test_window_open_accepts_any_aware_now():
    berlin_now = datetime(2026, 1, 5, 10, 0, tzinfo=BERLIN)  # = 09:00 UTC = 18:00 JST
    assert window_open(OFFICE, TOKYO, berlin_now) is False
    assert window_open(OFFICE, BERLIN, berlin_now) is True


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        window_open(OFFICE, TOKYO, datetime(2026, 1, 5, 10, 0))
    with pytest.raises(ValueError, match="aware"):
        next_window_opening(OFFICE, TOKYO, datetime(2026, 1, 5, 10, 0))


# --------------------------------------------------------------------------
# next_window_opening: zones, boundaries


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        (TOKYO, U(2026, 1, 9, 8, 0), U(2026, 1, 12, 1, 0)),  # Fri 17:00 JST -> Mon 10:00 JST
        (TOKYO, U(2026, 1, 4, 23, 0), U(2026, 1, 5, 1, 0)),
        (LA, U(2026, 1, 10, 1, 0), U(2026, 1, 12, 18, 0)),  # Fri 17:00 PST -> Mon 10:00 PST
        (KIRITIMATI, U(2026, 1, 4, 12, 0), U(2026, 1, 4, 20, 0)),
        (KOLKATA, U(2026, 1, 5, 4, 29), U(2026, 1, 5, 4, 30)),
        (KOLKATA, U(2026, 1, 5, 11, 30), U(2026, 1, 6, 4, 30)),
    ],
)
def test_next_opening_across_zones(zone, now, expected):
    assert next_window_opening(OFFICE, zone, now) == expected


def test_next_opening_is_now_when_open_start_inclusive():
    start = U(2026, 1, 5, 1, 0)  # Mon 10:00 JST
    assert next_window_opening(OFFICE, TOKYO, start) == start
    inside = U(2026, 1, 5, 3, 17, 42, 123456)
    assert next_window_opening(OFFICE, TOKYO, inside) == inside


def test_next_opening_just_before_start_is_the_start():
    start = U(2026, 1, 5, 1, 0)
    assert next_window_opening(OFFICE, TOKYO, start - timedelta(microseconds=1)) == start


def test_next_opening_at_end_is_the_next_day_end_exclusive():
    end = U(2026, 1, 5, 8, 0)  # Mon 17:00 JST
    assert next_window_opening(OFFICE, TOKYO, end) == U(2026, 1, 6, 1, 0)
    assert next_window_opening(OFFICE, TOKYO, end - SEC) == end - SEC


def test_next_opening_returns_utc():
    result = next_window_opening(OFFICE, TOKYO, datetime(2026, 1, 9, 17, 0, tzinfo=TOKYO))
    assert result.utcoffset() == timedelta(0)
    assert result == U(2026, 1, 12, 1, 0)


# --------------------------------------------------------------------------
# overnight windows and 00:00-24:00


def test_overnight_window_belongs_to_the_day_it_starts():
    window = parse_send_window("Fri 22:00-02:00")
    assert window_open(window, TOKYO, U(2026, 1, 9, 13, 0))  # Fri 22:00 JST
    assert window_open(window, TOKYO, U(2026, 1, 9, 16, 59))  # Sat 01:59 JST
    assert not window_open(window, TOKYO, U(2026, 1, 9, 17, 0))  # Sat 02:00 JST
    assert not window_open(window, TOKYO, U(2026, 1, 8, 16, 0))  # Fri 01:00 JST: Thursday's night
    # From Saturday 02:00 JST the next opening is the following Friday 22:00 JST.
    assert next_window_opening(window, TOKYO, U(2026, 1, 9, 17, 0)) == U(2026, 1, 16, 13, 0)


def test_overnight_window_open_across_midnight_is_now():
    window = parse_send_window("Mon-Sun 22:00-06:00")
    now = U(2026, 1, 6, 9, 0)  # 01:00 PST Tuesday (Jan 6 09:00 UTC) -> inside Monday's night
    assert next_window_opening(window, LA, now) == now
    assert next_window_opening(window, LA, U(2026, 1, 6, 14, 0)) == U(2026, 1, 7, 6, 0)


def test_overnight_window_across_spring_forward_is_an_hour_shorter():
    window = parse_send_window("Sat 22:00-06:00")  # New York, night of 7-8 March 2026
    assert next_window_opening(window, NEW_YORK, U(2026, 3, 7, 12, 0)) == U(2026, 3, 8, 3, 0)
    assert window_open(window, NEW_YORK, U(2026, 3, 8, 9, 59))  # 05:59 EDT
    assert not window_open(window, NEW_YORK, U(2026, 3, 8, 10, 0))  # 06:00 EDT


def test_whole_day_window_is_always_open():
    window = parse_send_window("Mon-Sun 00:00-24:00")
    for now in (U(2026, 1, 5, 0, 0), U(2026, 3, 8, 7, 0), U(2026, 11, 1, 5, 59, 59), U(2026, 6, 30, 23, 59)):
        assert window_open(window, NEW_YORK, now)
        assert next_window_opening(window, NEW_YORK, now) == now


def test_single_whole_day_window_edges():
    window = parse_send_window("Sat 00:00-24:00")
    sat_start = U(2026, 1, 10, 8, 0)  # Sat 00:00 PST
    assert next_window_opening(window, LA, sat_start - SEC) == sat_start
    assert window_open(window, LA, sat_start + timedelta(hours=24) - SEC)
    assert not window_open(window, LA, sat_start + timedelta(hours=24))
    assert next_window_opening(window, LA, sat_start + timedelta(hours=24)) == U(2026, 1, 17, 8, 0)


# --------------------------------------------------------------------------
# DST: New York 2026-03-08 / 2026-11-01, Berlin 2026-03-29 / 2026-10-25 (all Sundays)


def test_spring_forward_start_in_the_gap_opens_right_after_the_gap():
    window = parse_send_window("Sun 02:30-05:00")
    # 02:00 EST -> 03:00 EDT at 07:00 UTC; 02:30 never happens that day.
    result = next_window_opening(window, NEW_YORK, U(2026, 3, 8, 5, 0))
    assert result == U(2026, 3, 8, 7, 0)
    assert result.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"
    assert not window_open(window, NEW_YORK, result - SEC)


def test_spring_forward_office_hours_move_an_hour_earlier_in_utc():
    assert next_window_opening(OFFICE, NEW_YORK, U(2026, 3, 6, 22, 0)) == U(2026, 3, 9, 14, 0)
    assert next_window_opening(OFFICE, NEW_YORK, U(2026, 3, 2, 0, 0)) == U(2026, 3, 2, 15, 0)


def test_fall_back_start_in_the_repeated_hour_uses_the_first_occurrence():
    window = parse_send_window("Sun 01:30-03:00")
    result = next_window_opening(window, NEW_YORK, U(2026, 11, 1, 4, 0))
    assert result == U(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST (06:30 UTC)
    assert result.astimezone(NEW_YORK).fold == 0


def test_fall_back_window_closed_in_the_repeated_hour_reopens_when_the_hour_repeats():
    # 00:00-01:30: closed at 01:45 EDT; at 06:00 UTC clocks go back to 01:00 EST, inside again.
    window = parse_send_window("Sun 00:00-01:30")
    assert not window_open(window, NEW_YORK, U(2026, 11, 1, 5, 45))
    assert next_window_opening(window, NEW_YORK, U(2026, 11, 1, 5, 45)) == U(2026, 11, 1, 6, 0)


def test_fall_back_short_window_inside_the_repeated_hour_opens_on_both_passes():
    # 01:30-01:45 happens twice on 1 Nov: 05:30-05:45 UTC (EDT) and 06:30-06:45 UTC (EST).
    window = parse_send_window("Sun 01:30-01:45")
    assert next_window_opening(window, NEW_YORK, U(2026, 11, 1, 5, 50)) == U(2026, 11, 1, 6, 30)
    assert not window_open(window, NEW_YORK, U(2026, 11, 1, 6, 0))  # 01:00 EST


def test_fall_back_office_hours_move_an_hour_later_in_utc():
    assert next_window_opening(OFFICE, NEW_YORK, U(2026, 10, 30, 21, 0)) == U(2026, 11, 2, 15, 0)


def test_berlin_spring_forward_gap():
    window = parse_send_window("Sun 02:30-04:00")
    # 02:00 CET -> 03:00 CEST at 01:00 UTC.
    assert next_window_opening(window, BERLIN, U(2026, 3, 28, 23, 0)) == U(2026, 3, 29, 1, 0)


def test_berlin_window_entirely_inside_the_gap_waits_two_weeks():
    # A weekly window that the spring-forward gap swallows: the next opening is 14 days away,
    # which is why the search looks further than 8 days.
    window = parse_send_window("Sun 02:00-02:45")
    after_last_one = U(2026, 3, 22, 1, 45)  # Sun 22 March 02:45 CET
    assert next_window_opening(window, BERLIN, after_last_one) == U(2026, 4, 5, 0, 0)  # 02:00 CEST


def test_berlin_fall_back_first_occurrence():
    window = parse_send_window("Sun 02:30-04:00")
    # 03:00 CEST -> 02:00 CET at 01:00 UTC; 02:30 happens twice; the first is 00:30 UTC.
    assert next_window_opening(window, BERLIN, U(2026, 10, 24, 22, 0)) == U(2026, 10, 25, 0, 30)


def test_berlin_office_hours_across_both_changes():
    assert next_window_opening(OFFICE, BERLIN, U(2026, 3, 27, 16, 0)) == U(2026, 3, 30, 8, 0)
    assert next_window_opening(OFFICE, BERLIN, U(2026, 10, 23, 15, 0)) == U(2026, 10, 26, 9, 0)


def test_window_that_never_opens_is_a_value_error():
    class NeverOpen:
        start = 600

        def contains(self, local):
            return False

        def __str__(self):
            return "never"

    with pytest.raises(ValueError, match="does not open"):
        next_window_opening(NeverOpen(), TOKYO, U(2026, 1, 5, 0, 0))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# next_window_opening: properties

ZONES = [
    "UTC",
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Pacific/Kiritimati",
    "Asia/Kolkata",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Kathmandu",
    "America/Santiago",
]


@st.composite
def send_windows(draw):
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(1, 1440).filter(lambda e: e != start))
    return SendWindow(days=days, start=start, end=end)


# Bias towards the 2026 DST days so the interesting cases are hit often.
DST_DAYS = [U(2026, 3, 8), U(2026, 11, 1), U(2026, 3, 29), U(2026, 10, 25), U(2026, 4, 5), U(2026, 9, 27)]
instants = st.one_of(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.builds(
        lambda day, seconds: day + timedelta(seconds=seconds),
        st.sampled_from(DST_DAYS),
        st.integers(-2 * 86400, 2 * 86400),
    ),
)


@settings(max_examples=300, deadline=None)
@given(window=send_windows(), zone_name=st.sampled_from(ZONES), now=instants)
def test_next_opening_is_the_earliest_open_instant(window, zone_name, now):
    zone = ZoneInfo(zone_name)
    result = next_window_opening(window, zone, now)
    assert result >= now
    assert window_open(window, zone, result)
    if result == now:
        return
    # Just before the result the window is shut (the opening is an edge, not a midpoint).
    assert not window_open(window, zone, result - timedelta(microseconds=1))
    # Openness only changes at whole UTC minutes (zone offsets and DST changes are whole
    # minutes), so checking each whole minute from now to the result is exhaustive; beyond
    # two days check a stride plus the last day.
    first = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    total = int((result - first) / timedelta(minutes=1))
    steps = range(total) if total <= 2 * 1440 else sorted(set(range(0, total, 37)) | set(range(total - 1440, total)))
    assert not window_open(window, zone, now)
    for k in steps:
        moment = first + timedelta(minutes=k)
        if moment < result:
            assert not window_open(window, zone, moment), moment


@settings(max_examples=200, deadline=None)
@given(window=send_windows(), zone_name=st.sampled_from(ZONES), now=instants)
def test_next_opening_is_idempotent(window, zone_name, now):
    zone = ZoneInfo(zone_name)
    result = next_window_opening(window, zone, now)
    assert next_window_opening(window, zone, result) == result


# --------------------------------------------------------------------------
# Do Not Disturb

NOW = U(2026, 5, 12, 14, 0)


@pytest.mark.parametrize("kind", [int, float, str])
def test_dnd_from_api_accepts_numbers_and_strings(kind):
    data = {
        "ok": True,
        "dnd_enabled": True,
        "next_dnd_start_ts": kind(1450416600),
        "next_dnd_end_ts": kind(1450452600),
        "snooze_enabled": True,
        "snooze_endtime": kind(1450416600),
        "snooze_remaining": 1196,
    }
    dnd = Dnd.from_api(data)
    assert dnd == Dnd(True, 1450416600.0, 1450452600.0, True, 1450416600.0)


def test_dnd_from_api_keeps_fractions_from_strings():
    assert Dnd.from_api({"next_dnd_start_ts": "1450416600.5"}).next_dnd_start_ts == 1450416600.5


@pytest.mark.parametrize(
    "data",
    [{}, None, {"dnd_enabled": None}, {"next_dnd_start_ts": "soon", "next_dnd_end_ts": [], "snooze_endtime": "nan"}],
)
def test_dnd_from_api_tolerates_missing_and_junk(data):
    assert Dnd.from_api(data) == Dnd()


def test_dnd_from_api_zero_means_no_such_moment():
    dnd = Dnd.from_api({"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1, "snooze_endtime": 0})
    assert dnd.snooze_endtime is None
    assert not dnd_active(dnd, NOW)


def schedule(start: datetime, end: datetime, **kw) -> Dnd:
    return Dnd(dnd_enabled=True, next_dnd_start_ts=ts(start), next_dnd_end_ts=ts(end), **kw)


def test_dnd_schedule_boundaries_start_inclusive_end_exclusive():
    dnd = schedule(NOW, NOW + timedelta(hours=8))
    assert not dnd_active(dnd, NOW - SEC)
    assert dnd_active(dnd, NOW)
    assert dnd_active(dnd, NOW + timedelta(hours=8) - SEC)
    assert not dnd_active(dnd, NOW + timedelta(hours=8))
    assert dnd_ends_at(dnd, NOW + timedelta(hours=1)) == NOW + timedelta(hours=8)
    assert dnd_ends_at(dnd, NOW - SEC) is None
    assert dnd_ends_at(dnd, NOW + timedelta(hours=8)) is None


def test_dnd_schedule_in_the_future_is_not_active():
    dnd = schedule(NOW + timedelta(hours=6), NOW + timedelta(hours=14))
    assert not dnd_active(dnd, NOW)
    assert dnd_ends_at(dnd, NOW) is None


def test_dnd_interval_decides_even_when_dnd_enabled_is_false():
    # dnd_enabled only says "a schedule exists"; the spec defines active by the interval.
    dnd = Dnd(dnd_enabled=False, next_dnd_start_ts=ts(NOW - SEC), next_dnd_end_ts=ts(NOW + SEC))
    assert dnd_active(dnd, NOW)


def test_snooze_with_future_end_is_active_until_it_ends():
    dnd = Dnd(snooze_enabled=True, snooze_endtime=ts(NOW + timedelta(minutes=20)))
    assert dnd_active(dnd, NOW)
    assert dnd_ends_at(dnd, NOW) == NOW + timedelta(minutes=20)
    assert not dnd_active(dnd, NOW + timedelta(minutes=20))


def test_snooze_with_past_end_is_not_active():
    dnd = Dnd(snooze_enabled=True, snooze_endtime=ts(NOW - SEC))
    assert not dnd_active(dnd, NOW)
    assert dnd_ends_at(dnd, NOW) is None


def test_snooze_flag_off_ignores_end_time():
    assert not dnd_active(Dnd(snooze_enabled=False, snooze_endtime=ts(NOW + timedelta(hours=1))), NOW)


def test_snooze_without_end_is_active_and_rechecked_later():
    dnd = Dnd(snooze_enabled=True)
    assert dnd_active(dnd, NOW)
    assert dnd_ends_at(dnd, NOW) == NOW + AWAY_RECHECK


def test_dnd_ends_at_the_later_of_schedule_and_snooze():
    later_snooze = schedule(
        NOW - SEC, NOW + timedelta(hours=1), snooze_enabled=True, snooze_endtime=ts(NOW + timedelta(hours=3))
    )
    assert dnd_ends_at(later_snooze, NOW) == NOW + timedelta(hours=3)
    later_schedule = schedule(
        NOW - SEC, NOW + timedelta(hours=5), snooze_enabled=True, snooze_endtime=ts(NOW + timedelta(hours=3))
    )
    assert dnd_ends_at(later_schedule, NOW) == NOW + timedelta(hours=5)
    # A schedule that has not started does not apply: only the snooze does.
    future_schedule = schedule(
        NOW + timedelta(hours=4),
        NOW + timedelta(hours=9),
        snooze_enabled=True,
        snooze_endtime=ts(NOW + timedelta(hours=1)),
    )
    assert dnd_ends_at(future_schedule, NOW) == NOW + timedelta(hours=1)


# --------------------------------------------------------------------------
# profile status


@pytest.mark.parametrize(
    "text",
    [
        "Vacation",
        "On vacation until the 14th",
        "vacationing",
        "Holidaying in Rome",
        "Public holiday",
        "Out of office",
        "out-of-office",
        "Out of the office today",
        "OOO until Monday",
        "ooo",
        "Away",
        "away till Tuesday",
        "Out sick",
        "Off sick",
        "sick",
        "On leave",
        "Parental leave",
        "maternity leave",
        "Paternity leave",
        "Annual leave",
        "medical leave",
        "PTO",
        "pto today",
        "Time off",
        "Day off!",
        "Sabbatical",
        "Travelling",
        "traveling to Lisbon",
        "On honeymoon",
        ":palm_tree: back on the 3rd",
    ],
)
def test_away_texts(text):
    assert status_says_away(text, None, None, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "Sickly sweet",
        "Moving office",
        "Working remotely",
        "In a meeting",
        "Commuting",
        "Focus time",
        "Leave me a note",
        "Takeaway for lunch",
        "Holidayinn fan",
        "Laptop broken",
        "Sicko mode",
        "Bookings open",
        "",
        None,
    ],
)
def test_not_away_texts(text):
    assert not status_says_away(text, None, None, NOW)


@pytest.mark.parametrize("emoji", [*list(AWAY_EMOJIS), ":PALM_TREE:", ":airplane::skin-tone-3:", "palm_tree"])
def test_away_emojis(emoji):
    assert status_says_away("", emoji, None, NOW)


@pytest.mark.parametrize("emoji", [":house_with_garden:", ":spiral_calendar_pad:", ":bus:", ":coffee:", "", None])
def test_not_away_emojis(emoji):
    assert not status_says_away("Working", emoji, None, NOW)


def test_away_lists_make_the_documented_choices():
    assert ":house_with_garden:" not in AWAY_EMOJIS  # working remotely is not away
    assert "leave" not in AWAY_WORDS  # only "on leave" and named kinds of leave
    assert {"vacation", "out of office", "ooo", "sick", "pto", "holidaying"} <= set(AWAY_WORDS)


def test_expired_status_is_not_away():
    assert not status_says_away("Vacation", ":palm_tree:", ts(NOW - SEC), NOW)
    assert not status_says_away("Vacation", ":palm_tree:", int(ts(NOW)), NOW)  # expires at now


def test_future_expiry_is_away():
    assert status_says_away("Vacation", None, int(ts(NOW)) + 1, NOW)
    assert status_says_away(None, ":palm_tree:", str(int(ts(NOW)) + 3600), NOW)


@pytest.mark.parametrize("expiration", [0, None, 0.0])
def test_no_expiry_is_away(expiration):
    assert status_says_away("OOO", None, expiration, NOW)


# --------------------------------------------------------------------------
# quiet_until

DND_3H = schedule(NOW - timedelta(hours=1), NOW + timedelta(hours=3))


def test_nothing_quiet_means_send_now():
    assert quiet_until(dnd=Dnd(), away=False, status_expiration=None, now=NOW) is None
    # An expiration alone (status not away) changes nothing.
    assert quiet_until(dnd=Dnd(), away=False, status_expiration=ts(NOW + timedelta(days=2)), now=NOW) is None


def test_quiet_until_dnd_end():
    assert quiet_until(dnd=DND_3H, away=False, status_expiration=None, now=NOW) == NOW + timedelta(hours=3)


def test_quiet_until_status_expiration():
    exp = NOW + timedelta(days=2)
    assert quiet_until(dnd=Dnd(), away=True, status_expiration=ts(exp), now=NOW) == exp


@pytest.mark.parametrize("expiration", [None, 0])
def test_away_without_expiration_rechecks_in_an_hour(expiration):
    assert quiet_until(dnd=Dnd(), away=True, status_expiration=expiration, now=NOW) == NOW + timedelta(hours=1)


def test_away_with_passed_expiration_rechecks_in_an_hour():
    assert quiet_until(dnd=Dnd(), away=True, status_expiration=ts(NOW - SEC), now=NOW) == NOW + timedelta(hours=1)


def test_both_quiet_reasons_take_the_later():
    exp_later = NOW + timedelta(days=2)
    assert quiet_until(dnd=DND_3H, away=True, status_expiration=ts(exp_later), now=NOW) == exp_later
    exp_sooner = NOW + timedelta(hours=2)
    assert quiet_until(dnd=DND_3H, away=True, status_expiration=ts(exp_sooner), now=NOW) == NOW + timedelta(hours=3)
    assert quiet_until(dnd=DND_3H, away=True, status_expiration=None, now=NOW) == NOW + timedelta(hours=3)
    short_dnd = schedule(NOW - SEC, NOW + timedelta(minutes=10))
    assert quiet_until(dnd=short_dnd, away=True, status_expiration=None, now=NOW) == NOW + timedelta(hours=1)


def test_inactive_dnd_with_future_schedule_does_not_quieten():
    later = schedule(NOW + timedelta(hours=1), NOW + timedelta(hours=9))
    assert quiet_until(dnd=later, away=False, status_expiration=None, now=NOW) is None


# --------------------------------------------------------------------------
# two expiries in a row


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (["expired", "expired"], True),
        (["expired", "expired", "accepted"], True),
        (["expired", "expired", "expired"], True),
        (["EXPIRED", " Expired "], True),
        (["expired"], False),
        ([], False),
        (["expired", "accepted", "expired"], False),
        (["accepted", "expired", "expired"], False),  # a newer answer broke the streak
        (["declined", "expired"], False),
        (["snoozed", "expired", "expired"], False),
    ],
)
def test_two_expiries_in_a_row(outcomes, expected):
    assert should_ask_still_welcome(outcomes) is expected


# --------------------------------------------------------------------------
# consent renewal, lapse, retention

YEAR = timedelta(days=365)
OPTED_IN = U(2025, 1, 15, 9, 0)


def test_consent_renewal_counts_from_opt_in():
    assert not consent_renewal_due(OPTED_IN, None, YEAR, OPTED_IN + YEAR - SEC)
    assert consent_renewal_due(OPTED_IN, None, YEAR, OPTED_IN + YEAR)


def test_consent_renewal_counts_from_the_later_renewal():
    renewed = OPTED_IN + YEAR + timedelta(days=3)
    assert not consent_renewal_due(OPTED_IN, renewed, YEAR, renewed + YEAR - SEC)
    assert consent_renewal_due(OPTED_IN, renewed, YEAR, renewed + YEAR)


def test_consent_renewal_counts_from_a_later_opt_in():
    # Renewed, then opted out and in again: the fresh opt-in is what counts.
    renewed = OPTED_IN + timedelta(days=10)
    rejoined = OPTED_IN + timedelta(days=200)
    assert not consent_renewal_due(rejoined, renewed, YEAR, renewed + YEAR)
    assert consent_renewal_due(rejoined, renewed, YEAR, rejoined + YEAR)


def test_renewal_lapses_after_30_days():
    asked = U(2026, 1, 31, 12, 0)
    assert not renewal_lapsed(asked, asked + timedelta(days=30) - SEC)
    assert renewal_lapsed(asked, asked + timedelta(days=30))
    assert not renewal_lapsed(asked, asked + timedelta(days=6), grace=timedelta(days=7))
    assert renewal_lapsed(asked, asked + timedelta(days=7), grace=timedelta(days=7))


def test_retention_boundary():
    last = U(2024, 2, 29, 8, 0)
    retention = timedelta(days=730)
    assert not retention_due(last, retention, last + retention - SEC)
    assert retention_due(last, retention, last + retention)


def test_naive_now_refused_by_date_rules():
    with pytest.raises(ValueError):
        retention_due(U(2024, 1, 1), YEAR, datetime(2026, 1, 1))


def test_expiries_before_a_keep_or_a_lapse_pause_no_longer_count():
    reset = datetime(2027, 5, 1, tzinfo=UTC)
    before, after, later = reset - timedelta(days=3), reset + timedelta(days=3), reset + timedelta(days=40)
    # Two expiries, both before the reset: no streak any more.
    assert (
        should_ask_still_welcome([("expired", before), ("expired", before - timedelta(days=90))], since=reset) is False
    )
    # One after, one before: still only one that counts.
    assert should_ask_still_welcome([("expired", after), ("expired", before)], since=reset) is False
    # Two after the reset: a new streak.
    assert should_ask_still_welcome([("expired", later), ("expired", after)], since=reset) is True
    # Without a reset the old rule holds, with pairs too.
    assert should_ask_still_welcome([("expired", after), ("expired", before)]) is True

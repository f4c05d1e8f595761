"""Tests for bot.config: the settings contract of the spec's "Runtime and configuration"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.grammar import (
    SendWindow,
    format_duration,
    parse_duration,
    parse_send_window,
)
from bot.settings import SETTINGS_DOC, ConfigError, load_settings

BOT_TOKEN = "xoxb-1111-2222-SECRETBOTTOKEN"
SIGNING_SECRET = "signing-secret-value-0123456789"
APP_TOKEN = "xapp-1-A111-333-SECRETAPPTOKEN"
NUDGE_SECRET = "nudge-secret-value-abcdefgh"
DB_PASSWORD = "dbpassw0rdSECRET"

BASE = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}

# The spec's table, in order; combined rows split into one variable each.
SPEC_ORDER = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "PORT",
    "NUDGE_COMMAND",
    "NUDGE_RECRUITERS",
    "NUDGE_ADMINS",
    "NUDGE_COMMUNITY_CHANNEL",
    "NUDGE_PRIVACY_URL",
    "NUDGE_TICK",
    "NUDGE_SEND_WINDOW",
    "NUDGE_FOLLOWUP_AFTER",
    "NUDGE_EXPIRE_AFTER",
    "NUDGE_MIN_GAP",
    "NUDGE_RETENTION",
    "NUDGE_CONSENT_PERIOD",
    "NUDGE_SECRET",
    "NUDGE_WEBHOOK_URL",
    "NUDGE_WEBHOOK_SECRET",
    "NUDGE_DEFAULT_LANGUAGE",
    "NUDGE_METRICS_TOKEN",
]


def load(**overrides: str):
    return load_settings({**BASE, **overrides})


def config_error(**overrides: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load(**overrides)
    return info.value


def assert_one_line_naming(err: ConfigError, variable: str) -> str:
    """Start-up prints this one line, so it must name the variable and never wrap."""
    text = str(err)
    assert err.variable == variable
    assert variable in text
    assert "\n" not in text and "\r" not in text
    return text


# --------------------------------------------------------------------------
# defaults and reading every variable


def test_defaults_with_only_the_required_variables():
    """The documented defaults are what a minimal HTTP-mode deployment gets."""
    s = load_settings(dict(BASE))
    assert s.slack_bot_token == BOT_TOKEN
    assert s.slack_signing_secret == SIGNING_SECRET
    assert s.slack_app_token is None
    assert s.socket_mode is False
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.database_url == "sqlite:///nudge.db"
    assert s.port == 3000
    assert s.command == "/nudge"
    assert s.recruiters == frozenset() and s.admins == frozenset()
    assert s.all_recruiters == frozenset()
    assert s.community_channel is None
    assert s.privacy_url is None
    assert s.tick == timedelta(seconds=30)
    assert s.send_window == SendWindow(frozenset(range(5)), 10 * 60, 17 * 60)
    assert s.followup_after == timedelta(days=4)
    assert s.expire_after == timedelta(days=10)
    assert s.min_gap == timedelta(days=30)
    assert s.retention == timedelta(days=730)
    assert s.consent_period == timedelta(days=365)
    assert s.secret is None


def test_every_variable_is_read():
    """Each setting in the table reaches the Settings object (none silently ignored)."""
    s = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": "http://localhost:8888/api",
            "DATABASE_URL": "postgresql://nudge:pw@db:5432/nudge",
            "PORT": "8080",
            "NUDGE_COMMAND": "/hire-me_2",
            "NUDGE_RECRUITERS": " U0RECRUIT1 , W0RECRUIT2,",
            "NUDGE_ADMINS": "U0ADMIN1",
            "NUDGE_COMMUNITY_CHANNEL": "C0COMMUNITY",
            "NUDGE_PRIVACY_URL": "https://example.com/privacy",
            "NUDGE_TICK": "15s",
            "NUDGE_SEND_WINDOW": "Mon,Wed 09:30-12:00",
            "NUDGE_FOLLOWUP_AFTER": "2d",
            "NUDGE_EXPIRE_AFTER": "72h",
            "NUDGE_MIN_GAP": "0s",
            "NUDGE_RETENTION": "90d",
            "NUDGE_CONSENT_PERIOD": "180d",
            "NUDGE_SECRET": NUDGE_SECRET,
        }
    )
    assert s.slack_app_token == APP_TOKEN and s.socket_mode is True
    assert s.slack_api_url == "http://localhost:8888/api/"
    assert s.database_url == "postgresql+psycopg://nudge:pw@db:5432/nudge"
    assert s.port == 8080
    assert s.command == "/hire-me_2"
    assert s.recruiters == {"U0RECRUIT1", "W0RECRUIT2"}
    assert s.admins == {"U0ADMIN1"}
    assert s.all_recruiters == {"U0RECRUIT1", "W0RECRUIT2", "U0ADMIN1"}
    assert s.community_channel == "C0COMMUNITY"
    assert s.privacy_url == "https://example.com/privacy"
    assert s.tick == timedelta(seconds=15)
    assert str(s.send_window) == "Mon,Wed 09:30-12:00"
    assert s.followup_after == timedelta(days=2)
    assert s.expire_after == timedelta(hours=72)
    assert s.min_gap == timedelta(0)
    assert s.retention == timedelta(days=90)
    assert s.consent_period == timedelta(days=180)
    assert s.secret == NUDGE_SECRET


def test_empty_and_blank_values_count_as_unset():
    """A `.env` line like `NUDGE_TICK=` must mean the default, not an error."""
    s = load(NUDGE_TICK="", PORT="  ", SLACK_APP_TOKEN="", NUDGE_SECRET="", NUDGE_ADMINS="")
    assert s.tick == timedelta(seconds=30)
    assert s.port == 3000
    assert s.slack_app_token is None and s.socket_mode is False
    assert s.secret is None


def test_reads_only_the_mapping_passed_in(monkeypatch):
    """os.environ is the caller's business; load_settings must not peek at it."""
    monkeypatch.setenv("NUDGE_TICK", "not-a-duration")
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    s = load_settings(dict(BASE))
    assert s.tick == timedelta(seconds=30)
    assert s.slack_app_token is None


def test_admins_are_always_recruiters():
    """The spec: admins are always recruiters too."""
    s = load(NUDGE_RECRUITERS="U0AAA", NUDGE_ADMINS="U0BBB")
    assert s.all_recruiters == {"U0AAA", "U0BBB"}
    assert s.recruiters == {"U0AAA"}


def test_settings_doc_matches_the_spec_table_and_the_defaults():
    """README, .env.example and tests are generated/checked from this one list."""
    # The spec's variables in its order, then this project's extensions.
    assert [row[0] for row in SETTINGS_DOC] == [*SPEC_ORDER, "NUDGE_CLAIM_LEASE", "NUDGE_LOG_FORMAT"]
    assert all(len(row) == 3 and all(isinstance(x, str) and x for x in row) for row in SETTINGS_DOC)
    defaults = {name: default for name, default, _ in SETTINGS_DOC}
    # Every documented literal default is what load_settings actually uses.
    explicit = {
        name: value
        for name, value in defaults.items()
        if name
        in (
            "SLACK_API_URL",
            "DATABASE_URL",
            "PORT",
            "NUDGE_COMMAND",
            "NUDGE_TICK",
            "NUDGE_SEND_WINDOW",
            "NUDGE_FOLLOWUP_AFTER",
            "NUDGE_EXPIRE_AFTER",
            "NUDGE_MIN_GAP",
            "NUDGE_RETENTION",
            "NUDGE_CONSENT_PERIOD",
        )
    }
    assert explicit == {
        "SLACK_API_URL": "https://slack.com/api/",
        "DATABASE_URL": "sqlite:///nudge.db",
        "PORT": "3000",
        "NUDGE_COMMAND": "/nudge",
        "NUDGE_TICK": "30s",
        "NUDGE_SEND_WINDOW": "Mon-Fri 10:00-17:00",
        "NUDGE_FOLLOWUP_AFTER": "4d",
        "NUDGE_EXPIRE_AFTER": "10d",
        "NUDGE_MIN_GAP": "30d",
        "NUDGE_RETENTION": "730d",
        "NUDGE_CONSENT_PERIOD": "365d",
    }
    assert load(**explicit) == load_settings(dict(BASE))


# --------------------------------------------------------------------------
# error messages and secrets


def test_duration_error_message_is_exact():
    """The message is the documented one: variable, what is expected, the value."""
    err = config_error(NUDGE_TICK="soon")
    assert assert_one_line_naming(err, "NUDGE_TICK") == (
        "NUDGE_TICK must be a duration such as 30s, 15m, 2h or 7d (got 'soon')"
    )


def test_missing_bot_token_names_it():
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_SIGNING_SECRET": SIGNING_SECRET})
    text = assert_one_line_naming(info.value, "SLACK_BOT_TOKEN")
    assert "xoxb-" in text


def test_bad_port_message_is_exact():
    err = config_error(PORT="99999")
    assert assert_one_line_naming(err, "PORT") == ("PORT must be a port number from 1 to 65535 (got '99999')")


def test_newline_in_a_value_does_not_split_the_message():
    """Values are shown with repr(), so a stray newline cannot break the one-line rule."""
    err = config_error(NUDGE_COMMAND="/nudge\nrm -rf")
    assert_one_line_naming(err, "NUDGE_COMMAND")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-USERTOKEN-LEAKME"),
        ("SLACK_BOT_TOKEN", "xapp-1-APPTOKEN-LEAKME"),
        ("SLACK_BOT_TOKEN", "xoxb-has space LEAKME"),
        ("SLACK_APP_TOKEN", "xoxb-BOTTOKEN-LEAKME"),
        ("NUDGE_SECRET", "short-LEAKME"),
    ],
)
def test_secret_values_never_appear_in_messages(variable, value):
    """Start-up errors end up in logs; tokens and secrets must not."""
    err = config_error(**{variable: value})
    text = assert_one_line_naming(err, variable)
    assert "LEAKME" not in text
    assert "(value hidden)" in text


def test_app_token_in_bot_token_slot_gets_a_hint():
    """The most common mix-up gets pointed at the right variable."""
    text = str(config_error(SLACK_BOT_TOKEN="xapp-1-APPTOKEN-LEAKME"))
    assert "SLACK_APP_TOKEN" in text and "LEAKME" not in text


def test_database_password_never_appears_in_messages():
    err = config_error(DATABASE_URL=f"mysql://user:{DB_PASSWORD}@host/db")
    text = assert_one_line_naming(err, "DATABASE_URL")
    assert DB_PASSWORD not in text
    assert "'mysql'" in text


def test_repr_hides_secrets_and_database_password():
    """repr(settings) may be logged by doctor or a crash; it must hold no secret."""
    s = load(
        SLACK_APP_TOKEN=APP_TOKEN,
        NUDGE_SECRET=NUDGE_SECRET,
        DATABASE_URL=f"postgresql://nudge:{DB_PASSWORD}@db/nudge",
    )
    text = repr(s)
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, NUDGE_SECRET, DB_PASSWORD):
        assert secret not in text
    assert "postgresql+psycopg://nudge:***@db/nudge" in text
    assert s.database_url == f"postgresql+psycopg://nudge:{DB_PASSWORD}@db/nudge"


def test_first_problem_in_table_order_is_reported():
    """With several bad values, the one earliest in the spec's table wins."""
    bad = {
        "SLACK_API_URL": "ftp://x",
        "PORT": "0",
        "NUDGE_TICK": "soon",
        "NUDGE_SECRET": "short",
    }
    with pytest.raises(ConfigError) as info:
        load_settings({**BASE, **bad})
    assert info.value.variable == "SLACK_API_URL"
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_BOT_TOKEN": "", **bad})
    assert info.value.variable == "SLACK_BOT_TOKEN"


# --------------------------------------------------------------------------
# each variable's validation


def test_signing_secret_required_in_http_mode():
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN})
    text = assert_one_line_naming(info.value, "SLACK_SIGNING_SECRET")
    assert "SLACK_APP_TOKEN" in text  # says how to avoid needing it


def test_signing_secret_not_required_in_socket_mode():
    """Socket Mode has no request signatures to check."""
    s = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN})
    assert s.socket_mode is True
    assert s.slack_signing_secret is None


def test_malformed_app_token_is_reported_rather_than_missing_signing_secret():
    """The real problem is the app token, so that is the one named."""
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "nope"})
    assert info.value.variable == "SLACK_APP_TOKEN"


def test_values_are_stripped():
    """A trailing space or CR from a .env file must not break a token."""
    s = load(SLACK_BOT_TOKEN=f"  {BOT_TOKEN}\r\n", PORT=" 80 ")
    assert s.slack_bot_token == BOT_TOKEN and s.port == 80


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("https://slack.com/api", "https://slack.com/api/"),
        ("https://slack-gov.com/api/", "https://slack-gov.com/api/"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/"),
    ],
)
def test_api_url_normalised_to_end_with_slash(given_url, expected):
    """slack_sdk joins method names onto the base URL, which needs the slash."""
    assert load(SLACK_API_URL=given_url).slack_api_url == expected


@pytest.mark.parametrize("value", ["slack.com/api", "ftp://slack.com/api/", "https://", "http:// x/"])
def test_api_url_refused(value):
    assert_one_line_naming(config_error(SLACK_API_URL=value), "SLACK_API_URL")


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql+psycopg2://u:p@h/db", "postgresql+psycopg2://u:p@h/db"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("sqlite:///nudge.db", "sqlite:///nudge.db"),
        ("sqlite://", "sqlite://"),
        ("sqlite+pysqlite:////tmp/x.db", "sqlite+pysqlite:////tmp/x.db"),
    ],
)
def test_database_url_rewriting(given_url, expected):
    """Heroku-style postgres:// URLs must use psycopg 3; explicit drivers are left alone."""
    assert load(DATABASE_URL=given_url).database_url == expected


@pytest.mark.parametrize("value", ["mysql://u@h/db", "nudge.db", "postgres+psycopg2://h/db"])
def test_database_url_refused(value):
    assert_one_line_naming(config_error(DATABASE_URL=value), "DATABASE_URL")


@pytest.mark.parametrize("value", ["0", "65536", "-1", "80.0", "http", "3e3"])
def test_port_refused(value):
    assert_one_line_naming(config_error(PORT=value), "PORT")


@pytest.mark.parametrize("value", ["1", "65535"])
def test_port_bounds_accepted(value):
    assert load(PORT=value).port == int(value)


@pytest.mark.parametrize("value", ["/" + "a" * 31, "/x", "/n-u_d9"])
def test_command_accepted(value):
    assert load(NUDGE_COMMAND=value).command == value


@pytest.mark.parametrize("value", ["nudge", "/", "/Nudge", "/" + "a" * 32, "/nu dge", "//nudge"])
def test_command_refused(value):
    """Slack refuses such command names, so catch them at start-up."""
    assert_one_line_naming(config_error(NUDGE_COMMAND=value), "NUDGE_COMMAND")


@pytest.mark.parametrize("variable", ["NUDGE_RECRUITERS", "NUDGE_ADMINS"])
@pytest.mark.parametrize("value", ["@alice", "u012abc", "C012ABC", "U1", "U012ABC;W0X1"])
def test_user_ids_refused(variable, value):
    text = assert_one_line_naming(config_error(**{variable: value}), variable)
    assert "user id" in text


@pytest.mark.parametrize("value", ["#general", "general", "U012ABC", "c012abc"])
def test_community_channel_refused(value):
    assert_one_line_naming(config_error(NUDGE_COMMUNITY_CHANNEL=value), "NUDGE_COMMUNITY_CHANNEL")


def test_private_community_channel_accepted():
    assert load(NUDGE_COMMUNITY_CHANNEL="G0PRIVATE").community_channel == "G0PRIVATE"


@pytest.mark.parametrize("value", ["http://example.com/privacy", "example.com/privacy", "https://"])
def test_privacy_url_must_be_https(value):
    assert_one_line_naming(config_error(NUDGE_PRIVACY_URL=value), "NUDGE_PRIVACY_URL")


@pytest.mark.parametrize("variable", ["NUDGE_TICK", "NUDGE_RETENTION", "NUDGE_CONSENT_PERIOD"])
def test_durations_that_must_be_positive_refuse_zero(variable):
    """A zero tick would spin; zero retention would erase everyone at once."""
    text = assert_one_line_naming(config_error(**{variable: "0s"}), variable)
    assert "longer than 0s" in text


def test_min_gap_may_be_zero():
    assert load(NUDGE_MIN_GAP="0s").min_gap == timedelta(0)


@pytest.mark.parametrize(
    "variable",
    [
        "NUDGE_TICK",
        "NUDGE_FOLLOWUP_AFTER",
        "NUDGE_EXPIRE_AFTER",
        "NUDGE_MIN_GAP",
        "NUDGE_RETENTION",
        "NUDGE_CONSENT_PERIOD",
    ],
)
def test_every_duration_variable_is_validated(variable):
    text = assert_one_line_naming(config_error(**{variable: "1.5d"}), variable)
    assert text == f"{variable} must be a duration such as 30s, 15m, 2h or 7d (got '1.5d')"


_DURATION_VARIABLES = [
    "NUDGE_TICK",
    "NUDGE_FOLLOWUP_AFTER",
    "NUDGE_EXPIRE_AFTER",
    "NUDGE_MIN_GAP",
    "NUDGE_RETENTION",
    "NUDGE_CONSENT_PERIOD",
]


@pytest.mark.parametrize("variable", _DURATION_VARIABLES)
@pytest.mark.parametrize("value", ["999999999d", "3651d", "87601h", "99999999999999999999999s"])
def test_a_duration_beyond_ten_years_stops_start_up_with_one_line(variable, value):
    """`NUDGE_FOLLOWUP_AFTER=999999999d` used to load, and overflowed the moment an invitation
    was posted (sent_at + delay); every duration is now bounded by the grammar."""
    text = assert_one_line_naming(config_error(**{variable: value}), variable)
    assert "at most 3650d" in text and repr(value) in text


def test_ten_years_is_the_longest_duration_setting():
    assert load(NUDGE_RETENTION="3650d").retention == timedelta(days=3650)


@pytest.mark.parametrize(("followup", "expire"), [("4d", "4d"), ("4d", "96h"), ("10d", "4d")])
def test_expire_must_be_longer_than_followup(followup, expire):
    """Expiring before (or as) the follow-up is sent would make the follow-up pointless."""
    err = config_error(NUDGE_FOLLOWUP_AFTER=followup, NUDGE_EXPIRE_AFTER=expire)
    text = assert_one_line_naming(err, "NUDGE_EXPIRE_AFTER")
    assert "NUDGE_FOLLOWUP_AFTER" in text and repr(expire) in text


def test_default_expiry_checked_against_a_long_followup():
    """Raising only the follow-up past the default expiry is caught too."""
    assert config_error(NUDGE_FOLLOWUP_AFTER="11d").variable == "NUDGE_EXPIRE_AFTER"


def test_send_window_error_names_the_reason():
    text = assert_one_line_naming(config_error(NUDGE_SEND_WINDOW="Funday 10:00-12:00"), "NUDGE_SEND_WINDOW")
    assert "unknown day 'Funday'" in text and "Mon-Fri 10:00-17:00" in text


@pytest.mark.parametrize(("value", "ok"), [("a" * 15, False), ("a" * 16, True)])
def test_nudge_secret_minimum_length(value, ok):
    if ok:
        assert load(NUDGE_SECRET=value).secret == value
    else:
        assert_one_line_naming(config_error(NUDGE_SECRET=value), "NUDGE_SECRET")


# --------------------------------------------------------------------------
# durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0s", timedelta(0)),
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("7d", timedelta(days=7)),
        ("  90d ", timedelta(days=90)),
        ("\t36h\n", timedelta(hours=36)),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "30",
        "s",
        "-5m",
        "+5m",
        "1.5h",
        "1,5h",
        "5w",
        "5ms",
        "5 m",
        "5M",
        "1h30m",
        "30sec",
        "٣s",
        "99999999999999999d",
        "3651d",
        "315360001s",
        "9" * 5000 + "s",
    ],
)
def test_parse_duration_refuses(text):
    """Only whole numbers with a unit s/m/h/d; no signs, fractions or compound forms."""
    with pytest.raises(ValueError, match="duration such as 30s"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=30), "30s"),
        (timedelta(seconds=90), "90s"),
        (timedelta(minutes=15), "15m"),
        (timedelta(hours=36), "36h"),
        (timedelta(days=90), "90d"),
        (timedelta(days=1, seconds=1), "86401s"),
    ],
)
def test_format_duration_uses_largest_exact_unit(td, text):
    assert format_duration(td) == text


@pytest.mark.parametrize("td", [timedelta(seconds=-1), timedelta(milliseconds=1500)])
def test_format_duration_refuses_what_cannot_be_parsed_back(td):
    with pytest.raises(ValueError):
        format_duration(td)


_UNIT_MAX = {"s": 3650 * 86400, "m": 3650 * 1440, "h": 3650 * 24, "d": 3650}


@given(
    st.sampled_from("smhd").flatmap(
        lambda unit: st.tuples(st.integers(min_value=0, max_value=_UNIT_MAX[unit]), st.just(unit))
    )
)
def test_duration_round_trip(number_and_unit):
    """format_duration and parse_duration are inverses for everything parseable (up to 3650d)."""
    number, unit = number_and_unit
    td = parse_duration(f"{number}{unit}")
    text = format_duration(td)
    assert parse_duration(text) == td
    assert format_duration(parse_duration(text)) == text


# --------------------------------------------------------------------------
# send windows

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(day_of_week: int, hour: int, minute: int = 0, **kw) -> datetime:
    """A datetime on the given weekday (2024-01-01 was a Monday)."""
    return datetime(2024, 1, 1 + day_of_week, hour, minute, **kw)


@pytest.mark.parametrize(
    ("text", "days", "start", "end", "canonical"),
    [
        ("Mon-Fri 10:00-17:00", {MON, TUE, WED, THU, FRI}, 600, 1020, "Mon-Fri 10:00-17:00"),
        ("Mon,Wed 09:30-12:00", {MON, WED}, 570, 720, "Mon,Wed 09:30-12:00"),
        ("Mon-Sun 00:00-24:00", set(range(7)), 0, 1440, "Mon-Sun 00:00-24:00"),
        ("Fri 22:00-02:00", {FRI}, 1320, 120, "Fri 22:00-02:00"),
        ("Sat-Mon 9:00-12:00", {SAT, SUN, MON}, 540, 720, "Sat-Mon 09:00-12:00"),
        ("monday , WEDNESDAY-friday 9:05 - 9:10", {MON, WED, THU, FRI}, 545, 550, "Mon,Wed-Fri 09:05-09:10"),
        ("Sun,Sat 08:00-09:00", {SAT, SUN}, 480, 540, "Sat-Sun 08:00-09:00"),
        ("Tue,Mon,Tue 08:00-09:00", {MON, TUE}, 480, 540, "Mon-Tue 08:00-09:00"),
        ("Fri 22:00-00:00", {FRI}, 1320, 1440, "Fri 22:00-24:00"),
    ],
)
def test_parse_send_window(text, days, start, end, canonical):
    window = parse_send_window(text)
    assert window == SendWindow(frozenset(days), start, end)
    assert str(window) == canonical


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Mon 24:00-10:00", "24:00 can only end"),
        ("Mon 10:00-24:30", "not a time of day"),
        ("Mon 10:00-25:00", "not a time of day"),
        ("Mon 10:60-11:00", "not a time of day"),
        ("Mon 10:00-10:00", "same"),
        ("Mon 00:00-00:00", "same"),
        ("Funday 10:00-12:00", "unknown day"),
        ("Mo 10:00-12:00", "unknown day"),
        ("10:00-12:00", "days are missing"),
        ("Mon,,Tue 10:00-12:00", "day is missing"),
        ("Mon- 10:00-12:00", "day is missing"),
        ("Mon-Wed-Fri 10:00-12:00", "not a day or a day range"),
        ("Mon-Fri", "hour range"),
        ("Mon-Fri 10-17", "hour range"),
        ("Mon-Fri 10:00", "hour range"),
        ("Mon-Fri 10:0-17:00", "hour range"),
        ("", "hour range"),
    ],
)
def test_parse_send_window_refuses(text, reason):
    with pytest.raises(ValueError) as info:
        parse_send_window(text)
    message = str(info.value)
    assert reason in message and "Mon-Fri 10:00-17:00" in message
    assert "\n" not in message


def test_send_window_constructor_validates():
    """Code that builds windows directly (e.g. from the database) gets the same rules."""
    for days, start, end in [(set(), 0, 60), ({7}, 0, 60), ({0}, 1440, 60), ({0}, 0, 0), ({0}, 60, 60)]:
        with pytest.raises(ValueError):
            SendWindow(frozenset(days), start, end)


def test_contains_daytime_window():
    window = parse_send_window("Mon-Fri 10:00-17:00")
    assert window.contains(at(MON, 10, 0))
    assert window.contains(at(FRI, 16, 59, second=59))
    assert not window.contains(at(FRI, 17, 0))  # end is exclusive
    assert not window.contains(at(MON, 9, 59))
    assert not window.contains(at(SAT, 12, 0))


def test_contains_overnight_window_belongs_to_the_day_it_starts():
    """'Fri 22:00-02:00' is Friday night: it runs into Saturday morning, not Friday morning."""
    window = parse_send_window("Fri 22:00-02:00")
    assert window.contains(at(FRI, 23, 0))
    assert window.contains(at(SAT, 1, 0))
    assert not window.contains(at(FRI, 1, 0))
    assert not window.contains(at(SAT, 2, 0))
    assert not window.contains(at(SAT, 23, 0))
    assert not window.contains(at(FRI, 21, 59))


def test_contains_overnight_wraps_from_sunday_to_monday():
    window = parse_send_window("Sun 23:00-01:00")
    assert window.contains(at(MON, 0, 30))
    assert not window.contains(at(SUN, 0, 30))


def test_contains_all_day_until_24_00():
    window = parse_send_window("Mon-Sun 00:00-24:00")
    assert window.contains(at(MON, 0, 0))
    assert window.contains(at(SUN, 23, 59, second=59))


def test_contains_uses_local_wall_clock_of_aware_datetimes():
    """The caller converts to the candidate's zone; the window must not reconvert to UTC."""
    window = parse_send_window("Mon 10:00-11:00")
    plus_nine = timezone(timedelta(hours=9))
    assert window.contains(at(MON, 10, 30, tzinfo=plus_nine))
    assert not window.contains(at(MON, 10, 30, tzinfo=plus_nine).astimezone(UTC))


_DAY_SPELLINGS = [
    [abbr, abbr.lower(), abbr.upper(), full, full.upper()]
    for abbr, full in zip(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        strict=False,
    )
]
_day = st.integers(0, 6).flatmap(lambda d: st.sampled_from(_DAY_SPELLINGS[d]))
_day_item = st.one_of(_day, st.tuples(_day, _day).map(lambda p: f"{p[0]}-{p[1]}"))
_days_text = st.lists(_day_item, min_size=1, max_size=5).map(",".join)


@st.composite
def _window_text(draw):
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(1, 1440).filter(lambda e: e != start))

    def clock(minutes, pad):
        hours = f"{minutes // 60:02d}" if pad else str(minutes // 60)
        return f"{hours}:{minutes % 60:02d}"

    space = draw(st.sampled_from(["", " "]))
    return f"{draw(_days_text)} {clock(start, draw(st.booleans()))}{space}-{space}{clock(end, draw(st.booleans()))}"


@given(_window_text())
def test_send_window_text_round_trip(text):
    """str() is canonical: it parses back to the same window and is a fixed point."""
    window = parse_send_window(text)
    canonical = str(window)
    assert parse_send_window(canonical) == window
    assert str(parse_send_window(canonical)) == canonical
    assert re.fullmatch(r"[A-Za-z,-]+ \d\d:\d\d-\d\d:\d\d", canonical)


@given(
    st.frozensets(st.integers(0, 6), min_size=1),
    st.integers(0, 1439),
    st.integers(1, 1440),
)
def test_any_send_window_round_trips_through_str(days, start, end):
    """Every valid SendWindow (not only parsed ones) can be written and read back."""
    if start == end:
        return
    window = SendWindow(days, start, end)
    assert parse_send_window(str(window)) == window


def test_claim_lease_defaults_to_45s_and_stays_under_a_minute():
    """Another process must take over a dead one's work within a minute."""
    assert load().claim_lease == timedelta(seconds=45)
    assert load(NUDGE_CLAIM_LEASE="5s").claim_lease == timedelta(seconds=5)
    for bad in ("2s", "60s", "1m", "soon"):
        with pytest.raises(ConfigError) as info:
            load(NUDGE_CLAIM_LEASE=bad)
        assert info.value.variable == "NUDGE_CLAIM_LEASE" and "3s to 55s" in str(info.value)


@pytest.mark.parametrize(
    "value",
    ["http://127.0.0.1:9000/api/", "http://localhost:8888/api", "http://[::1]:9000/", "http://127.3.4.5/api/"],
)
def test_plain_http_api_url_is_fine_for_loopback_hosts(value):
    assert load(SLACK_API_URL=value).slack_api_url.startswith("http://")


@pytest.mark.parametrize(
    "value",
    [
        "http://proxy.example/api/",
        "http://10.0.0.7:8080/api/",
        "http://localhost.evil.example/api/",
        "http://user:pw@slack.com/api/",
        "http://127.0.0.1.nip.io/api/",
    ],
)
def test_plain_http_api_url_to_any_other_host_is_refused_in_one_line(value):
    """The bot token travels with every call: in clear only to this machine itself."""
    error = config_error(SLACK_API_URL=value)
    assert_one_line_naming(error, "SLACK_API_URL")
    assert "https" in str(error) and "loopback" in str(error)
    assert "pw" not in str(error)


def test_urls_quoted_in_any_text_lose_their_credentials():
    from bot.rules.urls import redact_urls_in

    text = "at postgresql+psycopg://nudge:pa:ss@db:5432/n and https://tok3n@proxy/api/ or https://slack.com/api/ ok"
    assert redact_urls_in(text) == (
        "at postgresql+psycopg://nudge:***@db:5432/n and https://***@proxy/api/ or https://slack.com/api/ ok"
    )


def test_default_language_is_english_and_refuses_a_language_nudge_does_not_speak():
    assert load().default_language == "en"
    assert load(NUDGE_DEFAULT_LANGUAGE="DE").default_language == "de"
    line = assert_one_line_naming(config_error(NUDGE_DEFAULT_LANGUAGE="ja"), "NUDGE_DEFAULT_LANGUAGE")
    assert "en, de, fr, es" in line

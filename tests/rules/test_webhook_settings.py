"""NUDGE_WEBHOOK_URL and NUDGE_WEBHOOK_SECRET: checked at start like every setting, one line each."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.webhooks import secret_problem
from bot.settings import ConfigError, load_settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "signing-secret-value-0123456789"}
SECRET = "whsec_" + base64.b64encode(b"k" * 24).decode()


def load(**overrides: str):
    return load_settings({**BASE, **overrides})


def error_of(**overrides: str) -> str:
    with pytest.raises(ConfigError) as info:
        load(**overrides)
    text = str(info.value)
    assert "\n" not in text
    return text


def test_unset_by_default():
    settings = load()
    assert settings.webhook_url is None and settings.webhook_secret is None


@pytest.mark.parametrize(
    "url",
    [
        "https://ats.example.com/hooks/nudge",
        "http://localhost:8000/hook",
        "http://127.0.0.1:9/x",
        "http://[::1]:8080/",
    ],
)
def test_https_or_loopback_http_is_accepted(url):
    settings = load(NUDGE_WEBHOOK_URL=url, NUDGE_WEBHOOK_SECRET=SECRET)
    assert settings.webhook_url == url and settings.webhook_secret == SECRET


@pytest.mark.parametrize(
    "url",
    ["http://ats.example.com/hook", "ftp://example.com/x", "example.com/hook", "http://localhost.evil.com/"],
)
def test_other_urls_are_refused_in_one_line(url):
    text = error_of(NUDGE_WEBHOOK_URL=url, NUDGE_WEBHOOK_SECRET=SECRET)
    assert text.startswith("NUDGE_WEBHOOK_URL must be an https:// URL")


def test_secret_is_required_with_the_url():
    text = error_of(NUDGE_WEBHOOK_URL="https://ats.example.com/h")
    assert text == "NUDGE_WEBHOOK_SECRET is required with NUDGE_WEBHOOK_URL: whsec_ followed by base64"


@pytest.mark.parametrize("secret", ["abc", "whsec_not base64!", "whsec_" + base64.b64encode(b"x").decode()])
def test_malformed_secret_is_refused_without_echoing_it(secret):
    text = error_of(NUDGE_WEBHOOK_URL="https://ats.example.com/h", NUDGE_WEBHOOK_SECRET=secret)
    assert text == "NUDGE_WEBHOOK_SECRET must be whsec_ followed by base64 (value hidden)"


def test_secret_never_in_repr():
    settings = load(NUDGE_WEBHOOK_URL="https://ats.example.com/h", NUDGE_WEBHOOK_SECRET=SECRET)
    assert SECRET not in repr(settings) and "ats.example.com" in repr(settings)


@given(st.binary(min_size=16, max_size=64))
def test_every_base64_key_of_16_bytes_or_more_is_usable(key):
    assert secret_problem("whsec_" + base64.b64encode(key).decode()) == ""


def test_doctor_names_the_endpoint_host_and_sends_nothing():
    from bot.doctor import webhook_check

    check = webhook_check(load(NUDGE_WEBHOOK_URL="https://u:pw@ats.example.com/h", NUDGE_WEBHOOK_SECRET=SECRET))
    assert check.level == "ok" and "ats.example.com" in check.detail and "pw" not in check.detail
    assert SECRET not in check.line() and "nothing sent" in check.detail
    assert "unset" in webhook_check(load()).detail

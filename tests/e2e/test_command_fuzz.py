"""Any `/nudge` text, from a candidate or a recruiter, gets an answer: never a listener error
(hypothesis over the real app, signed requests, the fake Slack checking every reply)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.clocks import MovableClock

RECRUITER = "URECRUIT1"
CANDIDATE = "UCAND0051"
WORDS = [
    "join",
    "stop",
    "pause",
    "resume",
    "help",
    "role",
    "add",
    "list",
    "close",
    "invite",
    "match",
    "pipeline",
    "status",
    "stage",
    "stats",
    "team",
    "recruiter",
    "audit",
    "profile",
    "sharing",
    "link",
    "offer",
    "closed",
]
PIECES = [
    "0001-01-01",
    "9999-12-31",
    "2027-02-30",
    "999999999d",
    "99999999999999999999s",
    "0d",
    "3650d",
    "#0",
    "#2147483648",
    "1",
    "#1",
    f"<@{CANDIDATE}|c>",
    "<@U>",
    "&lt;!channel&gt;",
    "&amp;",
    "|",
    "<https://x.example|x>",
    "https://cal.example.com/a",
    "\u200b",
    "ＡＣＭＥ",
    "-1",
    "1.5h",
]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS + PIECES), min_size=1, max_size=5).map(" ".join),
    st.text(max_size=60),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, as_recruiter=st.booleans())
def test_any_command_text_is_answered_without_a_listener_error(make_app, caplog, text, as_recruiter):
    app = _app(make_app)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        reply = app.slack.command(text, user_id=RECRUITER if as_recruiter else CANDIDATE)
    assert reply.status == 200, (text, reply.body)
    assert not [r for r in caplog.records if r.getMessage().startswith("listener failed")], text


_apps: dict = {}


def _app(make_app):
    """One app per test (per database) for all its examples: `make_app` is the test's fixture,
    shared by the examples, and starting an app per example would take minutes."""
    key = id(make_app)
    if key not in _apps:
        _apps.clear()
        app = make_app(clock=MovableClock(datetime(2027, 1, 10, 12, 0, tzinfo=UTC)))
        app.slack.command("role add Backend Engineer | Acme | Calm APIs | python", user_id=RECRUITER)
        app.slack.command("join", user_id=CANDIDATE)
        _apps[key] = app
    return _apps[key]

"""Pure rules: consent transitions, DM keywords, command parsing, escaping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.commands import Audience, parse_command
from bot.rules.consent import (
    Action,
    ConsentStatus,
    may_receive_invitations,
    opt_in,
    opt_out,
)
from bot.rules.keywords import DmIntent, classify_dm
from bot.rules.text import escape


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        (ConsentStatus.NOT_JOINED, ConsentStatus.OPTED_IN, Action.GRANTED),
        (ConsentStatus.OPTED_OUT, ConsentStatus.OPTED_IN, Action.GRANTED),
        (ConsentStatus.OPTED_IN, ConsentStatus.OPTED_IN, None),
    ],
)
def test_opt_in(before, after, action):
    change = opt_in(before)
    assert (change.before, change.after, change.action) == (before, after, action)
    assert change.changed is (action is not None)


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        (ConsentStatus.NOT_JOINED, ConsentStatus.OPTED_OUT, Action.WITHDRAWN),
        (ConsentStatus.OPTED_IN, ConsentStatus.OPTED_OUT, Action.WITHDRAWN),
        (ConsentStatus.OPTED_OUT, ConsentStatus.OPTED_OUT, None),
    ],
)
def test_opt_out(before, after, action):
    change = opt_out(before)
    assert (change.after, change.action) == (after, action)


def test_only_opted_in_people_may_be_invited():
    assert [may_receive_invitations(s) for s in ConsentStatus] == [False, True, False]


@given(st.lists(st.sampled_from(["in", "out"]), max_size=20))
def test_any_sequence_of_requests_ends_in_the_last_requested_state(requests):
    status = ConsentStatus.NOT_JOINED
    for request in requests:
        status = (opt_in if request == "in" else opt_out)(status).after
    expected = {"in": ConsentStatus.OPTED_IN, "out": ConsentStatus.OPTED_OUT}.get(
        requests[-1] if requests else "", ConsentStatus.NOT_JOINED
    )
    assert status is expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stop", DmIntent.STOP),
        ("STOP", DmIntent.STOP),
        ("  stop.  ", DmIntent.STOP),
        ("Stop!!!", DmIntent.STOP),
        ("*stop*", DmIntent.STOP),
        ("unsubscribe", DmIntent.STOP),
        ("UNSUBSCRIBE!", DmIntent.STOP),
        ("help", DmIntent.HELP),
        ("Help?", DmIntent.HELP),
        ("don't stop", DmIntent.OTHER),
        ("stop it", DmIntent.OTHER),
        ("stopped", DmIntent.OTHER),
        ("helpful", DmIntent.OTHER),
        ("", DmIntent.OTHER),
        (None, DmIntent.OTHER),
        ("s t o p", DmIntent.OTHER),
        ("ＳＴＯＰ", DmIntent.STOP),  # a full-width keyboard
        ("st\u200bop", DmIntent.STOP),  # a zero-width space
        ("\u200bstop\u200d", DmIntent.STOP),
        ("ѕтоp", DmIntent.OTHER),  # "т" is not a look-alike of t in Unicode's table
        ("ѕtор", DmIntent.STOP),  # Cyrillic ѕ, о and р
        ("Ｈｅｌｐ", DmIntent.HELP),
        ("ｕｎｓｕｂｓｃｒｉｂｅ！", DmIntent.STOP),
    ],
)
def test_dm_keywords_match_the_whole_message(text, intent):
    assert classify_dm(text) is intent


@pytest.mark.parametrize(
    ("text", "name", "args", "audience"),
    [
        ("", "help", "", Audience.CANDIDATE),
        ("   ", "help", "", Audience.CANDIDATE),
        ("JOIN", "join", "", Audience.CANDIDATE),
        ("  pause   90d ", "pause", "90d", Audience.CANDIDATE),
        ("invite <@U123|ann>  #7 hi there", "invite", "<@U123|ann>  #7 hi there", Audience.RECRUITER),
        ("Role add A | B", "role", "add A | B", Audience.RECRUITER),
        ("dance", "dance", "", Audience.UNKNOWN),
    ],
)
def test_parse_command(text, name, args, audience):
    parsed = parse_command(text)
    assert (parsed.name, parsed.args, parsed.audience) == (name, args, audience)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<http://x|y>", "&lt;http://x|y&gt;"),
        ("A & B", "A &amp; B"),
        ("&lt;", "&amp;lt;"),
        ("plain", "plain"),
    ],
)
def test_escape(raw, shown):
    assert escape(raw) == shown


@given(st.text())
def test_escaped_text_has_no_markup_left(raw):
    shown = escape(raw)
    assert "<" not in shown and ">" not in shown
    assert shown.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").count("&") == 0

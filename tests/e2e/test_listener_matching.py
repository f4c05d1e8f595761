"""Issue 22: Bolt's built-in matchers read the body directly instead of through Bolt's argument
injection (which parsed the body into every argument, once per listener tried), and each request
still finds the same listener."""

from __future__ import annotations

from slack_bolt import BoltRequest
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher

from handlers.matching import BodyMatcher
from tests.support.slackreq import (
    block_actions_body,
    event_callback_body,
    im_message_event,
    slash_command_body,
    view_submission_body,
)

FORM = "application/x-www-form-urlencoded"


def _listener_for(bolt, body: bytes, content_type: str) -> str:
    request = BoltRequest(body=body.decode(), headers={"content-type": content_type})
    found = [listener for listener in bolt._listeners if listener.matches(req=request, resp=None)]
    return found[0].ack_function.__name__


def test_every_built_in_matcher_reads_the_body_directly(app):
    matchers = [m for listener in app.assembled.bolt._listeners for m in listener.matchers]
    assert not [m for m in matchers if type(m) is BuiltinListenerMatcher]
    assert sum(isinstance(m, BodyMatcher) for m in matchers) >= 40


def test_each_kind_of_request_still_finds_its_own_listener(app):
    bolt = app.assembled.bolt
    event = event_callback_body(im_message_event(user_id="U1", text="join", ts="1.1"), event_id="Ev1")
    url = "https://hooks.example/x"
    assert _listener_for(bolt, slash_command_body(text="join", user_id="U1", response_url=url), FORM) == "on_command"
    click = block_actions_body(user_id="U1", action_id="nudge.consent.join", value="join", response_url=url)
    assert _listener_for(bolt, click, FORM) == "on_join"
    assert _listener_for(
        bolt, view_submission_body(user_id="U1", callback_id="nudge.preferences", values={}), FORM
    ) == ("on_preferences_submitted")
    assert _listener_for(bolt, event, "application/json") == "on_message"

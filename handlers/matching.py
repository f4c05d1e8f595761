"""Finding the listener for a request without building every listener's arguments first.

Bolt tries the listeners in the order they were registered, and asks each one's matcher whether
the request is its own. A built-in matcher (a command name, an `action_id`, a `callback_id`, an
event type) only looks at the body, but Bolt calls it through its argument injection, which
first parses the body into every possible argument (`action`, `view`, `event`, `say`, …): about
7 µs a listener. Nudge has some fifty, so a `message.im` event, matched near the end, spent
~0.35 ms finding its listener and a preferences form ~0.2 ms — a fifth of what a bare Bolt app
spends on a whole request. Here those matchers are handed the body directly; the test is the
same function, so which listener matches does not change. A matcher of any other shape (or a
Bolt whose matchers look different) is left as Bolt built it.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.listener_matcher.listener_matcher import ListenerMatcher


class BodyMatcher(ListenerMatcher):
    """A built-in matcher's own test, given the request body and nothing else."""

    def __init__(self, test: Callable[..., bool]) -> None:
        self.test = test

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        return bool(self.test(body=req.body))


def _quicker(matcher: ListenerMatcher) -> ListenerMatcher:
    if type(matcher) is BuiltinListenerMatcher and list(getattr(matcher, "arg_names", ())) == ["body"]:
        return BodyMatcher(matcher.func)  # type: ignore[arg-type]
    return matcher


def match_on_the_body(app: App) -> None:
    """Once every listener is registered: their built-in matchers read the body directly."""
    for listener in getattr(app, "_listeners", ()):
        matchers = getattr(listener, "matchers", None)
        if isinstance(matchers, list):
            listener.matchers = [_quicker(m) for m in matchers]

"""The demo's pretend team has an ATS: Nudge's webhooks reach it signed, and the page lists them."""

from __future__ import annotations

import json
import urllib.request

from tests.support.cluster import wait_for
from tests.support.demo import Demo


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _say(demo: Demo, user: str, text: str) -> dict:
    request = urllib.request.Request(
        demo.url + "ui/do",
        data=json.dumps({"user": user, "op": "say", "text": text}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def test_the_page_lists_the_webhooks_the_pretend_team_received():
    demo = Demo().wait_ready()
    try:
        page = _get(demo.url).decode()
        assert 'id="ats-events"' in page and "The team's ATS received" in page
        assert json.loads(_get(demo.url + "ui/webhooks")) == {"events": []}
        assert _say(demo, "URITA", "/nudge admin webhook test")["ok"]

        def received():
            return json.loads(_get(demo.url + "ui/webhooks"))["events"]

        events = wait_for(received, timeout=20)
        assert [e["type"] for e in events] == ["ping"] and events[0]["id"].startswith("msg_")
        _say(demo, "UAMARA", "/nudge join")
        _say(demo, "UAMARA", "/nudge stop")
        assert wait_for(lambda: len(received()) == 2, timeout=20)
        assert received()[0]["type"] == "candidate.opted_out"
    finally:
        code = demo.stop()
    assert code == 0, "".join(demo.errors)[-2000:]

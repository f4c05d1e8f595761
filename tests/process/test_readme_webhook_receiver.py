"""The README's webhook receiver example runs, and accepts what Nudge's sender signs."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from bot.sending.webhooks import WebhookSender
from tests.support.usecase_world import START, usecase_settings
from tests.support.webhooks import SECRET

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_receiver_verifies_a_delivery_signed_by_nudge(monkeypatch):
    example = re.search(r"## Webhooks.*?```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    monkeypatch.setenv("NUDGE_WEBHOOK_SECRET", SECRET)
    handled: list[tuple] = []
    scope: dict = {"handle": lambda *args: handled.append(args)}
    exec(compile(example, "README.md", "exec"), scope)

    posted: list[tuple] = []
    settings = usecase_settings("sqlite://", NUDGE_WEBHOOK_URL="https://ats.example.com/h", NUDGE_WEBHOOK_SECRET=SECRET)
    ctx = SimpleNamespace(settings=settings, clock=lambda: START)
    sender = WebhookSender(ctx, post=lambda url, body, headers, timeout: posted.append((body, headers)) or 200)
    sender._post("msg_readme", '{"type":"ping","timestamp":"2027-01-11T12:00:00Z","data":{}}')

    body, headers = posted[0]
    assert scope["receive"](body, headers) == 204
    assert handled == [("ping", {}, "msg_readme")]

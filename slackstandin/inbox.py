"""The pretend team's ATS for the demo: a webhook receiver beside the page, so a person trying
Nudge sees what their recruiting system would get. Each delivery is verified with the reference
`standardwebhooks` library, as a real receiver would, and kept in memory (newest first)."""

from __future__ import annotations

import base64
import secrets
import threading
from collections import deque

from standardwebhooks import Webhook, WebhookVerificationError

PATH = "/hooks/ats"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class TeamInbox:
    def __init__(self, secret: str, keep: int = 100) -> None:
        self.secret = secret
        self.events: deque[dict] = deque(maxlen=keep)
        self.lock = threading.Lock()

    def receive(self, raw: bytes, headers: dict[str, str]) -> int:
        """204 for a verified delivery (a repeat of a webhook-id is acknowledged and not kept
        twice), 400 for one whose signature does not verify."""
        try:
            body = Webhook(self.secret).verify(raw, headers)
        except WebhookVerificationError:
            return 400
        lowered = {k.lower(): v for k, v in headers.items()}
        entry = {"id": lowered.get("webhook-id"), "type": body.get("type"), "timestamp": body.get("timestamp")}
        with self.lock:
            if all(e["id"] != entry["id"] for e in self.events):
                self.events.appendleft(entry | {"data": body.get("data") or {}})
        return 204

    def listing(self) -> list[dict]:
        with self.lock:
            return list(self.events)

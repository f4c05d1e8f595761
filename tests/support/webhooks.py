"""Webhook helpers for tests: settings that turn webhooks on, the queue as rows, and a receiver
that verifies every delivery with the reference `standardwebhooks` library and keeps what it got
(every payload any test produced is scanned for private text at the end of the session)."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select
from standardwebhooks import Webhook

from storage.models import WebhookDelivery

SECRET = "whsec_" + base64.b64encode(b"nudge-test-webhook-key-32-bytes!").decode()
URL = "https://ats.example.com/hooks/nudge"
ON = {"NUDGE_WEBHOOK_URL": URL, "NUDGE_WEBHOOK_SECRET": SECRET}

#: Every body any test's receiver accepted or any test's queue held, for the privacy scan.
SEEN_PAYLOADS: list[str] = []
#: Webhook tests write private notes and never-list entries containing these, so the scan of
#: every payload (`tests/conftest.py`) can tell that none ever left Nudge.
PRIVATE_MARKERS = ("PRIVATE-NOTE-MARK", "NEVERLIST-MARK")


def private_text_in_payloads() -> list[str]:
    return [payload for payload in SEEN_PAYLOADS if any(m.lower() in payload.lower() for m in PRIVATE_MARKERS)]


def queued(sessions) -> list[WebhookDelivery]:
    with sessions() as session:
        rows = list(session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)).scalars())
    SEEN_PAYLOADS.extend(json.dumps(row.data) for row in rows)
    return rows


def types_of(sessions, candidate: str | None = None) -> list[str]:
    return [row.event_type for row in queued(sessions) if candidate is None or row.candidate == candidate]


@dataclass
class Received:
    webhook_id: str
    body: dict
    headers: dict


@dataclass
class Receiver:
    """A local endpoint: verifies each POST with `standardwebhooks`, answers `status` (a list is
    consumed one answer per request, then 200), and records what it verified."""

    secret: str = SECRET
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)  # webhook-id of every verified request
    received_at: list[float] = field(default_factory=list)  # time.monotonic() of each delivery
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds before answering, to keep deliveries in flight
    gate: threading.Event | None = None  # when set up, each answer waits until it is set

    def start(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                status = receiver.take(raw, dict(self.headers.items()))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def take(self, raw: bytes, headers: dict) -> int:
        if self.delay:
            time.sleep(self.delay)
        if self.gate is not None:
            self.gate.wait(timeout=30)
        with self.lock:
            status = self.answers.pop(0) if self.answers else 200
            try:
                body = Webhook(self.secret).verify(raw, headers)
            except Exception as error:  # noqa: BLE001 (any refusal is recorded as the test's evidence)
                self.refused.append(type(error).__name__)
                return 400
            assert headers.get("content-type", headers.get("Content-Type")) == "application/json"
            SEEN_PAYLOADS.append(raw.decode())
            lowered = {k.lower(): v for k, v in headers.items()}
            self.attempts.append(lowered["webhook-id"])
            if 200 <= status < 300:
                self.received.append(Received(lowered["webhook-id"], body, lowered))
                self.received_at.append(time.monotonic())
            return status

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def seed_events(database_url: str, candidates: int, per_candidate: int) -> dict[str, list[str]]:
    """Due events straight into the queue: for each candidate, its webhook-ids in order."""
    from datetime import UTC, datetime

    from storage import webhooks as queue
    from storage.db import create_db_engine, make_session_factory, migrate

    engine = create_db_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    order: dict[str, list[str]] = {}
    with sessions() as session, session.begin():
        for n in range(per_candidate):
            for c in range(candidates):
                user = f"UWH{c:07d}"
                webhook_id = f"msg_seed_{c}_{n}"
                data = {"candidate": user, "seq": n}
                queue.enqueue(
                    session, webhook_id=webhook_id, event_type="candidate.opted_out", candidate=user, data=data, now=now
                )
                order.setdefault(user, []).append(webhook_id)
    engine.dispose()
    return order

"""Socket Mode: with SLACK_APP_TOKEN set, the app connects out over a WebSocket (no public URL)
and answers envelopes with acks, as Slack's own Socket Mode server expects."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid

import pytest

websockets = pytest.importorskip("websockets", reason="websockets is a test dependency (pip install -e '.[test]')")
from websockets.asyncio.server import serve  # noqa: E402

from tests.support.slackreq import get, post  # noqa: E402
from tests.support.waiting import wait_until  # noqa: E402


class FakeSocketModeServer:
    """Sends `hello`, then the envelopes a test queues; records every ack the app sends back."""

    def __init__(self) -> None:
        self.acks: list[dict] = []
        self.connections = 0
        self._outbox: asyncio.Queue | None = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._outbox = asyncio.Queue()
        self._stop = asyncio.Event()
        async with serve(self._handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    async def _handler(self, connection) -> None:
        self.connections += 1
        await connection.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}})
        )

        async def sender():
            while True:
                envelope = await self._outbox.get()
                await connection.send(json.dumps(envelope))

        task = asyncio.ensure_future(sender())
        try:
            async for message in connection:
                self.acks.append(json.loads(message))
        except websockets.ConnectionClosed:
            pass
        finally:
            task.cancel()

    def start(self) -> FakeSocketModeServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def send(self, envelope: dict) -> None:
        asyncio.run_coroutine_threadsafe(self._outbox.put(envelope), self._loop).result(5)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)


def test_socket_mode_answers_a_slash_command_envelope_with_an_ack(fake_slack, tmp_path):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from app import build
    from bot.settings import load_settings

    server = FakeSocketModeServer().start()
    fake_slack.socket_mode_url = f"ws://127.0.0.1:{server.port}/link"
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-socket",
            "SLACK_APP_TOKEN": "xapp-1-A0001-socket",
            "SLACK_API_URL": fake_slack.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'nudge.db'}",
        }
    )
    assert settings.socket_mode and settings.slack_signing_secret is None
    assembled = build(settings)
    handler = SocketModeHandler(assembled.bolt, settings.slack_app_token)
    try:
        handler.connect()
        wait_until(lambda: server.connections == 1, timeout=10)
        envelope_id = str(uuid.uuid4())
        server.send(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "token": "x",
                    "team_id": "T0001",
                    "team_domain": "test",
                    "channel_id": "DSOCK0001",
                    "channel_name": "directmessage",
                    "user_id": "USOCK0001",
                    "user_name": "sock",
                    "command": "/nudge",
                    "text": "join",
                    "api_app_id": "A0001",
                    "response_url": fake_slack.response_url_for("sock"),
                    "trigger_id": "1.2.3",
                },
            }
        )
        ack = wait_until(
            lambda: next((a for a in server.acks if a.get("envelope_id") == envelope_id), None), timeout=10
        )
        assert "You're in" in ack["payload"]["text"]
        opens = fake_slack.calls_to("apps.connections.open")
        assert opens and opens[0].headers["authorization"].startswith("Bearer xapp-")
        assert assembled.services.consent.status("USOCK0001").value == "opted_in"
        # Health checks and scrapes reach /healthz and /metrics on PORT; Slack's path is not served.
        probes = assembled.serve_probes(host="127.0.0.1", port=0)
        threading.Thread(target=probes.run, daemon=True).start()
        base = f"http://127.0.0.1:{probes.effective_port}"
        health = get(f"{base}/healthz")
        assert health.status == 200 and health.json()["database"] == "up"
        scraped = get(f"{base}/metrics")
        assert scraped.status == 200
        assert 'nudge_consent_events_total{action="granted"} 1.0' in scraped.body.decode()
        assert 'nudge_ack_seconds_count{kind="command"} 1.0' in scraped.body.decode()
        assert post(f"{base}/slack/events", b"{}", "application/json").status == 404
    finally:
        handler.close()
        assembled.shutdown()
        server.stop()


def test_socket_mode_healthz_says_how_the_sender_process_is(fake_slack, tmp_path):
    """Probes on PORT in Socket Mode tell the sender's state as HTTP mode's /healthz does."""
    from app import build
    from bot.entry.apart import Part, Role, SenderLink
    from bot.settings import load_settings

    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-socket",
            "SLACK_APP_TOKEN": "xapp-1-A0001-socket",
            "SLACK_API_URL": fake_slack.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'nudge.db'}",
        }
    )
    link = SenderLink()
    assembled = build(settings, part=Part(Role.SERVE, link=link))
    try:
        probes = assembled.serve_probes(host="127.0.0.1", port=0)
        threading.Thread(target=probes.run, daemon=True).start()
        base = f"http://127.0.0.1:{probes.effective_port}"
        link.state = "running"
        assert get(f"{base}/healthz").json()["sender"] == "running"
        link.state = "restarting"
        assert get(f"{base}/healthz").json()["sender"] == "restarting"
    finally:
        assembled.shutdown()
        link.close()

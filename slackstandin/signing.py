"""Requests into the app, shaped and signed exactly as Slack sends them.

Shapes follow ../shared/slack-reference/payloads/http/: slash commands and interactions are
form-encoded (`payload=` for interactions), events are `event_callback` JSON. Signatures are
`v0=` HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from slackstandin import interactions

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
_counter = itertools.count(1)


def sign(body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body)


def post(url: str, body: bytes, content_type: str, headers: dict | None = None, timeout: float = 15) -> Reply:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))


def get(url: str, timeout: float = 15) -> Reply:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))


def slash_command_body(*, text: str, user_id: str, command: str = "/nudge", response_url: str) -> bytes:
    fields = {
        "token": "verification_token",
        "team_id": TEAM_ID,
        "team_domain": "test-domain",
        "channel_id": "D" + user_id[1:],
        "channel_name": "directmessage",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0001",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_counter)}.111.trigger",
    }
    return urllib.parse.urlencode(fields).encode()


def event_callback_body(event: dict, *, event_id: str | None = None) -> bytes:
    envelope = {
        "token": "verification_token",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_counter):010d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6Im1lc3NhZ2UifQ",
    }
    return json.dumps(envelope).encode()


def im_message_event(*, user_id: str, text: str, ts: str | None = None, **extra) -> dict:
    ts = ts or f"{int(time.time())}.{next(_counter):06d}"
    event = {
        "type": "message",
        "channel": "D" + user_id[1:],
        "user": user_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
    }
    event.update(extra)
    return event


def block_actions_body(
    *, user_id: str, action_id: str, value: str, response_url: str, container: dict | None = None
) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "verification_token",
        "container": container
        or {"type": "message", "message_ts": "111.222", "channel_id": "D" + user_id[1:], "is_ephemeral": True},
        "trigger_id": f"{next(_counter)}.222.valid",
        "team": {"id": TEAM_ID, "domain": "test-domain"},
        "channel": {"id": "D" + user_id[1:], "name": "directmessage"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Button", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


class SlackSender:
    """Posts signed requests to a running app's `/slack/events`."""

    def __init__(self, base_url: str, fake_slack, secret: str = SIGNING_SECRET, command: str = "/nudge"):
        self.base_url = base_url.rstrip("/")
        self.fake = fake_slack
        self.secret = secret
        self.command_name = command

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    def send(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        extra_headers: dict | None = None,
    ) -> Reply:
        headers = sign(body, secret=secret or self.secret, timestamp=timestamp)
        headers.update(extra_headers or {})
        trigger = interactions.trigger_of(body) if content_type.startswith("application/x-www") else None
        if trigger:
            self.fake.issued_trigger(trigger)  # views.open must use it within Slack's 3 s
        reply = post(self.events_url, body, content_type, headers)
        if reply.status == 200 and reply.body.lstrip().startswith(b"{"):
            try:
                answer = json.loads(reply.body)
            except ValueError:
                answer = None
            self.fake.check_ack(answer)  # Slack refuses an ack whose blocks or view it would reject
        return reply

    def command(self, text: str, *, user_id: str, **kwargs) -> Reply:
        body = slash_command_body(
            text=text,
            user_id=user_id,
            command=self.command_name,
            response_url=self.fake.response_url_for(f"cmd-{next(_counter)}"),
        )
        return self.send(body, "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict, *, event_id: str | None = None, **kwargs) -> Reply:
        return self.send(event_callback_body(event, event_id=event_id), "application/json", **kwargs)

    def submit_view(
        self, *, user_id: str, callback_id: str, values: dict, private_metadata: str = "", **kwargs
    ) -> Reply:
        body = view_submission_body(
            user_id=user_id, callback_id=callback_id, values=values, private_metadata=private_metadata
        )
        return self.send(body, "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, body: bytes, **kwargs) -> Reply:
        """Any `payload=` interaction built with `slackstandin.interactions`."""
        return self.send(body, "application/x-www-form-urlencoded", **kwargs)

    def home_click(self, *, user_id: str, action_id: str, value: str, **kwargs) -> Reply:
        return self.send(
            home_click_body(user_id=user_id, action_id=action_id, value=value),
            "application/x-www-form-urlencoded",
            **kwargs,
        )

    def click(
        self,
        *,
        user_id: str,
        action_id: str,
        value: str,
        response_key: str | None = None,
        container: dict | None = None,
        **kwargs,
    ) -> Reply:
        key = response_key or f"act-{next(_counter)}"
        body = block_actions_body(
            user_id=user_id,
            action_id=action_id,
            value=value,
            response_url=self.fake.response_url_for(key),
            container=container,
        )
        return self.send(body, "application/x-www-form-urlencoded", **kwargs)


def view_submission_body(
    *, user_id: str, callback_id: str, values: dict, view_id: str = "V0PREFS1", private_metadata: str = ""
) -> bytes:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "test-domain"},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "verification_token",
        "trigger_id": f"{next(_counter)}.333.trigger",
        "view": {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": "156772938.1827394",
            "title": {"type": "plain_text", "text": "Your preferences"},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": "A0001",
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": "BBOT",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def app_home_opened_event(*, user_id: str, tab: str = "home") -> dict:
    return {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D" + user_id[1:],
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }


def member_joined_channel_event(*, user_id: str, channel: str) -> dict:
    return {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": channel,
        "channel_type": "C",
        "team": TEAM_ID,
        "inviter": "UINVITER1",
        "event_ts": f"{time.time():.6f}",
    }


def home_click_body(*, user_id: str, action_id: str, value: str) -> bytes:
    """A button click on the App Home tab: the container is the view, there is no response_url."""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "verification_token",
        "container": {"type": "view", "view_id": "VHOME0001"},
        "trigger_id": f"{next(_counter)}.444.trigger",
        "team": {"id": TEAM_ID, "domain": "test-domain"},
        "view": {
            "id": "VHOME0001",
            "type": "home",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            "hash": "1.2",
            "app_id": "A0001",
            "team_id": TEAM_ID,
            "bot_id": "BBOT",
        },
        "actions": [
            {
                "action_id": action_id,
                "block_id": "home_actions",
                "text": {"type": "plain_text", "text": "Button", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()

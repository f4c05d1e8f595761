"""Interaction payloads beyond a button click, shaped as Slack sends them (form-encoded
`payload=`), after ../shared/slack-reference/payloads/: a message shortcut (`message_action`,
java-slack-sdk MessageShortcutPayload), a global shortcut (`shortcut`, socket_mode
envelope.interactive.shortcut), block actions from an overflow menu or a static select, in a
message or in a view (BlockActionPayload, envelope.interactive.block_actions.large_static_select),
and the `block_suggestion` an external select sends while the person types.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.parse

TEAM_ID = "T0001"
APP_ID = "A0001"
_counter = itertools.count(1)


def trigger_id() -> str:
    return f"{next(_counter)}.555.{int(time.time())}"


def _user(user_id: str) -> dict:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def _form(payload: dict) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def message_shortcut_body(
    *, user_id: str, callback_id: str, channel_id: str, message: dict, response_url: str
) -> bytes:
    """*Invite to a conversation* chosen from a message's menu: the message, its channel, and a
    `response_url` for answering in that channel."""
    return _form(
        {
            "type": "message_action",
            "token": "verification_token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM_ID, "domain": "test-domain"},
            "user": {"id": user_id, "name": user_id.lower(), "team_id": TEAM_ID},
            "channel": {"id": channel_id, "name": "community"},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": trigger_id(),
            "response_url": response_url,
            "message_ts": message.get("ts", ""),
            "message": {"type": "message", **message},
        }
    )


def global_shortcut_body(*, user_id: str, callback_id: str) -> bytes:
    """A shortcut from the composer or search: no channel, no message, no `response_url`."""
    return _form(
        {
            "type": "shortcut",
            "token": "verification_token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM_ID, "domain": "test-domain"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": trigger_id(),
        }
    )


def overflow_action(*, action_id: str, block_id: str, value: str, text: str = "Option") -> dict:
    return {
        "type": "overflow",
        "action_id": action_id,
        "block_id": block_id,
        "selected_option": {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value},
        "action_ts": f"{time.time():.6f}",
    }


def static_select_action(*, action_id: str, block_id: str, value: str, text: str = "Option") -> dict:
    return {
        "type": "static_select",
        "action_id": action_id,
        "block_id": block_id,
        "selected_option": {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value},
        "placeholder": {"type": "plain_text", "text": "Choose", "emoji": True},
        "action_ts": f"{time.time():.6f}",
    }


def button_action(*, action_id: str, block_id: str, value: str, text: str = "Button") -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "value": value,
        "action_ts": f"{time.time():.6f}",
    }


def actions_body(*, user_id: str, action: dict, view: dict | None = None, response_url: str | None = None) -> bytes:
    """One block action: in a view (App Home or a modal: the view, no `response_url`) or in a
    DM message (the container names it and a `response_url` replaces it)."""
    payload: dict = {
        "type": "block_actions",
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "verification_token",
        "trigger_id": trigger_id(),
        "team": {"id": TEAM_ID, "domain": "test-domain"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view["id"]}
        payload["view"] = view
    else:
        channel = "D" + user_id[1:]
        payload["container"] = {"type": "message", "message_ts": "111.222", "channel_id": channel, "is_ephemeral": True}
        payload["channel"] = {"id": channel, "name": "directmessage"}
        payload["response_url"] = response_url
    return _form(payload)


def block_suggestion_body(*, user_id: str, action_id: str, block_id: str, value: str, view: dict) -> bytes:
    """What an external select sends while the person types `value` into it."""
    return _form(
        {
            "type": "block_suggestion",
            "user": _user(user_id),
            "container": {"type": "view", "view_id": view["id"]},
            "api_app_id": APP_ID,
            "token": "verification_token",
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "team": {"id": TEAM_ID, "domain": "test-domain"},
            "enterprise": None,
            "is_enterprise_install": False,
            "view": view,
        }
    )


def trigger_of(body: bytes) -> str | None:
    """The `trigger_id` a request carries (form field or inside `payload`), if any."""
    fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    if "trigger_id" in fields:
        return fields["trigger_id"][0]
    if "payload" in fields:
        try:
            return json.loads(fields["payload"][0]).get("trigger_id")
        except ValueError:
            return None
    return None

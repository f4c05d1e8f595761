"""The stand-in's shortcut, select and overflow payloads have the shape of Slack's own samples
in ../shared/slack-reference/payloads/ (field names at each level; values are the test's)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest

from slackstandin import interactions

PAYLOADS = Path(__file__).resolve().parents[2].parent / "shared" / "slack-reference" / "payloads"


def sample(path: str) -> dict:
    assert (PAYLOADS / path).is_file(), f"{path} is not in the shared Slack reference"
    data = json.loads((PAYLOADS / path).read_text())
    return data.get("payload", data)


def sent(body: bytes) -> dict:
    return json.loads(urllib.parse.parse_qs(body.decode())["payload"][0])


def test_message_shortcut_has_exactly_slacks_fields():
    reference = sample("shapes_java_slack_sdk/app_backend/MessageShortcutPayload.json")
    ours = sent(
        interactions.message_shortcut_body(
            user_id="U1",
            callback_id="nudge_invite_author",
            channel_id="C1",
            message={"user": "U2", "ts": "1.2", "text": "hi"},
            response_url="https://x",
        )
    )
    assert set(ours) == set(reference)
    assert set(ours["user"]) == set(reference["user"]) and set(ours["channel"]) == set(reference["channel"])
    assert set(ours["message"]) <= set(reference["message"])
    assert ours["type"] == "message_action" and ours["message_ts"] == ours["message"]["ts"]


def test_global_shortcut_has_exactly_slacks_fields():
    reference = sample("socket_mode/envelope.interactive.shortcut.json")
    ours = sent(interactions.global_shortcut_body(user_id="U1", callback_id="nudge_new_role"))
    assert set(ours) == set(reference) and set(ours["user"]) == set(reference["user"])
    assert ours["type"] == "shortcut" and "response_url" not in ours and "channel" not in ours


@pytest.mark.parametrize(
    "action",
    [
        interactions.overflow_action(action_id="a", block_id="b", value="pipeline:1"),
        interactions.static_select_action(action_id="a", block_id="b", value="1:U1:offer"),
        interactions.button_action(action_id="a", block_id="b", value="1:U1"),
    ],
)
def test_block_actions_in_a_view_or_a_message_use_slacks_fields(action):
    reference = sample("shapes_java_slack_sdk/app_backend/BlockActionPayload.json")
    view = {"id": "V1", "type": "modal", "blocks": [], "hash": "1.2"}
    for body in (
        interactions.actions_body(user_id="U1", action=action, view=view),
        interactions.actions_body(user_id="U1", action=action, response_url="https://x"),
    ):
        ours = sent(body)
        assert set(ours) <= set(reference)
        assert set(ours["container"]) <= set(reference["container"])
        assert set(ours["actions"][0]) <= set(reference["actions"][0])
    large = sample("socket_mode/envelope.interactive.block_actions.large_static_select.json")
    assert set(sent(interactions.actions_body(user_id="U1", action=action, view=view))) <= set(large)

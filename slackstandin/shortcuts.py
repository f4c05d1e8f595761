"""The Slack client's side of shortcuts and of the #community channel, for the demo workspace.

The app's shortcuts are read from `manifest.yml` (as Slack reads them when the app is
installed): message shortcuts appear in each channel message's "More actions" menu, global
shortcuts in the composer's shortcut menu. Choosing one sends the app the payload Slack sends
(`slackstandin.interactions`), with a trigger the page's person may open a modal with.
Select menus whose options come from the app (`external_select`) are filled by asking the app
with `block_suggestion`, as Slack does while the person types.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from slackstandin import interactions
from slackstandin.signing import SlackSender

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


def app_shortcuts(path: Path = MANIFEST) -> list[dict]:
    """`features.shortcuts` of the app's manifest ([] without one)."""
    if not path.is_file():
        return []
    manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [dict(s) for s in (manifest.get("features") or {}).get("shortcuts") or []]


def seed_messages(people: dict, channel_id: str, next_ts) -> list[dict]:
    """A few things candidates said in #community, so a recruiter has messages to act on."""
    said = {
        "UAMARA": "Shipped the new payments API today: Python, FastAPI and a lot of patience. Happy to share notes!",
        "UKENJI": "Does anyone have a favourite resource on streaming pipelines? Reading up on Kafka vs. Flink.",
    }
    return [
        {"type": "message", "user": user, "text": text, "ts": next_ts(), "team": "T0001", "channel": channel_id}
        for user, text in said.items()
        if user in people
    ]


def message_shortcut_body(*, user_id: str, callback_id: str, channel_id: str, message: dict, response_url: str):
    kept = {k: v for k, v in message.items() if k in ("type", "user", "text", "ts", "team", "blocks")}
    return interactions.message_shortcut_body(
        user_id=user_id, callback_id=callback_id, channel_id=channel_id, message=kept, response_url=response_url
    )


def global_shortcut_body(*, user_id: str, callback_id: str) -> bytes:
    return interactions.global_shortcut_body(user_id=user_id, callback_id=callback_id)


def fill_external_selects(sender: SlackSender, user_id: str, view: dict) -> dict:
    """The view with each `external_select` given the options the app suggests for an empty
    query (Slack shows them when the menu opens); the page renders them like a static select."""
    shown = copy.deepcopy(view)
    for block in shown.get("blocks") or []:
        element = block.get("element") if block.get("type") == "input" else None
        if not isinstance(element, dict) or element.get("type") != "external_select":
            continue
        body = interactions.block_suggestion_body(
            user_id=user_id,
            action_id=element.get("action_id", ""),
            block_id=block.get("block_id", ""),
            value="",
            view=view,
        )
        reply = sender.interaction(body)
        answer: Any = json.loads(reply.body) if reply.status == 200 and reply.body.strip() else {}
        element["options"] = (answer or {}).get("options") or []
    return shown


def user_select_state(kind: str, given: Any) -> dict:
    """`state.values` entry of a users select, as Slack builds it."""
    if kind == "multi_users_select":
        chosen = [str(u) for u in given] if isinstance(given, list) else ([str(given)] if given else [])
        return {"type": kind, "selected_users": chosen}
    return {"type": kind, "selected_user": str(given) if given else None}

"""A pretend Slack workspace around the fake Web API: people, their DMs with the bot, their App
Home tabs and open modals, and the Slack client's side of every click and keystroke.

Why: `python app.py demo` shows the real bot's whole journey in a browser. Whatever a person does
on the page becomes the request Slack itself would send the bot — a slash command form body,
an `event_callback` JSON, a `payload=` interaction — signed with the signing secret the demo
shares with the bot (`slackstandin.signing.SlackSender`). Whatever the bot answers (Web API
calls, response_url replies, acks) lands in the fake's state, which the page reads as JSON.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slackstandin import shortcuts
from slackstandin.interactions import trigger_of
from slackstandin.signing import (
    TEAM_ID,
    SlackSender,
    app_home_opened_event,
    im_message_event,
    member_joined_channel_event,
    slash_command_body,
)
from slackstandin.webapi import APP_ID, BOT_ID, BOT_USER_ID, FakeSlack, view_problems

COMMUNITY_CHANNEL = "C0COMMUNITY"
COMMUNITY_NAME = "community"


@dataclass(frozen=True)
class Person:
    id: str
    name: str  # Slack's username, typed as @name
    real_name: str
    title: str
    tz: str
    role: str  # "admin", "recruiter" or "candidate" (how the demo configures Nudge, not Slack)
    locale: str = "en-US"  # users.info's `locale` (Nudge speaks en, de, fr, es; others fall back)


PEOPLE = (
    Person("URITA", "rita", "Rita Ortega", "Head of Talent", "Europe/Berlin", "admin"),
    Person("USAM", "sam", "Sam Whitfield", "Technical Recruiter", "Europe/London", "recruiter"),
    Person("UAMARA", "amara", "Amara Okafor", "Senior Backend Engineer", "Africa/Lagos", "candidate"),
    Person("UKENJI", "kenji", "Kenji Sato", "Data Engineer", "Asia/Tokyo", "candidate", "ja-JP"),
    Person("ULUCIA", "lucia", "Lucía Méndez", "Product Designer", "America/Mexico_City", "candidate", "es-LA"),
)


def dm_of(user_id: str) -> str:
    return "D" + user_id[1:]


def _interaction_envelope(person) -> dict:
    """The fields every interactive payload carries, as Slack sends them: who, which team and app."""
    return {
        "team": {"id": TEAM_ID, "domain": "nudge-demo"},
        "user": {"id": person.id, "username": person.name, "name": person.name, "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification_token",
    }


class LiveSlack(FakeSlack):
    """The fake with wall-clock message timestamps (as Slack's are): the page shows times, and
    reconciliation reads DM history from the time of a post attempt."""

    def __init__(self, spec_path=None):
        super().__init__(spec_path)
        self.clock = lambda: datetime.now(UTC)


class Workspace:
    """People, and the Slack client's behaviour for each of them, on top of a running fake."""

    def __init__(self, fake: FakeSlack, people: tuple[Person, ...] = PEOPLE):
        self.fake = fake
        self.people = {p.id: p for p in people}
        self.by_name = {p.name: p for p in people}
        self.sender: SlackSender | None = None
        self.command = "/nudge"
        self.ephemerals: dict[str, list[dict]] = {p.id: [] for p in people}  # shown "only visible to you"
        self.modal_errors: dict[str, dict] = {}  # view id -> {block_id: error} from response_action=errors
        self._targets: dict[str, dict] = {}  # response_url key -> what it answers
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        for p in people:
            fake.users[p.id] = {
                "name": p.name,
                "real_name": p.real_name,
                "tz": p.tz,
                "locale": p.locale,
                "profile": {"real_name": p.real_name, "display_name": p.name, "title": p.title},
            }
        fake.response_hook = self._on_response
        self.shortcuts = shortcuts.app_shortcuts()
        self._suggested: dict[str, list[dict]] = {}  # view id -> options the app suggested
        fake._channels[COMMUNITY_CHANNEL] = shortcuts.seed_messages(self.people, COMMUNITY_CHANNEL, fake._next_ts)

    def attach(self, sender: SlackSender) -> None:
        self.sender = sender
        self.command = sender.command_name

    # ---- what a person sees ------------------------------------------------

    def state(self, user_id: str) -> dict:
        """Everything the page shows for one person, as JSON-ready data."""
        person = self._person(user_id)
        fake = self.fake
        with fake._lock, self._lock:
            items: list[dict] = []
            for msg in fake._channels.get(dm_of(person.id), []):
                mine = msg.get("user") == person.id
                items.append(
                    {
                        "kind": "message",
                        "ts": msg["ts"],
                        "from": "me" if mine else "bot",
                        "text": msg.get("text", ""),
                        "blocks": msg.get("blocks") or [],
                        "edited": "edited" in msg,
                    }
                )
            for f in fake.files.values():
                if dm_of(person.id) in f.get("channels", []) and f.get("shared_ts"):
                    items.append(
                        {
                            "kind": "file",
                            "ts": f["shared_ts"],
                            "from": "bot",
                            "text": f.get("initial_comment") or "",
                            "file": {
                                "id": f["id"],
                                "name": f["name"],
                                "title": f.get("title") or f["name"],
                                "size": len(fake.uploads.get(f["id"], b"")),
                            },
                        }
                    )
            for eph in self.ephemerals[person.id]:
                items.append({"kind": "ephemeral", **copy.deepcopy(eph)})
            items.sort(key=lambda item: float(item["ts"]))
            home = fake.home_tabs.get(person.id)
            stack = fake.modal_stacks.get(person.id, [])
            modal = None
            if stack:
                modal = copy.deepcopy(fake.views[stack[-1]])
                modal["errors"] = self.modal_errors.get(modal["id"], {})
            return {
                "me": person.id,
                "people": [
                    {"id": p.id, "name": p.name, "real_name": p.real_name, "title": p.title, "tz": p.tz, "role": p.role}
                    for p in self.people.values()
                ],
                "names": {**{p.id: p.real_name for p in self.people.values()}, BOT_USER_ID: "Nudge"},
                "channels": {COMMUNITY_CHANNEL: COMMUNITY_NAME},
                "command": self.command,
                "dm": items,
                "home": copy.deepcopy(home),
                "modal": modal,
                "modal_depth": len(stack),
                "violations": list(fake.violations),
                "community": [
                    {"ts": m["ts"], "user": m.get("user"), "text": m.get("text", "")}
                    for m in fake._channels.get(COMMUNITY_CHANNEL, [])
                ],
                "shortcuts": copy.deepcopy(self.shortcuts),
            }

    def file_bytes(self, user_id: str, file_id: str) -> tuple[str, bytes] | None:
        """A file the bot shared in this person's DM (its name and bytes), else None."""
        person = self._person(user_id)
        with self.fake._lock:
            f = self.fake.files.get(file_id)
            if f is None or dm_of(person.id) not in f.get("channels", []) or file_id not in self.fake.uploads:
                return None
            return f["name"], self.fake.uploads[file_id]

    def with_suggestions(self, user_id: str, shown: dict) -> dict:
        """The open modal with its external selects' options asked from the app (outside the
        locks: the app answers over HTTP)."""
        modal = shown.get("modal")
        if modal and any((b.get("element") or {}).get("type") == "external_select" for b in modal["blocks"]):
            filled = shortcuts.fill_external_selects(self._sender(), user_id, modal)
            for block in filled["blocks"]:
                if (block.get("element") or {}).get("type") == "external_select":
                    self._suggested[modal["id"]] = block["element"]["options"]
            shown["modal"] = filled
        return shown

    # ---- what a person does -------------------------------------------------

    def post(self, user_id: str, text: str) -> dict:
        """A message in #community (the bot is not subscribed to channel messages)."""
        person = self._person(user_id)
        if not text.strip():
            return {"ok": False, "error": "Type a message first."}
        with self.fake._lock:
            self.fake._channels.setdefault(COMMUNITY_CHANNEL, []).append(
                {
                    "type": "message",
                    "user": person.id,
                    "text": self.encode_typed(text.strip()),
                    "ts": self.fake._next_ts(),
                }
            )
        return {"ok": True}

    def message_shortcut(self, user_id: str, ts: str, callback_id: str) -> dict:
        """A message shortcut chosen from a #community message's "More actions" menu."""
        person = self._person(user_id)
        if not any(s.get("type") == "message" and s.get("callback_id") == callback_id for s in self.shortcuts):
            return {"ok": False, "error": "This app has no such shortcut."}
        with self.fake._lock:
            message = next((m for m in self.fake._channels.get(COMMUNITY_CHANNEL, []) if m["ts"] == ts), None)
        if message is None:
            return {"ok": False, "error": "That message is no longer there."}
        key = self._target({"user": person.id, "kind": "command"})
        body = shortcuts.message_shortcut_body(
            user_id=person.id,
            callback_id=callback_id,
            channel_id=COMMUNITY_CHANNEL,
            message=message,
            response_url=self.fake.response_url_for(key),
        )
        return self._interact(person.id, body)

    def global_shortcut(self, user_id: str, callback_id: str) -> dict:
        """A global shortcut chosen from the composer's shortcut menu."""
        person = self._person(user_id)
        if not any(s.get("type") == "global" and s.get("callback_id") == callback_id for s in self.shortcuts):
            return {"ok": False, "error": "This app has no such shortcut."}
        return self._interact(person.id, shortcuts.global_shortcut_body(user_id=person.id, callback_id=callback_id))

    def _interact(self, user_id: str, body: bytes) -> dict:
        trigger = trigger_of(body)
        if trigger:
            with self.fake._lock:
                self.fake.triggers[trigger] = user_id  # a modal opened with it shows to this person
        reply = self._sender().interaction(body)
        self._apply_ack_message(user_id, reply)
        return {"ok": reply.status == 200}

    def say(self, user_id: str, text: str) -> dict:
        """Typed into the DM box: a slash command when it starts with '/', else a DM to the bot."""
        person = self._person(user_id)
        text = text.strip()
        if not text:
            return {"ok": False, "error": "Type a message or a command first."}
        if text.startswith("/"):
            name, _, rest = text.partition(" ")
            if name != self.command:
                return {"ok": False, "error": f"{name} is not a command in this workspace; try {self.command} help."}
            return self.slash_command(person.id, rest.strip())
        encoded = self.encode_typed(text)
        ts = self.fake._next_ts()
        with self.fake._lock:
            self.fake._channels.setdefault(dm_of(person.id), []).append(
                {"type": "message", "user": person.id, "text": encoded, "ts": ts, "team": TEAM_ID}
            )
        reply = self._sender().event(im_message_event(user_id=person.id, text=encoded, ts=ts))
        return {"ok": reply.status == 200}

    def slash_command(self, user_id: str, text: str) -> dict:
        person = self._person(user_id)
        key = self._target({"user": person.id, "kind": "command"})
        sender = self._sender()
        encoded = self.encode_typed(text)
        self._note(person.id, f"You used `{self.command} {encoded}`" if encoded else f"You used `{self.command}`")
        body = slash_command_body(
            text=encoded, user_id=person.id, command=self.command, response_url=self.fake.response_url_for(key)
        )
        reply = sender.send(body, "application/x-www-form-urlencoded")
        self._apply_ack_message(person.id, reply)
        return {"ok": reply.status == 200}

    def join_community(self, user_id: str) -> dict:
        person = self._person(user_id)
        self._note(person.id, f"You joined #{COMMUNITY_NAME}")
        reply = self._sender().event(member_joined_channel_event(user_id=person.id, channel=COMMUNITY_CHANNEL))
        return {"ok": reply.status == 200}

    def open_tab(self, user_id: str, tab: str) -> dict:
        person = self._person(user_id)
        event = app_home_opened_event(user_id=person.id, tab="home" if tab == "home" else "messages")
        home = self.fake.home_tabs.get(person.id)
        if tab == "home" and home:
            event["view"] = copy.deepcopy(home)
        reply = self._sender().event(event)
        return {"ok": reply.status == 200}

    def click(self, user_id: str, where: dict, block_index: int, action_id: str, selected: Any = None) -> dict:
        """A button or a select in a message, an ephemeral, the Home tab or a modal."""
        person = self._person(user_id)
        blocks, container, extra = self._surface(person, where)
        if block_index < 0 or block_index >= len(blocks):
            return {"ok": False, "error": "That message has changed; try again."}
        block = blocks[block_index]
        element = self._element(block, action_id)
        if element is None:
            return {"ok": False, "error": "That button is no longer there."}
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block.get("block_id") or f"blk{block_index}",
            "type": element.get("type"),
            "action_ts": f"{time.time():.6f}",
        }
        if element.get("type") == "button":
            action["text"] = element.get("text")
            if "value" in element:
                action["value"] = element["value"]
            if element.get("style"):
                action["style"] = element["style"]
        elif element.get("type") in ("static_select", "radio_buttons", "overflow"):
            option = self._option(element, selected)
            if option is None:
                return {"ok": False, "error": "Pick one of the options."}
            action["selected_option"] = option
        elif element.get("type") in ("multi_static_select", "checkboxes"):
            chosen = selected if isinstance(selected, list) else []
            action["selected_options"] = [o for o in (self._option(element, v) for v in chosen) if o]
        trigger = self._trigger(person.id)
        payload = {
            "type": "block_actions",
            **_interaction_envelope(person),
            "container": container,
            "trigger_id": trigger,
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [action],
            **extra,
        }
        reply = self._sender().send(_form(payload), "application/x-www-form-urlencoded")
        return {"ok": reply.status == 200}

    def submit(self, user_id: str, view_id: str, values: dict) -> dict:
        """A modal's submit button: `view_submission` with the inputs' state as Slack builds it."""
        person = self._person(user_id)
        view = self._modal(person.id, view_id)
        if view is None:
            return {"ok": False, "error": "That form is no longer open."}
        state = self._state_values(view, values)
        submitted = copy.deepcopy(view)
        submitted.pop("errors", None)
        submitted["state"] = {"values": state}
        payload = {
            "type": "view_submission",
            **_interaction_envelope(person),
            "trigger_id": self._trigger(person.id),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        reply = self._sender().send(_form(payload), "application/x-www-form-urlencoded")
        if reply.status != 200:
            return {"ok": False, "error": f"Nudge answered HTTP {reply.status}."}
        answer = _json_or_none(reply.body)
        action = (answer or {}).get("response_action")
        stacks = self.fake.modal_stacks
        with self.fake._lock, self._lock:
            stack = stacks.setdefault(person.id, [])
            if action == "errors":
                self.modal_errors[view_id] = dict(answer.get("errors") or {})
            elif action == "update" and isinstance(answer.get("view"), dict):
                if not view_problems(answer["view"]):
                    self._replace_view(view_id, answer["view"])
                self.modal_errors.pop(view_id, None)
            elif action == "push" and isinstance(answer.get("view"), dict):
                new_id = self._new_view(answer["view"])
                stack.append(new_id)
            elif action == "clear":
                stack.clear()
            elif view_id in stack:
                stack.remove(view_id)
        return {"ok": True}

    def close(self, user_id: str, view_id: str) -> dict:
        """Cancel/close: the modal goes away (`view_closed` is sent when the view asked for it)."""
        person = self._person(user_id)
        view = self._modal(person.id, view_id)
        with self.fake._lock:
            stack = self.fake.modal_stacks.get(person.id, [])
            if view_id in stack:
                stack.remove(view_id)
        if view and view.get("notify_on_close"):
            payload = {
                "type": "view_closed",
                **_interaction_envelope(person),
                "view": view,
                "is_cleared": False,
            }
            self._sender().send(_form(payload), "application/x-www-form-urlencoded")
        return {"ok": True}

    # ---- how Slack turns typing into text ------------------------------------

    def encode_typed(self, text: str) -> str:
        """What Slack sends for typed text (commands have `should_escape: true`): &, <, > escaped,
        @name → <@U…|name>, #community → <#C…|community>, bare links → <https://…>."""
        out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def mention(match: re.Match) -> str:
            person = self.by_name.get(match.group(1).lower())
            return f"<@{person.id}|{person.name}>" if person else match.group(0)

        out = re.sub(r"(?<![\w<])@([A-Za-z][\w.-]*)", mention, out)
        out = re.sub(rf"(?<![\w<])#{COMMUNITY_NAME}\b", f"<#{COMMUNITY_CHANNEL}|{COMMUNITY_NAME}>", out)
        out = re.sub(r"(?<![<|\w])(https?://[^\s<>|]+)", r"<\1>", out)
        return out

    # ---- the bot's answers that are not Web API calls -----------------------

    def _apply_ack_message(self, user_id: str, reply) -> None:
        """A slash command or button ack with a body is shown to that person only."""
        if reply.status != 200:
            self._note(user_id, f"Nudge answered HTTP {reply.status}; Slack would show an error.")
            return
        answer = _json_or_none(reply.body)
        if isinstance(answer, dict) and (answer.get("text") or answer.get("blocks")):
            if answer.get("response_type") == "in_channel":
                self._post_as_bot(user_id, answer)
            else:
                self._add_ephemeral(user_id, answer)

    def _on_response(self, key: str, body: dict, decoded: dict) -> None:
        """A response_url reply, already checked by the fake: apply it as Slack would."""
        with self._lock:
            target = self._targets.get(key)
        if target is None:
            return
        message = {
            k: v for k, v in body.items() if k in ("text", "response_type", "replace_original", "delete_original")
        }
        if "blocks" in decoded:
            message["blocks"] = decoded["blocks"]
        user_id = target["user"]
        replace = _truthy(body.get("replace_original"))
        delete = _truthy(body.get("delete_original"))
        kind = target["kind"]
        with self.fake._lock, self._lock:
            if kind == "ephemeral" and (replace or delete):
                items = self.ephemerals[user_id]
                for i, eph in enumerate(items):
                    if eph["id"] == target["id"]:
                        if delete:
                            items.pop(i)
                        else:
                            items[i] = {
                                **eph,
                                "text": message.get("text", ""),
                                "blocks": message.get("blocks", []),
                                "edited": True,
                            }
                        return
            if kind == "message" and (replace or delete):
                for msg in self.fake._channels.get(dm_of(user_id), []):
                    if msg["ts"] == target["ts"]:
                        if delete:
                            self.fake._channels[dm_of(user_id)].remove(msg)
                        else:
                            msg["text"] = message.get("text", "")
                            msg["blocks"] = message.get("blocks", [])
                            msg["edited"] = {"user": BOT_USER_ID, "ts": self.fake._next_ts()}
                        return
            if delete:
                return
            if body.get("response_type") == "in_channel":
                self._post_as_bot(user_id, message)
            else:
                self._add_ephemeral(user_id, message)

    def _post_as_bot(self, user_id: str, message: dict) -> None:
        ts = self.fake._next_ts()
        with self.fake._lock:
            self.fake._channels.setdefault(dm_of(user_id), []).append(
                {
                    "type": "message",
                    "user": BOT_USER_ID,
                    "bot_id": BOT_ID,
                    "text": message.get("text", ""),
                    "blocks": message.get("blocks") or [],
                    "ts": ts,
                }
            )

    def _add_ephemeral(self, user_id: str, message: dict) -> None:
        with self._lock:
            eph_id = f"E{next(self._ids)}"
            self.ephemerals[user_id].append(
                {
                    "id": eph_id,
                    "ts": self.fake._next_ts(),
                    "text": message.get("text", ""),
                    "blocks": message.get("blocks") or [],
                    "note": False,
                }
            )

    def _note(self, user_id: str, text: str) -> None:
        """A line of the page's own (what you just did), shown like Slack's grey system lines."""
        with self._lock:
            self.ephemerals[user_id].append(
                {"id": f"N{next(self._ids)}", "ts": self.fake._next_ts(), "text": text, "blocks": [], "note": True}
            )

    # ---- plumbing ---------------------------------------------------------------

    def _sender(self) -> SlackSender:
        if self.sender is None:
            raise RuntimeError("Workspace.attach(sender) first")
        return self.sender

    def _person(self, user_id: str) -> Person:
        try:
            return self.people[user_id]
        except KeyError:
            raise LookupError(f"no such person {user_id!r}") from None

    def _target(self, target: dict) -> str:
        with self._lock:
            key = f"demo-{next(self._ids)}"
            self._targets[key] = target
            return key

    def _trigger(self, user_id: str) -> str:
        trigger = f"{next(self._ids)}.{int(time.time())}.demo"
        with self.fake._lock:
            self.fake.triggers[trigger] = user_id
        return trigger

    def _surface(self, person: Person, where: dict) -> tuple[list, dict, dict]:
        """(blocks, container, extra payload fields) for what was clicked."""
        kind = where.get("kind")
        channel = dm_of(person.id)
        with self.fake._lock, self._lock:
            if kind == "message":
                msg = next((m for m in self.fake._channels.get(channel, []) if m["ts"] == where.get("ts")), None)
                if msg is None:
                    return [], {}, {}
                key = self._target({"user": person.id, "kind": "message", "ts": msg["ts"]})
                container = {"type": "message", "message_ts": msg["ts"], "channel_id": channel, "is_ephemeral": False}
                extra = {
                    "channel": {"id": channel, "name": "directmessage"},
                    "message": copy.deepcopy(msg),
                    "state": {"values": {}},
                    "response_url": self.fake.response_url_for(key),
                }
                return msg.get("blocks") or [], container, extra
            if kind == "ephemeral":
                eph = next((e for e in self.ephemerals[person.id] if e["id"] == where.get("id")), None)
                if eph is None:
                    return [], {}, {}
                key = self._target({"user": person.id, "kind": "ephemeral", "id": eph["id"]})
                container = {"type": "message", "message_ts": eph["ts"], "channel_id": channel, "is_ephemeral": True}
                extra = {
                    "channel": {"id": channel, "name": "directmessage"},
                    "state": {"values": {}},
                    "response_url": self.fake.response_url_for(key),
                }
                return eph.get("blocks") or [], container, extra
            if kind in ("home", "modal"):
                view = (
                    self.fake.home_tabs.get(person.id)
                    if kind == "home"
                    else self._modal(person.id, where.get("view_id"))
                )
                if view is None:
                    return [], {}, {}
                container = {"type": "view", "view_id": view["id"]}
                return view.get("blocks") or [], container, {"view": copy.deepcopy(view)}
        return [], {}, {}

    def _modal(self, user_id: str, view_id: str | None) -> dict | None:
        with self.fake._lock:
            if view_id in self.fake.modal_stacks.get(user_id, []):
                return copy.deepcopy(self.fake.views[view_id])
        return None

    def _replace_view(self, view_id: str, view: dict) -> None:
        old = self.fake.views[view_id]
        new = copy.deepcopy(view)
        for key in ("id", "team_id", "app_id", "bot_id", "root_view_id", "previous_view_id"):
            new[key] = old.get(key)
        new["hash"] = f"{int(time.time())}.{next(self._ids)}"
        new.setdefault("private_metadata", "")
        new.setdefault("callback_id", "")
        new["state"] = {"values": {}}
        self.fake.views[view_id] = new

    def _new_view(self, view: dict) -> str:
        view_id = f"VD{next(self._ids):07d}"
        new = copy.deepcopy(view)
        new.update(
            {
                "id": view_id,
                "team_id": TEAM_ID,
                "app_id": APP_ID,
                "bot_id": BOT_ID,
                "hash": f"{int(time.time())}.1",
                "state": {"values": {}},
            }
        )
        new.setdefault("private_metadata", "")
        new.setdefault("callback_id", "")
        self.fake.views[view_id] = new
        return view_id

    @staticmethod
    def _element(block: dict, action_id: str) -> dict | None:
        candidates: list[dict] = []
        if block.get("type") == "actions":
            candidates = block.get("elements") or []
        elif block.get("type") == "section" and block.get("accessory"):
            candidates = [block["accessory"]]
        elif block.get("type") == "input" and block.get("element"):
            candidates = [block["element"]]
        return next((e for e in candidates if isinstance(e, dict) and e.get("action_id") == action_id), None)

    @staticmethod
    def _option(element: dict, value: Any) -> dict | None:
        options = list(element.get("options") or [])
        for group in element.get("option_groups") or []:
            options += group.get("options") or []
        return next((copy.deepcopy(o) for o in options if o.get("value") == value), None)

    def _state_values(self, view: dict, values: dict) -> dict:
        """Slack's `view.state.values` for the inputs: {block_id: {action_id: {type, value…}}}."""
        state: dict[str, dict] = {}
        for index, block in enumerate(view.get("blocks") or []):
            if block.get("type") != "input" or not isinstance(block.get("element"), dict):
                continue
            element = block["element"]
            block_id = block.get("block_id") or f"blk{index}"
            action_id = element.get("action_id") or "value"
            given = (values.get(block_id) or {}).get(action_id)
            kind = element.get("type")
            entry: dict[str, Any] = {"type": kind}
            if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
                entry["value"] = given if isinstance(given, str) and given != "" else None
            elif kind in ("static_select", "radio_buttons"):
                entry["selected_option"] = self._option(element, given) if given else None
            elif kind in ("multi_static_select", "checkboxes"):
                entry["selected_options"] = [o for o in (self._option(element, v) for v in (given or [])) if o]
            elif kind in ("multi_users_select", "users_select"):
                entry = shortcuts.user_select_state(kind, given)
            elif kind == "external_select":
                suggested = {"options": self._suggested.get(view.get("id", ""), [])}
                entry["selected_option"] = self._option(suggested, given) if given else None
            else:
                entry["value"] = given
            state[block_id] = {action_id: entry}
        return state


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in {"1", "true", "yes"}


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return None


def _form(payload: dict) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"payload": json.dumps(payload)}).encode()


__all__ = ["COMMUNITY_CHANNEL", "PEOPLE", "LiveSlack", "Person", "Workspace", "dm_of"]

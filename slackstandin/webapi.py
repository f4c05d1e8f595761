"""A local fake of the Slack Web API, shared by the test suite and `python app.py demo`.

Why: the bot talks to Slack only through slack_sdk's ``WebClient`` (and bolt's
``respond()`` via response URLs).  Pointing ``WebClient(base_url=fake.url)`` at
this server lets tests run the real client code end to end, while every request
is checked against Slack's official OpenAPI spec (through its committed extract,
``slackstandin/methods.json``; see ``slackstandin.spec``) and slack_sdk's Block Kit
models.  Anything Slack would reject is recorded in ``fake.violations`` and
answered with an ``ok: false`` error, so a test fails loudly instead of passing
against behaviour real Slack would refuse.

Quick use::

    def test_something(fake_slack):                  # tests/support/fakeslack.py's fixture
        client = WebClient(token="xoxb-test", base_url=fake_slack.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake_slack.messages_in("C1")[0]["text"] == "hi"
        # the fixture calls fake_slack.assert_clean() at teardown

Block Kit is checked on every message, response_url reply and view (and on ack bodies the
test client hands to ``check_ack``) by ``block_kit_problems`` / ``message_problems`` /
``view_problems``: duplicate action_ids in one block, duplicate block_ids in one message or
view, and Slack's documented length and count limits, counted on the text as sent.

Error codes used for violations (first violation of a call wins):
    unknown_method, method_deprecated (files.upload), not_authed, invalid_auth,
    not_allowed_token_type,
    invalid_arguments (missing required arg, bad view, bad JSON arg),
    invalid_blocks, no_text, msg_too_long, invalid_metadata_format.

Deliberate Slack-isms:
    * posting to a user id ("U123") goes to that user's DM "D123", as in Slack;
    * ts values come from a per-instance counter starting at
      ``ts_base`` (1700000000) and step by 0.000100 - deterministic, strictly
      increasing, but *not* wall-clock time (set ``fake.ts_base`` before the
      first post if a test filters history by real time); or set ``fake.clock``
      (a callable returning an aware datetime: the app's clock, or wall time) and
      ts values follow it, as Slack's own clock does, still strictly increasing;
    * conversations.history omits thread replies (unless reply_broadcast),
      ``messages_in()`` includes them.
"""

from __future__ import annotations

import contextlib
import copy
import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from slackstandin.autolink import autolink_problem
from slackstandin.spec import GET_ALLOWED as _GET_ALLOWED
from slackstandin.spec import RETIRED as _RETIRED
from slackstandin.spec import MethodSpec, default_spec_path, load_spec  # noqa: F401  (re-exported)

# --------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------


@dataclass
class Call:
    """One request received by the fake, recorded before it is answered."""

    method: str  # "chat.postMessage", "response_url", or "upload" (file bytes)
    args: dict  # merged query + body; JSON-string args left as sent
    headers: dict  # lower-cased names
    at: float  # time.monotonic() when received
    decoded: dict = field(default_factory=dict)  # blocks/attachments/view/metadata(/files) decoded
    verb: str = "POST"
    path: str = ""


JSON_ARGS = ("blocks", "attachments", "view", "metadata")
MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
VIEW_METHODS = {"views.open", "views.publish", "views.update", "views.push"}

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0001"


class _Reject(Exception):
    """Raised inside a handler to answer a call with an error (after recording a violation)."""

    def __init__(self, error: str, status: int = 200):
        super().__init__(error)
        self.error, self.status = error, status


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in {"1", "true", "yes"}


def _deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in override.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def _tz_fields(tz: str) -> dict:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return {"tz_offset": 0, "tz_label": tz}
    offset = now.utcoffset()
    return {"tz_offset": int(offset.total_seconds()) if offset else 0, "tz_label": now.tzname()}


def _dm_for(channel: str) -> str:
    """Slack posts to a user id into that user's DM; conversations.open gives the same id."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


# --------------------------------------------------------------------------
# Block Kit limits Slack enforces (answered with invalid_blocks / invalid_arguments)
# --------------------------------------------------------------------------
# From Slack's Block Kit reference (docs.slack.dev/reference/block-kit): lengths count the
# text as transmitted, i.e. after the sender's &/</> escaping.

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_ID = 255  # action_id, block_id, callback_id, external_id
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_LABEL = 2000  # input label and hint
MAX_INPUT_LENGTH = 3000  # plain_text_input max_length / initial_value
MAX_PLACEHOLDER = 150
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_VIEW_TITLE = 24  # modal title, submit, close
MAX_PRIVATE_METADATA = 3000
MAX_FALLBACK_TEXT = 40_000
TRIGGER_SECONDS = 3.0  # a trigger_id opens a modal only this long after the interaction


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, dict):
        text = obj.get("text")
        return text if isinstance(text, str) else None
    return obj if isinstance(obj, str) else None


def _too_long(out: list[str], label: str, obj: Any, limit: int) -> None:
    text = _text_of(obj)
    if text is not None and len(text) > limit:
        out.append(f"{label} is {len(text)} chars as sent, Slack allows at most {limit}")


def _linked(out: list[str], label: str, obj: Any) -> None:
    problem = autolink_problem(obj, label)
    if problem is not None:
        out.append(problem)


def _options(element: dict) -> list:
    opts = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        if isinstance(group, dict):
            opts += group.get("options") or []
    return opts


def _element_problems(element: Any, label: str) -> list[str]:
    out: list[str] = []
    if not isinstance(element, dict):
        return [f"{label} is not an object"]
    action_id = element.get("action_id")
    if isinstance(action_id, str) and len(action_id) > MAX_ID:
        out.append(f"{label}.action_id is {len(action_id)} chars, Slack allows at most {MAX_ID}")
    kind = element.get("type")
    if kind == "button":
        _too_long(out, f"{label} button text", element.get("text"), MAX_BUTTON_TEXT)
        _too_long(out, f"{label} button value", element.get("value"), MAX_BUTTON_VALUE)
        _too_long(out, f"{label} button url", element.get("url"), MAX_URL)
    if kind in ("static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow"):
        opts = _options(element)
        limit = {"radio_buttons": 10, "checkboxes": 10, "overflow": 5}.get(kind, MAX_OPTIONS)
        if len(opts) > limit:
            out.append(f"{label} ({kind}) has {len(opts)} options, Slack allows at most {limit}")
        for j, opt in enumerate(opts):
            if isinstance(opt, dict):
                _too_long(out, f"{label}.options[{j}] text", opt.get("text"), MAX_OPTION_TEXT)
                _too_long(out, f"{label}.options[{j}] value", opt.get("value"), MAX_OPTION_VALUE)
    if kind == "plain_text_input":
        max_length = element.get("max_length")
        if isinstance(max_length, int) and max_length > MAX_INPUT_LENGTH:
            out.append(f"{label} max_length is {max_length}, Slack allows at most {MAX_INPUT_LENGTH}")
        _too_long(out, f"{label} initial_value", element.get("initial_value"), MAX_INPUT_LENGTH)
    _too_long(out, f"{label} placeholder", element.get("placeholder"), MAX_PLACEHOLDER)
    return out


def block_kit_problems(blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS, where: str = "blocks") -> list[str]:
    """What Slack would reject in a list of blocks: duplicate block_ids in the list, duplicate
    action_ids within one block, and the documented length and count limits. [] when valid."""
    if not isinstance(blocks, list):
        return [f"{where} must be a JSON array, got {type(blocks).__name__}"]
    out: list[str] = []
    if len(blocks) > limit:
        out.append(f"{where} has {len(blocks)} blocks, Slack allows at most {limit}")
    block_ids: Counter = Counter()
    for i, block in enumerate(blocks):
        label = f"{where}[{i}]"
        if not isinstance(block, dict):
            continue  # reported by the model check
        kind = block.get("type")
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            block_ids[block_id] += 1
            if len(block_id) > MAX_ID:
                out.append(f"{label}.block_id is {len(block_id)} chars, Slack allows at most {MAX_ID}")
        elements: list = []
        if kind == "section":
            _too_long(out, f"{label} section text", block.get("text"), MAX_SECTION_TEXT)
            _linked(out, f"{label} section text", block.get("text"))
            fields = block.get("fields") or []
            if len(fields) > MAX_SECTION_FIELDS:
                out.append(f"{label} section has {len(fields)} fields, Slack allows at most {MAX_SECTION_FIELDS}")
            for j, f in enumerate(fields):
                _too_long(out, f"{label}.fields[{j}]", f, MAX_FIELD_TEXT)
                _linked(out, f"{label}.fields[{j}]", f)
            if block.get("accessory") is not None:
                elements = [block["accessory"]]
        elif kind == "actions":
            elements = list(block.get("elements") or [])
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                out.append(
                    f"{label} actions block has {len(elements)} elements, Slack allows at most {MAX_ACTIONS_ELEMENTS}"
                )
        elif kind == "context":
            parts = block.get("elements") or []
            if len(parts) > MAX_CONTEXT_ELEMENTS:
                out.append(
                    f"{label} context block has {len(parts)} elements, Slack allows at most {MAX_CONTEXT_ELEMENTS}"
                )
            for j, part in enumerate(parts):
                if isinstance(part, dict) and part.get("type") in ("mrkdwn", "plain_text"):
                    _too_long(out, f"{label}.elements[{j}] context text", part, MAX_SECTION_TEXT)
                    _linked(out, f"{label}.elements[{j}] context text", part)
        elif kind == "header":
            _too_long(out, f"{label} header text", block.get("text"), MAX_HEADER_TEXT)
        elif kind == "input":
            _too_long(out, f"{label} input label", block.get("label"), MAX_LABEL)
            _too_long(out, f"{label} input hint", block.get("hint"), MAX_LABEL)
            element = block.get("element")
            if isinstance(element, list):
                out.append(f"{label} input block takes one element, not a list")
            elif element is not None:
                elements = [element]
        action_ids: Counter = Counter()
        for j, element in enumerate(elements):
            out += _element_problems(element, f"{label}.elements[{j}]")
            if isinstance(element, dict) and isinstance(element.get("action_id"), str):
                action_ids[element["action_id"]] += 1
        for action_id, n in sorted(action_ids.items()):
            if n > 1:
                out.append(f"{label}: action_id {action_id!r} is used {n} times in one block; Slack needs each unique")
    for block_id, n in sorted(block_ids.items()):
        if n > 1:
            out.append(
                f"{where}: block_id {block_id!r} is used {n} times; Slack needs each unique in one message or view"
            )
    return out


def view_problems(view: Any) -> list[str]:
    """What Slack would reject in a modal or Home view (its blocks included). [] when valid."""
    if not isinstance(view, dict):
        return ["view must be a JSON object"]
    out: list[str] = []
    if view.get("type") == "modal":
        for name in ("title", "submit", "close"):
            _too_long(out, f"modal {name}", view.get(name), MAX_VIEW_TITLE)
    for name in ("callback_id", "external_id"):
        _too_long(out, f"view {name}", view.get(name), MAX_ID)
    _too_long(out, "view private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA)
    out += block_kit_problems(view.get("blocks", []), limit=MAX_VIEW_BLOCKS, where="view.blocks")
    return out


def message_problems(payload: dict) -> list[str]:
    """What Slack would reject in a message payload ({text, blocks}). [] when valid."""
    out: list[str] = []
    text = payload.get("text")
    if isinstance(text, str) and len(text) > MAX_FALLBACK_TEXT:
        out.append(f"text is {len(text)} chars, Slack allows at most {MAX_FALLBACK_TEXT}")
    if "blocks" in payload:
        out += block_kit_problems(payload["blocks"])
    return out


# --------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------


class FakeSlack:
    """Threaded local HTTP server imitating the Slack Web API. See the module docstring."""

    def __init__(self, spec_path: str | Path | None = None):
        self.spec = load_spec(spec_path)
        self.url = ""
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.users: dict[str, dict] = {}
        self.dnd: dict[str, dict] = {}
        self.ts_base = 1_700_000_000
        self.clock: Callable[[], datetime] | None = None  # set: ts values follow this clock (see the module docstring)
        self._last_ts = Decimal(0)
        self.socket_mode_url = "ws://127.0.0.1:9/socket"  # apps.connections.open answer
        # Sent back as Slack's `x-oauth-scopes` header on every call, as the real API does.
        self.granted_scopes = [
            "commands",
            "chat:write",
            "im:write",
            "im:history",
            "users:read",
            "dnd:read",
            "files:write",
            "channels:read",
            "groups:read",
        ]
        # state a test may inspect
        self.ephemerals: list[dict] = []  # {"channel", "user", "message"}
        self.scheduled: list[dict] = []  # {"channel", "post_at", "scheduled_message_id", "message"}
        self.views: dict[str, dict] = {}  # view id -> last view sent
        self.home_tabs: dict[str, dict] = {}  # user id -> published home view
        self.uploads: dict[str, bytes] = {}  # file id -> bytes POSTed to the upload URL
        self.files: dict[str, dict] = {}  # file id -> file object (after getUploadURLExternal)
        # the Slack client's side, for the demo's workspace (slackstandin.workspace)
        self.triggers: dict[str, str] = {}  # trigger_id -> user id it was issued to
        self.trigger_times: dict[str, float] = {}  # trigger_id -> when its request was sent (monotonic)
        self.modal_stacks: dict[str, list[str]] = {}  # user id -> open modal view ids, top last
        self.response_hook: Callable[[str, dict, dict], None] | None = (
            None  # called (key, args, decoded) for each accepted response_url reply
        )
        self.page: Any = None  # serves every path outside /api/, /response/, /upload/ when set (slackstandin.page.Page)
        self._channels: dict[str, list[dict]] = {}
        self._scripts: dict[str, deque] = {}
        self._delays: dict[str, float] = {}
        self._delays_after: dict[str, float] = {}
        self._holds: dict[str, threading.Event] = {}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._seq = itertools.count(1)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------

    def start(self, port: int = 0) -> FakeSlack:
        server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        server.daemon_threads = True
        server.block_on_close = False  # a delayed handler must not hang stop()
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._base = f"http://127.0.0.1:{server.server_address[1]}"
        self.url = self._base + "/api/"
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fakeslack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in delay()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT (the Web API is under /api/)."""
        return self._base

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- inspection --------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` were recorded (for bot code running in threads)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = dict(Counter(c.method for c in self.calls))
                    raise AssertionError(
                        f"expected {count} call(s) to {method} within {timeout}s, got {len(found)}; all calls seen: {seen}"
                    )
                self._changed.wait(remaining)

    def messages_in(self, channel: str) -> list[dict]:
        """Messages chat.postMessage'd to `channel` (oldest first, replies included), after edits/deletes."""
        with self._lock:
            return copy.deepcopy(self._channels.get(_dm_for(channel), []))

    def assert_clean(self) -> None:
        with self._lock:
            if self.violations:
                listing = "\n  - ".join(self.violations)
                raise AssertionError(f"{len(self.violations)} Slack API violation(s):\n  - {listing}")

    def check_ack(self, body: Any) -> list[str]:
        """Check what the app answered Slack directly (a slash command's or a button's ack with a
        message, a view submission's `response_action` view); problems are recorded as violations,
        since Slack refuses such an answer (the person sees an error instead)."""
        if not isinstance(body, dict):
            return []
        problems: list[str] = []
        if body.get("response_action") in ("update", "push") and "view" in body:
            problems += view_problems(body["view"])
        elif "blocks" in body or "text" in body:
            problems += message_problems(body)
            if body.get("blocks") and not (isinstance(body.get("text"), str) and body["text"].strip()):
                problems.append("message has blocks but no non-empty 'text' fallback")
        with self._lock:
            self.violations += [f"ack: {p}" for p in problems]
        return problems

    def pop_violations(self) -> list[str]:
        """Return and clear the violations (for tests that provoke them on purpose)."""
        with self._lock:
            out, self.violations = self.violations, []
            return out

    # ---- scripting ---------------------------------------------------------

    def fail_next(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        """Next `times` valid calls to `method` answer {"ok": false, "error": error}."""
        with self._lock:
            for _ in range(times):
                self._scripts.setdefault(method, deque()).append((status, {"ok": False, "error": error}, {}))

    def answer_next(self, method: str, body: dict, times: int = 1) -> None:
        """Next `times` valid calls to `method` answer `body` as it is (a malformed answer)."""
        with self._lock:
            for _ in range(times):
                self._scripts.setdefault(method, deque()).append((200, dict(body), {}))

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Next `times` valid calls to `method` answer HTTP 429 with Retry-After."""
        with self._lock:
            for _ in range(times):
                self._scripts.setdefault(method, deque()).append(
                    (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
                )

    def delay(self, method: str, seconds: float) -> None:
        """Sleep `seconds` before answering every call to `method` until reset() (0 removes it)."""
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def hold(self, method: str) -> None:
        """Calls to `method` are recorded, then wait unanswered until `release(method)` (or stop):
        a Slack call that is under way for as long as a test needs, with no sleeps."""
        with self._lock:
            self._holds[method] = threading.Event()

    def release(self, method: str) -> None:
        with self._lock:
            gate = self._holds.pop(method, None)
        if gate is not None:
            gate.set()

    def reset(self) -> None:
        """Drop pending fail_next/rate_limit_next scripts and delays (calls and state are kept)."""
        with self._lock:
            self._scripts.clear()
            self._delays.clear()
            self._delays_after.clear()

    def response_url_for(self, key: str) -> str:
        if not self.url:
            raise RuntimeError("FakeSlack.start() first")
        return f"{self._base}/response/{quote(key, safe='')}"

    # ---- request pipeline (called from handler threads) -------------------

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _violate(self, call: Call | None, message: str) -> None:
        prefix = f"{call.method}: " if call else ""
        with self._lock:
            self.violations.append(prefix + message)

    def _next_ts(self) -> str:
        n = next(self._seq)
        if self.clock is None:
            return f"{self.ts_base + n // 10000}.{(n % 10000) * 100:06d}"
        with self._lock:
            now = Decimal(f"{self.clock().timestamp():.6f}")
            self._last_ts = max(now, self._last_ts + Decimal("0.000100"))
            return f"{self._last_ts:.6f}"

    def delay_after(self, method: str, seconds: float) -> None:
        """Handle the call at once (a message is stored), then wait before answering: the window
        in which a sender can die after Slack accepted its message but before it heard so."""
        with self._lock:
            if seconds > 0:
                self._delays_after[method] = seconds
            else:
                self._delays_after.pop(method, None)

    def _pause_after(self, method: str) -> None:
        with self._lock:
            seconds = self._delays_after.get(method, 0)
        if seconds:
            self._stopping.wait(seconds)

    def _pause(self, method: str) -> None:
        with self._lock:
            seconds = self._delays.get(method, 0)
            gate = self._holds.get(method)
        while gate is not None and not gate.wait(0.05) and not self._stopping.is_set():
            pass
        if seconds:
            self._stopping.wait(seconds)

    def _scripted(self, method: str):
        with self._lock:
            queue = self._scripts.get(method)
            return queue.popleft() if queue else None

    def handle_api(self, call: Call) -> tuple[int, dict, dict]:
        """Validate then answer one /api/<method> call. Returns (status, body, extra headers)."""
        method = call.method
        problems: list[tuple[str, str]] = []  # (error code, message)
        spec = self.spec.get(method)
        if spec is None:
            problems.append(("unknown_method", "method is not in the Web API spec"))
        elif method in _RETIRED:
            problems.append(("method_deprecated", f"retired by Slack: {_RETIRED[method]}"))
        else:
            problems += self._check_auth(call, spec)
            problems += self._check_verb(call, spec)
            for name in sorted(spec.required):
                if call.args.get(name) in (None, ""):
                    problems.append(("invalid_arguments", f"missing required argument '{name}'"))
            problems += self._check_json_args(call)
            if method in MESSAGE_METHODS:
                problems += self._check_message(call.args, call.decoded, method)
            if method == "chat.postMessage" and "metadata" in call.args:
                problems += self._check_metadata(call.decoded.get("metadata"))
            if method in VIEW_METHODS and "view" in call.decoded:
                problems += self._check_view(call.decoded["view"], method)
        for _, msg in problems:
            self._violate(call, msg)
        self._pause(method)
        if problems:
            return 200, {"ok": False, "error": problems[0][0]}, {}
        scripted = self._scripted(method)
        if scripted:
            return scripted
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        try:
            body = handler(call) if handler else {"ok": True}
        except _Reject as rej:
            return rej.status, {"ok": False, "error": rej.error}, {}
        self._pause_after(method)
        return 200, body, {"x-oauth-scopes": ",".join(self.granted_scopes)}

    def handle_response_url(self, call: Call) -> tuple[int, str]:
        problems = self._check_json_args(call)
        body = call.args
        if not _truthy(body.get("delete_original")):
            if not body.get("text") and not body.get("blocks") and not body.get("attachments"):
                problems.append(("no_text", "response_url body has no text, blocks or attachments"))
            problems += self._check_message(body, call.decoded, "response_url")
        for _, msg in problems:
            self._violate(call, msg)
        self._pause("response_url")
        if problems:
            return 400, problems[0][0]
        scripted = self._scripted("response_url")
        if scripted:
            return scripted[0], scripted[1].get("error", "")
        if self.response_hook is not None:
            self.response_hook(unquote(call.path[len("/response/") :]), body, call.decoded)
        return 200, "ok"

    def handle_upload(self, call: Call, file_id: str, data: bytes) -> tuple[int, str]:
        with self._lock:
            meta = self.files.get(file_id)
            if meta is None:
                self._violate(call, f"upload to unknown file id {file_id!r}")
                return 404, "not_found"
            if str(meta.get("size")) != str(len(data)):
                self._violate(
                    call, f"uploaded {len(data)} bytes but files.getUploadURLExternal declared {meta.get('size')}"
                )
            self.uploads[file_id] = data
        return 200, f"OK - {len(data)}"

    # ---- checks ------------------------------------------------------------

    @staticmethod
    def _check_auth(call: Call, spec: MethodSpec) -> list[tuple[str, str]]:
        auth = call.headers.get("authorization", "")
        if not auth:
            return [("not_authed", "no Authorization header (slack_sdk sends 'Bearer <token>')")]
        if not auth.startswith("Bearer "):
            return [("invalid_auth", f"Authorization header is not 'Bearer <token>': {auth[:12]!r}")]
        if not auth[7:].startswith(spec.token_prefix):
            return [("not_allowed_token_type", f"needs a {spec.token_prefix} token, got {auth[7:12]!r}...")]
        return []

    @staticmethod
    def _check_verb(call: Call, spec: MethodSpec) -> list[tuple[str, str]]:
        if call.verb == "GET" and "get" not in spec.verbs and call.method not in _GET_ALLOWED:
            return [("invalid_arguments", "GET used but the spec lists this method as POST only")]
        return []

    @staticmethod
    def _check_json_args(call: Call) -> list[tuple[str, str]]:
        """Decode JSON-string args into call.decoded; undecodable JSON is a violation."""
        out = []
        names = JSON_ARGS + (("files",) if call.method == "files.completeUploadExternal" else ())
        for name in names:
            value = call.args.get(name)
            if value is None or value == "":
                continue
            if isinstance(value, str):
                try:
                    call.decoded[name] = json.loads(value)
                except ValueError as exc:
                    out.append(("invalid_arguments", f"'{name}' is not valid JSON ({exc})"))
            else:
                call.decoded[name] = value
        return out

    @staticmethod
    def _check_blocks(blocks: Any, limit: int, where: str = "blocks") -> list[str]:
        """Block Kit validation via slack_sdk's models (they encode Slack's documented limits)."""
        if not isinstance(blocks, list):
            return [f"{where} must be a JSON array, got {type(blocks).__name__}"]
        out = block_kit_problems(blocks, limit=limit, where=where)
        for i, raw in enumerate(blocks):
            label = f"{where}[{i}]"
            if not isinstance(raw, dict):
                out.append(f"{label} is not an object")
                continue
            try:
                parsed = Block.parse(raw)
                if parsed is None or type(parsed) is Block:
                    out.append(f"{label} has unknown block type {raw.get('type')!r}")
                    continue
                parsed.to_dict()
            except SlackObjectFormationError as exc:
                out.append(f"{label} ({raw.get('type')}) invalid: {exc}")
            except Exception as exc:  # noqa: BLE001 (malformed nested structures make the models raise anything)
                out.append(f"{label} ({raw.get('type')}) could not be parsed: {type(exc).__name__}: {exc}")
        return out

    def _check_message(self, args: dict, decoded: dict, method: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        text = args.get("text")
        if isinstance(text, str) and len(text) > MAX_FALLBACK_TEXT:
            out.append(("msg_too_long", f"text is {len(text)} chars, Slack allows at most {MAX_FALLBACK_TEXT}"))
        if "blocks" in decoded:
            out += [("invalid_blocks", m) for m in self._check_blocks(decoded["blocks"], MAX_MESSAGE_BLOCKS)]
            if decoded["blocks"] and not (isinstance(text, str) and text.strip()):
                out.append(("no_text", "message has blocks but no non-empty 'text' fallback"))
        if "attachments" in decoded and not isinstance(decoded["attachments"], list):
            out.append(("invalid_arguments", "attachments must be a JSON array"))
        if method == "chat.postMessage" and not any(args.get(k) for k in ("text", "blocks", "attachments")):
            out.append(("no_text", "chat.postMessage needs text, blocks or attachments"))
        return out

    @staticmethod
    def _check_metadata(meta: Any) -> list[tuple[str, str]]:
        if not isinstance(meta, dict):
            return [("invalid_metadata_format", "metadata must be a JSON object")]
        out = []
        if not isinstance(meta.get("event_type"), str) or not meta.get("event_type"):
            out.append(("invalid_metadata_format", "metadata.event_type must be a non-empty string"))
        if not isinstance(meta.get("event_payload"), dict):
            out.append(("invalid_metadata_format", "metadata.event_payload must be an object"))
        return out

    def _check_view(self, view: Any, method: str) -> list[tuple[str, str]]:
        if not isinstance(view, dict):
            return [("invalid_arguments", "view must be a JSON object")]
        msgs = []
        allowed = {"home"} if method == "views.publish" else {"modal", "home"}
        if view.get("type") not in allowed:
            msgs.append(f"view type {view.get('type')!r} not allowed here (expected one of {sorted(allowed)})")
        for name in ("title", "submit", "close"):
            if view.get("type") == "modal":
                _too_long(msgs, f"modal {name}", view.get(name), MAX_VIEW_TITLE)
        for name in ("callback_id", "external_id"):
            _too_long(msgs, f"view {name}", view.get(name), MAX_ID)
        _too_long(msgs, "view private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA)
        msgs += self._check_blocks(view.get("blocks", []), MAX_VIEW_BLOCKS, "view.blocks")
        try:
            View(**view).to_dict()
        except SlackObjectFormationError as exc:
            msgs.append(f"view invalid: {exc}")
        except Exception as exc:  # noqa: BLE001 (as above: a malformed view may raise anything)
            msgs.append(f"view could not be parsed: {type(exc).__name__}: {exc}")
        return [("invalid_arguments", m) for m in msgs]

    # ---- method implementations (args already validated) --------------------

    def _find_message(self, channel: str, ts: str) -> dict:
        for msg in self._channels.get(_dm_for(channel), []):
            if msg["ts"] == ts:
                return msg
        raise _Reject("message_not_found")

    def _build_message(self, call: Call, ts: str) -> dict:
        msg: dict[str, Any] = {
            "type": "message",
            "text": call.args.get("text", ""),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        for name in ("blocks", "attachments", "metadata"):
            if name in call.decoded:
                msg[name] = copy.deepcopy(call.decoded[name])
        if call.args.get("thread_ts"):
            msg["thread_ts"] = str(call.args["thread_ts"])
            if _truthy(call.args.get("reply_broadcast")):
                msg["subtype"] = "thread_broadcast"
        return msg

    def _api_auth_test(self, call: Call) -> dict:
        return {
            "ok": True,
            "url": "https://nudge-test.slack.com/",
            "team": "Nudge Test",
            "user": "nudge",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _api_apps_connections_open(self, call: Call) -> dict:
        return {"ok": True, "url": self.socket_mode_url}

    def _api_chat_postMessage(self, call: Call) -> dict:
        channel = _dm_for(str(call.args["channel"]))
        with self._lock:
            ts = self._next_ts()
            msg = self._build_message(call, ts)
            self._channels.setdefault(channel, []).append(msg)
            return {"ok": True, "channel": channel, "ts": ts, "message": copy.deepcopy(msg)}

    def _api_chat_postEphemeral(self, call: Call) -> dict:
        with self._lock:
            ts = self._next_ts()
            self.ephemerals.append(
                {
                    "channel": str(call.args["channel"]),
                    "user": call.args["user"],
                    "message": self._build_message(call, ts),
                }
            )
        return {"ok": True, "message_ts": ts}

    def _api_chat_scheduleMessage(self, call: Call) -> dict:
        with self._lock:
            sid = f"Q{len(self.scheduled) + 1:06d}"
            msg = self._build_message(call, "")
            msg.pop("ts")
            msg["type"] = "delayed_message"
            channel = _dm_for(str(call.args["channel"]))
            self.scheduled.append(
                {"channel": channel, "post_at": str(call.args["post_at"]), "scheduled_message_id": sid, "message": msg}
            )
        return {
            "ok": True,
            "channel": channel,
            "scheduled_message_id": sid,
            "post_at": str(call.args["post_at"]),
            "message": msg,
        }

    def _api_chat_update(self, call: Call) -> dict:
        with self._lock:
            msg = self._find_message(str(call.args["channel"]), str(call.args["ts"]))
            if "text" in call.args:
                msg["text"] = call.args["text"]
            for name in ("blocks", "attachments", "metadata"):
                if name in call.decoded:
                    msg[name] = copy.deepcopy(call.decoded[name])
            msg["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
            return {
                "ok": True,
                "channel": _dm_for(str(call.args["channel"])),
                "ts": msg["ts"],
                "text": msg["text"],
                "message": copy.deepcopy(msg),
            }

    def _api_chat_delete(self, call: Call) -> dict:
        channel, ts = _dm_for(str(call.args["channel"])), str(call.args["ts"])
        with self._lock:
            msg = self._find_message(channel, ts)
            self._channels[channel].remove(msg)
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_conversations_open(self, call: Call) -> dict:
        if call.args.get("channel"):
            return {"ok": True, "channel": {"id": str(call.args["channel"])}}
        users = [u for u in str(call.args.get("users", "")).split(",") if u]
        if not users:
            self._violate(call, "needs 'users' or 'channel'")
            raise _Reject("users_list_not_supplied")
        if len(users) > 1:
            return {"ok": True, "channel": {"id": "G" + "".join(u[1:] for u in users)[:10]}}
        return {"ok": True, "channel": {"id": _dm_for(users[0])}}

    def _api_conversations_info(self, call: Call) -> dict:
        cid = _dm_for(str(call.args.get("channel", "")))
        chan: dict[str, Any] = {"id": cid, "is_im": cid.startswith("D"), "is_channel": cid.startswith("C")}
        if cid.startswith("D"):
            chan["user"] = "U" + cid[1:]
        return {"ok": True, "channel": chan}

    def _api_conversations_history(self, call: Call) -> dict:
        channel = _dm_for(str(call.args.get("channel", "")))
        with self._lock:
            top = [
                m
                for m in self._channels.get(channel, [])
                if m.get("thread_ts", m["ts"]) == m["ts"] or m.get("subtype") == "thread_broadcast"
            ]
            return self._page(call, list(reversed(top)))

    def _api_conversations_replies(self, call: Call) -> dict:
        channel, root = _dm_for(str(call.args.get("channel", ""))), str(call.args.get("ts", ""))
        with self._lock:
            thread = [m for m in self._channels.get(channel, []) if m["ts"] == root or m.get("thread_ts") == root]
            if not thread:
                raise _Reject("thread_not_found")
            return self._page(call, thread)

    def _page(self, call: Call, msgs: list[dict]) -> dict:
        """Apply oldest/latest/inclusive/limit/cursor and metadata visibility."""
        args = call.args
        inclusive = _truthy(args.get("inclusive"))

        def num(v: Any) -> Decimal | None:
            try:
                return Decimal(str(v)) if v not in (None, "") else None
            except InvalidOperation:
                return None

        oldest, latest = num(args.get("oldest")), num(args.get("latest"))
        if oldest is not None:
            msgs = [m for m in msgs if Decimal(m["ts"]) > oldest or (inclusive and Decimal(m["ts"]) == oldest)]
        if latest is not None:
            msgs = [m for m in msgs if Decimal(m["ts"]) < latest or (inclusive and Decimal(m["ts"]) == latest)]
        start = int(args.get("cursor") or 0) if str(args.get("cursor") or "0").isdigit() else 0
        limit = int(args.get("limit") or 100) if str(args.get("limit") or "").isdigit() else 100
        limit = max(1, min(limit, 999))
        page = copy.deepcopy(msgs[start : start + limit])
        if not _truthy(args.get("include_all_metadata")):
            for m in page:
                m.pop("metadata", None)
        has_more = start + limit < len(msgs)
        return {
            "ok": True,
            "messages": page,
            "has_more": has_more,
            "response_metadata": {"next_cursor": str(start + limit) if has_more else ""},
        }

    def user_object(self, user_id: str) -> dict:
        """users.info's `user` for an id: a sensible default deep-merged with self.users[user_id]."""
        is_bot = user_id == BOT_USER_ID
        name = "nudge" if is_bot else user_id.lower()
        base = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": False,
            "real_name": name.title(),
            "tz": "Europe/London",
            **_tz_fields("Europe/London"),
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
            "profile": {
                "real_name": name.title(),
                "display_name": name,
                "status_text": "",
                "status_emoji": "",
                "status_expiration": 0,
                "team": TEAM_ID,
                "image_72": f"https://avatars.example.invalid/{user_id}_72.png",
            },
        }
        if is_bot:
            base["profile"]["bot_id"] = BOT_ID
        override = self.users.get(user_id, {})
        if "tz" in override and "tz_offset" not in override:
            base.update(_tz_fields(override["tz"]))
        return _deep_merge(base, override)

    def _api_users_info(self, call: Call) -> dict:
        user_id = str(call.args.get("user", ""))
        if not user_id:
            raise _Reject("user_not_found")
        user = self.user_object(user_id)
        if str(call.args.get("include_locale", "")).lower() in ("true", "1"):
            user.setdefault("locale", "en-US")  # as Slack: the locale only when asked for
        else:
            user.pop("locale", None)
        return {"ok": True, "user": user}

    def _api_users_profile_get(self, call: Call) -> dict:
        return {"ok": True, "profile": self.user_object(str(call.args.get("user") or BOT_USER_ID))["profile"]}

    def _dnd_for(self, user_id: str) -> dict:
        return {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1, **self.dnd.get(user_id, {})}

    def _api_dnd_info(self, call: Call) -> dict:
        return {"ok": True, "snooze_enabled": False, **self._dnd_for(str(call.args.get("user") or BOT_USER_ID))}

    def _api_dnd_teamInfo(self, call: Call) -> dict:
        users = [u for u in str(call.args.get("users", "")).split(",") if u]
        return {"ok": True, "users": {u: self._dnd_for(u) for u in users}}

    def _store_view(self, call: Call, view_id: str | None = None) -> dict:
        view = copy.deepcopy(call.decoded["view"])
        with self._lock:
            view_id = view_id or f"V{next(self._seq):08d}"
            view.update(
                {
                    "id": view_id,
                    "team_id": TEAM_ID,
                    "app_id": APP_ID,
                    "bot_id": BOT_ID,
                    "hash": f"{int(time.time())}.{next(self._seq)}",
                    "state": {"values": {}},
                    "root_view_id": view_id,
                    "previous_view_id": None,
                }
            )
            view.setdefault("private_metadata", "")
            view.setdefault("callback_id", "")
            view.setdefault("external_id", "")
            self.views[view_id] = view
            return view

    def keep_view(self, view: dict) -> dict:
        """A view the app showed by answering a submission with `response_action: update`:
        kept as Slack keeps it (an id and a hash), so a click inside it can be played."""
        return self._store_view(Call("views.update", {}, {}, time.monotonic(), decoded={"view": view}))

    def issued_trigger(self, trigger_id: str) -> None:
        """A request carrying `trigger_id` went to the app now: Slack honours it for 3 s."""
        with self._lock:
            self.trigger_times[trigger_id] = time.monotonic()

    def _api_views_open(self, call: Call) -> dict:
        issued = self.trigger_times.get(str(call.args.get("trigger_id", "")))
        if issued is not None and call.at - issued > TRIGGER_SECONDS:
            self._violate(call, f"views.open {call.at - issued:.2f}s after the trigger; Slack allows 3 s")
            raise _Reject("expired_trigger_id")
        view = self._store_view(call)
        self._stack_modal(call, view["id"], push=False)
        return {"ok": True, "view": view}

    def _api_views_push(self, call: Call) -> dict:
        view = self._store_view(call)
        self._stack_modal(call, view["id"], push=True)
        return {"ok": True, "view": view}

    def _stack_modal(self, call: Call, view_id: str, *, push: bool) -> None:
        """Show the modal to the person whose click issued the trigger (when the fake issued it)."""
        with self._lock:
            user_id = self.triggers.get(str(call.args.get("trigger_id", "")))
            if user_id is not None:
                stack = self.modal_stacks.setdefault(user_id, [])
                if not push:
                    stack.clear()
                stack.append(view_id)

    def _api_views_update(self, call: Call) -> dict:
        view_id = call.args.get("view_id")
        ext = call.args.get("external_id")
        with self._lock:
            if not view_id and ext:
                view_id = next((vid for vid, v in self.views.items() if v.get("external_id") == ext), None)
            if not view_id or view_id not in self.views:
                raise _Reject("not_found")
            return {"ok": True, "view": self._store_view(call, view_id)}

    def _api_views_publish(self, call: Call) -> dict:
        user_id = str(call.args["user_id"])
        with self._lock:
            old = self.home_tabs.get(user_id)
            view = self._store_view(call, old["id"] if old else None)
            self.home_tabs[user_id] = view
            return {"ok": True, "view": view}

    def _api_files_getUploadURLExternal(self, call: Call) -> dict:
        with self._lock:
            file_id = f"F{next(self._seq):08d}"
            self.files[file_id] = {
                "id": file_id,
                "name": call.args["filename"],
                "title": call.args["filename"],
                "size": int(call.args["length"]) if str(call.args["length"]).isdigit() else call.args["length"],
                "user": BOT_USER_ID,
                "channels": [],
            }
        return {"ok": True, "upload_url": f"{self._base}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, call: Call) -> dict:
        entries = call.decoded.get("files")
        if not isinstance(entries, list) or not entries:
            self._violate(call, "'files' must be a non-empty JSON array of {id, title}")
            raise _Reject("invalid_arguments")
        channel = call.args.get("channel_id")
        out = []
        with self._lock:
            for entry in entries:
                fid = entry.get("id") if isinstance(entry, dict) else None
                if fid not in self.files or fid not in self.uploads:
                    self._violate(call, f"file {fid!r} was not uploaded via its upload_url first")
                    raise _Reject("file_not_found")
                f = self.files[fid]
                if entry.get("title"):
                    f["title"] = entry["title"]
                if channel:
                    f["channels"] = [channel]
                    f["initial_comment"] = call.args.get("initial_comment")
                    f["thread_ts"] = call.args.get("thread_ts")
                    f["shared_ts"] = self._next_ts()  # when it appeared in the channel (the demo page shows it)
                out.append({k: v for k, v in f.items() if k not in ("initial_comment", "thread_ts", "shared_ts")})
        return {"ok": True, "files": copy.deepcopy(out)}


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


def _parse_body(content_type: str, raw: bytes) -> dict:
    """Form, JSON or multipart body -> dict. Raises ValueError on anything unparseable."""
    ctype = content_type.split(";")[0].strip().lower()
    if not raw:
        return {}
    if ctype == "application/json":
        body = json.loads(raw.decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        return body
    if ctype == "multipart/form-data":
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        out: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True)
            out[name] = payload if part.get_filename() or not isinstance(payload, bytes) else payload.decode("utf-8")
        return out
    # slack_sdk's urlencoded bodies, and anything else urllib labels as such
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, verb: str) -> None:
        fake: FakeSlack = self.server.fake  # type: ignore[attr-defined]
        at = time.monotonic()
        headers = {k.lower(): v for k, v in self.headers.items()}
        parts = urlsplit(self.path)
        path = parts.path
        call = Call(method="?", args={}, headers=headers, at=at, verb=verb, path=path)
        try:
            length = int(headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
            if path.startswith("/upload/"):
                call.method, call.args = "upload", {"file_id": path[8:], "length": len(raw)}
                fake._record(call)
                self._send_text(*fake.handle_upload(call, path[8:], raw))
                return
            if path.startswith("/api/"):
                call.method = unquote(path[5:])
            elif path.startswith("/response/"):
                call.method = "response_url"
            elif fake.page is not None:
                fake.page.serve(self, verb, parts, raw)  # the demo's web page (slackstandin.page)
                return
            else:
                fake._record(call)
                fake._violate(call, f"{verb} {path}: no such endpoint on the fake")
                self._send_text(404, "not_found")
                return
            try:
                args = dict(parse_qsl(parts.query, keep_blank_values=True))
                args.update(_parse_body(headers.get("content-type", ""), raw))
                call.args = args
            except (ValueError, UnicodeDecodeError) as exc:
                fake._record(call)
                fake._violate(call, f"unparseable request body: {exc}")
                self._send_json(400, {"ok": False, "error": "invalid_form_data"})
                return
            fake._record(call)
            if call.method == "response_url":
                self._send_text(*fake.handle_response_url(call))
            else:
                self._send_json(*fake.handle_api(call))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away before our answer (a killed process): not a violation
        except Exception as exc:  # noqa: BLE001 (never let bad input kill the server)
            fake._violate(call, f"fake crashed on {verb} {self.path}: {type(exc).__name__}: {exc}")
            with contextlib.suppress(OSError):  # the client may be gone too
                self._send_json(500, {"ok": False, "error": "fatal_error"})

    def _send_json(self, status: int, body: dict, extra: dict | None = None) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _send_text(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

"""The demo's web page, served by the stand-in itself: static HTML/CSS/JS (no build step, no
CDN) and two JSON endpoints the page polls and posts to.

    GET  /                  the page
    GET  /static/<file>     its script and style sheet
    GET  /ui/state?user=U…  what that person sees (DM, App Home, open modal), see Workspace.state
    GET  /ui/file?user=U…&id=F…  a file the bot shared in that person's DM (e.g. /nudge mydata)
    POST /ui/do             {"user", "op", …}: say, click, submit, close, tab, join, post,
                            message_shortcut, global_shortcut
    GET  /ui/webhooks       what the pretend team's ATS received (slackstandin.inbox)
    POST /hooks/ats         the pretend ATS's webhook endpoint, where Nudge delivers

Only the page itself may use them: the Host must be `127.0.0.1:PORT` or `localhost:PORT` (a DNS
name rebound to 127.0.0.1 is refused), an Origin, when sent, must be that same page, and a POST
must be JSON (which no cross-site form can send without a preflight this server never grants).
Another web page open in the same browser can then neither read nor drive the demo.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

from slackstandin.inbox import PATH as INBOX_PATH
from slackstandin.inbox import TeamInbox
from slackstandin.workspace import Workspace

STATIC = Path(__file__).with_name("static")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def _refusal(handler, verb: str) -> tuple[int, bytes] | None:
    """Why a request is not the demo page's own (status and body), or None when it is."""
    port = handler.server.server_address[1]
    own = {f"127.0.0.1:{port}", f"localhost:{port}"}
    if handler.headers.get("Host") not in own:
        return 403, b"this page answers only at its own address"
    origin = handler.headers.get("Origin")
    if origin is not None and origin not in {f"http://{host}" for host in own}:
        return 403, b"requests from other pages are refused"
    kind = (handler.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    if verb == "POST" and kind != "application/json":
        return 415, b"JSON bodies only"
    return None


class Page:
    def __init__(self, workspace: Workspace, inbox: TeamInbox | None = None):
        self.workspace = workspace
        self.inbox = inbox

    def serve(self, handler, verb: str, parts, raw: bytes) -> None:
        refusal = _refusal(handler, verb)
        if refusal is not None:
            return self._bytes(handler, refusal[0], refusal[1], "text/plain")
        path = parts.path
        if verb == "GET" and path in ("/", "/index.html"):
            return self._file(handler, STATIC / "index.html")
        if verb == "GET" and path.startswith("/static/"):
            name = path[len("/static/") :]
            target = STATIC / name
            if "/" in name or not target.is_file():
                return self._bytes(handler, 404, b"not found", "text/plain")
            return self._file(handler, target)
        if self.inbox is not None and verb == "POST" and path == INBOX_PATH:
            return self._bytes(handler, self.inbox.receive(raw, dict(handler.headers.items())), b"", "text/plain")
        if verb == "GET" and path == "/ui/webhooks":
            return self._json(handler, 200, {"events": self.inbox.listing() if self.inbox is not None else []})
        if verb == "GET" and path == "/ui/state":
            user = (parse_qs(parts.query).get("user") or [""])[0]
            try:
                return self._json(handler, 200, self.workspace.with_suggestions(user, self.workspace.state(user)))
            except LookupError as error:
                return self._json(handler, 404, {"ok": False, "error": str(error)})
        if verb == "GET" and path == "/ui/file":
            query = parse_qs(parts.query)
            try:
                found = self.workspace.file_bytes((query.get("user") or [""])[0], (query.get("id") or [""])[0])
            except LookupError:
                found = None
            if found is None:
                return self._bytes(handler, 404, b"not found", "text/plain")
            return self._bytes(
                handler,
                200,
                found[1],
                "application/json; charset=utf-8" if found[0].endswith(".json") else "application/octet-stream",
            )
        if verb == "POST" and path == "/ui/do":
            try:
                request = json.loads(raw or b"{}")
                return self._json(handler, 200, self.do(request))
            except LookupError as error:
                return self._json(handler, 404, {"ok": False, "error": str(error)})
            except (ValueError, TypeError, KeyError) as error:
                return self._json(handler, 400, {"ok": False, "error": f"bad request: {error}"})
        return self._bytes(handler, 404, b"not found", "text/plain")

    def do(self, request: dict) -> dict:
        ws, user, op = self.workspace, str(request["user"]), request.get("op")
        if op == "say":
            return ws.say(user, str(request.get("text", "")))
        if op == "post":
            return ws.post(user, str(request.get("text", "")))
        if op == "message_shortcut":
            return ws.message_shortcut(user, str(request["ts"]), str(request["callback_id"]))
        if op == "global_shortcut":
            return ws.global_shortcut(user, str(request["callback_id"]))
        if op == "join":
            return ws.join_community(user)
        if op == "tab":
            return ws.open_tab(user, str(request.get("tab", "messages")))
        if op == "click":
            return ws.click(
                user,
                dict(request["where"]),
                int(request["block_index"]),
                str(request["action_id"]),
                request.get("selected"),
            )
        if op == "submit":
            return ws.submit(user, str(request["view_id"]), dict(request.get("values") or {}))
        if op == "close":
            return ws.close(user, str(request["view_id"]))
        return {"ok": False, "error": f"unknown op {op!r}"}

    def _file(self, handler, path: Path) -> None:
        self._bytes(handler, 200, path.read_bytes(), TYPES.get(path.suffix, "application/octet-stream"))

    def _json(self, handler, status: int, body: dict) -> None:
        self._bytes(handler, status, json.dumps(body).encode(), "application/json; charset=utf-8")

    @staticmethod
    def _bytes(handler, status: int, data: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        handler.wfile.write(data)

"""A Slack Web API client double for the use-case tier: answers the calls the sender makes, in
memory, and records them. The end-to-end tier uses the real client against the fake Web API
(`tests.support.fakeslack`), which also checks every call against Slack's reference; this one
only records, so the sender's own decisions can be tested without HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse


def _response(data: dict, status: int = 200) -> SlackResponse:
    return SlackResponse(
        client=None, http_verb="POST", api_url="double", req_args={}, data=data, headers={}, status_code=status
    )


@dataclass
class SlackDouble:
    tz: str = "Europe/London"
    locale: str = "en-US"
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error code to answer with
    calls: list[tuple[str, dict]] = field(default_factory=list)
    _ts: count = field(default_factory=lambda: count(1))

    def _answer(self, method: str, arguments: dict, data: dict) -> SlackResponse:
        self.calls.append((method, arguments))
        if method in self.errors:
            error = _response({"ok": False, "error": self.errors[method]})
            raise SlackApiError(self.errors[method], error)
        return _response({"ok": True, **data})

    def made(self, method: str) -> list[dict]:
        return [arguments for name, arguments in self.calls if name == method]

    def users_info(self, *, user: str, include_locale: bool = False) -> SlackResponse:
        answer = {"id": user, "tz": self.tz, "profile": {}, **({"locale": self.locale} if include_locale else {})}
        return self._answer("users.info", {"user": user}, {"user": answer})

    def dnd_info(self, *, user: str) -> SlackResponse:
        return self._answer("dnd.info", {"user": user}, {"dnd_enabled": False})

    def dnd_teamInfo(self, *, users: str) -> SlackResponse:
        return self._answer("dnd.teamInfo", {"users": users}, {"users": {}})

    def chat_postMessage(self, **arguments) -> SlackResponse:
        channel = arguments["channel"]
        dm = "D" + channel[1:] if channel.startswith("U") else channel
        return self._answer("chat.postMessage", arguments, {"channel": dm, "ts": f"1700000000.{next(self._ts):06d}"})

    def chat_update(self, **arguments) -> SlackResponse:
        return self._answer("chat.update", arguments, {"channel": arguments["channel"], "ts": arguments["ts"]})

    def conversations_history(self, **arguments) -> SlackResponse:
        return self._answer("conversations.history", arguments, {"messages": [], "has_more": False})

    def conversations_open(self, *, users: str) -> SlackResponse:
        return self._answer("conversations.open", {"users": users}, {"channel": {"id": "D" + users[1:]}})

    def auth_test(self) -> SlackResponse:
        return self._answer("auth.test", {}, {"user_id": "UNUDGEBOT"})

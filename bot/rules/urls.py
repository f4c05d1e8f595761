"""The URL checks settings need: whether a text is a usable http(s) URL, and the same URL with
its password hidden, so that a database or API URL can be shown in a message or a log.

Pure: the standard library only.
"""

from __future__ import annotations

import re

_URL_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)", re.DOTALL)


def redact_url(url: str) -> str:
    """Hide the password in ``scheme://user:password@host/...`` (for logs and repr)."""
    match = _URL_RE.fullmatch(url)
    if match is None:
        return url
    rest = match.group("rest")
    at = rest.rfind("@")
    if at == -1:
        return url
    userinfo = rest[:at]
    if ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{match.group('scheme')}://{user}:***@{rest[at + 1 :]}"


def http_url_problem(text: str, *, https_only: bool) -> str:
    """Return the reason ``text`` is not a usable http(s) URL, or '' if it is."""
    match = _URL_RE.fullmatch(text)
    schemes = ("https",) if https_only else ("http", "https")
    if match is None or match.group("scheme").lower() not in schemes:
        return "scheme"
    if any(c.isspace() for c in text):
        return "spaces"
    host = re.split(r"[/?#]", match.group("rest"), maxsplit=1)[0].rpartition("@")[2]
    if not host or host.startswith(":"):
        return "host"
    return ""


_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def webhook_url_problem(text: str) -> str:
    """Why ``text`` cannot be a webhook endpoint, or '': https, or http to this machine only
    (a receiver under test), so events about people never cross a network in clear text."""
    if not http_url_problem(text, https_only=True):
        return ""
    if http_url_problem(text, https_only=False):
        return "scheme"
    host = re.split(r"[/?#]", text.split("://", 1)[1], maxsplit=1)[0].rpartition("@")[2].lower()
    name = host if host.startswith("[") else host.rsplit(":", 1)[0]
    if name.startswith("[") and "]" in name:
        name = name[: name.index("]") + 1]
    if name in _LOOPBACK_HOSTS or name.startswith("127."):
        return ""
    return "not loopback"

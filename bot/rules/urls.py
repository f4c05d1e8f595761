"""The URL checks settings need: whether a text is a usable http(s) URL, and the same URL with
its password hidden, so that a database or API URL can be shown in a message or a log.

Pure: the standard library only.
"""

from __future__ import annotations

import ipaddress
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


def api_url_expectation(text: str) -> str:
    """What a Web API base URL must be, when `text` is not a usable one ('' when it is)."""
    if http_url_problem(text, https_only=False):
        return "an http(s) URL such as https://slack.com/api/"
    if plain_http_to_another_host(text):
        return "https (plain http only to a loopback host such as 127.0.0.1 or localhost: the bot token goes with every call)"
    return ""


def plain_http_to_another_host(text: str) -> bool:
    """True for an `http://` URL whose host is not this machine itself (a loopback address or
    `localhost`): whatever travels with the request (the bot token) would cross a network in
    clear. Call on a URL `http_url_problem` accepts."""
    match = _URL_RE.fullmatch(text)
    if match is None or match.group("scheme").lower() != "http":
        return False
    authority = re.split(r"[/?#]", match.group("rest"), maxsplit=1)[0].rpartition("@")[2]
    host = authority[1:].partition("]")[0] if authority.startswith("[") else authority.rpartition(":")[0] or authority
    if host.lower() == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


_USERINFO_RE = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^\s/@:]*)(?P<password>:[^\s/@]*)?@")


def redact_urls_in(text: str) -> str:
    """Every URL in `text` with its password hidden (`scheme://user:***@host`), and a lone
    user part (often a token) too: for text that may quote a URL, such as an error."""

    def hide(match: re.Match) -> str:
        if match.group("password"):
            return f"{match.group('scheme')}{match.group('user')}:***@"
        return f"{match.group('scheme')}***@"

    return _USERINFO_RE.sub(hide, text)


def webhook_url_problem(text: str) -> str:
    """Why ``text`` cannot be a webhook endpoint, or '': https, or http to this machine only
    (a receiver under test), so events about people never cross a network in clear text."""
    if not http_url_problem(text, https_only=True):
        return ""
    if http_url_problem(text, https_only=False):
        return "scheme"
    return "not loopback" if plain_http_to_another_host(text) else ""

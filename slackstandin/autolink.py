"""What Slack would turn into a link in mrkdwn text that is not `verbatim`.

Slack auto-links bare URLs and `#channel` names in mrkdwn unless the text object says
`"verbatim": true`; explicit `<…>` markup (a mention, `<url|label>`, a date) is read either way.
Text a person wrote must never become a link, so Nudge marks its mrkdwn verbatim, and the
stand-in refuses mrkdwn that would be linked without it: the one case where it can tell that
text reaching Slack was not meant as markup.
"""

from __future__ import annotations

import re
from typing import Any

_MARKUP = re.compile(r"<[^<>]*>")
_BARE_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>]+", re.IGNORECASE)
_BARE_CHANNEL = re.compile(r"(?<![\w&/])#[a-z][a-z0-9_-]*", re.IGNORECASE)


def autolink_problem(obj: Any, label: str) -> str | None:
    """Why Slack would link part of this text object, or None."""
    if not isinstance(obj, dict) or obj.get("type") != "mrkdwn" or obj.get("verbatim") is True:
        return None
    text = _MARKUP.sub(" ", obj.get("text") or "")
    found = _BARE_URL.search(text) or _BARE_CHANNEL.search(text)
    if found is None:
        return None
    return (
        f"{label} is mrkdwn without verbatim: true, so Slack would turn {found.group(0)!r} into a link "
        "(text a person wrote must be shown verbatim)"
    )

"""Text helpers for anything shown in Slack."""

from __future__ import annotations


def escape(value: str) -> str:
    """Escape Slack's three control characters so user text can never become a mention or link.

    Slack reads `<!channel>`, `<@U…>` and `<http://x|y>` as markup; escaping `&`, `<` and `>`
    (in that order) shows them as typed instead.
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Text helpers for anything shown in Slack."""

from __future__ import annotations


def escape(value: str) -> str:
    """Escape Slack's three control characters so user text can never become a mention or link.

    Slack reads `<!channel>`, `<@U…>` and `<http://x|y>` as markup; escaping `&`, `<` and `>`
    (in that order) shows them as typed instead.
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """Explicit `<url|label>` markup: a link Slack shows also in `verbatim` text, where a bare URL
    stays plain. The URL is escaped and a `|` in it encoded, so it cannot end the link early."""
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


def unescape_slack(value: str) -> str:
    """Undo Slack's escaping of slash-command text (`should_escape`), giving what was typed.

    Store the plain text and escape it again when showing it; markup such as `<!channel>` is then
    kept as literal characters, never as a live mention.
    """
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_date(moment, fallback: str) -> str:
    """A date Slack shows in each reader's own time zone (`<!date^…>`), with a plain fallback."""
    return f"<!date^{int(moment.timestamp())}^{{date_long_pretty}}|{fallback}>"

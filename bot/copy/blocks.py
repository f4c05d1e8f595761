"""The few Block Kit pieces every message is made of, in one place.

`Message` is what the sender posts and what handlers answer with; `section`, `context` and
`button` keep the block shapes the same everywhere; `plain` splits long replies so each section
stays inside Slack's limit.

Slack counts its limits on the text as sent, i.e. after escaping (`&` is five characters as
`&amp;`). Everything here receives markdown that is already escaped, so `len()` is the length Slack
sees, and every helper is total: `section` and `context` end over-long text with "…" (never inside
an entity or a `<…>` mention), `sections` splits it, and `fit_blocks` keeps a message or view
within its block count. No user text can make a reply fail to render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.copy.i18n import N_, _

# After an erasure a candidate's invitations are keyed by a suppression hash, not a Slack id.
ERASED_CANDIDATE = N_("a candidate who asked to be forgotten")
ERASED_CANDIDATE_START = N_("A candidate who asked to be forgotten")
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


def candidate_mention(candidate_id: str, *, start: bool = False) -> str:
    """`<@U…>` for a Slack user id; for anything else (a suppression hash after an erasure) a
    neutral phrase, so a hash never appears as a mention and nobody is named who asked not to be."""
    if _SLACK_USER_ID.fullmatch(candidate_id or ""):
        return f"<@{candidate_id}>"
    return _(ERASED_CANDIDATE_START) if start else _(ERASED_CANDIDATE)


MAX_SECTION = 2900  # a section's text may be 3,000 characters
MAX_BLOCKS = 45  # a message may carry 50 blocks; leave room for a header or buttons
MAX_MESSAGE_BLOCKS = 50  # Slack's limit for a message
MAX_VIEW_BLOCKS = 100  # ... and for a modal or the App Home tab
MAX_TEXT = 39_000  # the fallback `text` may be 40,000 characters
ELLIPSIS = "…"


@dataclass(frozen=True)
class Message:
    """Fallback text plus Block Kit blocks, ready for `chat.postMessage` or an ack."""

    text: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def as_kwargs(self) -> dict:
        blocks = fit_blocks(list(self.blocks), MAX_MESSAGE_BLOCKS)
        return {"text": fit(self.text, MAX_TEXT), "blocks": [block.to_dict() for block in blocks]}


def fit(markdown: str, limit: int = MAX_SECTION) -> str:
    """`markdown` as it is when it fits in `limit` characters, else cut there with "…"
    (at a space where there is one nearby, never inside `&amp;` or a `<…>` mention)."""
    if len(markdown) <= limit:
        return markdown
    return markdown[: _cut(markdown, limit - len(ELLIPSIS))] + ELLIPSIS


def mrkdwn(markdown: str) -> MarkdownTextObject:
    """A mrkdwn text object that is `verbatim`: nearly every message carries text a person wrote
    (role details, titles, notes, interests …), and without `verbatim` Slack turns a bare URL or
    #channel in it into a link. Nudge's own links and mentions are explicit `<…>` markup, which
    Slack reads either way."""
    return MarkdownTextObject(text=markdown, verbatim=True)


def section(markdown: str) -> SectionBlock:
    """One section; text too long for it ends with "…" (use `sections` to keep all of it)."""
    return SectionBlock(text=mrkdwn(fit(markdown)))


def verbatim_section(markdown: str, *, block_id: str | None = None, accessory=None) -> SectionBlock:
    """A section showing text a person wrote (already escaped): `verbatim`, so Slack turns no
    bare URL, `#channel` or `@name` in it into a link."""
    return SectionBlock(
        block_id=block_id, text=MarkdownTextObject(text=fit(markdown), verbatim=True), accessory=accessory
    )


def context(markdown: str) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(fit(markdown))])


def fit_blocks(blocks: list, limit: int) -> list:
    """At most `limit` blocks: when there are more, the first `limit - 1` and a line saying the
    rest did not fit (Slack refuses the whole message or view otherwise)."""
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], context(_("… and more that doesn't fit here."))]


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action_id, value=value, style=style)


def _cut(line: str, limit: int) -> int:
    """Where to split a line longer than `limit`: at a space if there is one in the second half,
    never inside an escaped entity (`&amp;`) or a `<…>` mention, link or date."""
    cut = limit
    space = line.rfind(" ", limit // 2, limit)
    if space > 0:
        cut = space + 1
    amp = line.rfind("&", 0, cut)
    if amp >= 0 and ";" not in line[amp:cut] and cut - amp < 8:
        cut = amp
    opening = line.rfind("<", 0, cut)
    if opening > 0 and ">" not in line[opening:cut]:
        cut = opening
    return cut if cut > 0 else limit


def _lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        while len(line) > MAX_SECTION:
            cut = _cut(line, MAX_SECTION)
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def chunks(text: str, max_parts: int = MAX_BLOCKS) -> list[str]:
    """Split long text on line breaks (and overlong lines at a space) so each section stays
    inside Slack's limit, which counts the text as sent, i.e. after escaping. Beyond
    `max_parts` the last part ends with "…"."""
    parts, current = [], ""
    for line in _lines(text):
        if len(current) + len(line) + 1 > MAX_SECTION and current:
            parts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    parts.append(current)
    if len(parts) > max_parts:
        parts = parts[:max_parts]
        parts[-1] = fit(parts[-1] + " " + ELLIPSIS, MAX_SECTION)
    return parts


def sections(markdown: str, max_parts: int = MAX_BLOCKS) -> list[SectionBlock]:
    """One section for ordinary text; as many as it needs (up to `max_parts`) when user text
    makes it long."""
    return [section(part) for part in chunks(markdown, max_parts)]


def plain(text: str) -> Message:
    """A text-only reply: the text as fallback, and as many sections as it needs."""
    return Message(text=text, blocks=tuple(sections(text)))

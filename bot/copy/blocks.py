"""The few Block Kit pieces every message is made of, in one place.

`Message` is what the sender posts and what handlers answer with; `section`, `context` and
`button` keep the block shapes the same everywhere; `plain` splits long replies so each section
stays inside Slack's limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

import re

# After an erasure a candidate's invitations are keyed by a suppression hash, not a Slack id.
ERASED_CANDIDATE = "a candidate who asked to be forgotten"
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


def candidate_mention(candidate_id: str, *, start: bool = False) -> str:
    """`<@U…>` for a Slack user id; for anything else (a suppression hash after an erasure) a
    neutral phrase, so a hash never appears as a mention and nobody is named who asked not to be."""
    if _SLACK_USER_ID.fullmatch(candidate_id or ""):
        return f"<@{candidate_id}>"
    return ERASED_CANDIDATE[0].upper() + ERASED_CANDIDATE[1:] if start else ERASED_CANDIDATE


MAX_SECTION = 2900  # a section's text may be 3,000 characters
MAX_BLOCKS = 45  # a message may carry 50 blocks; leave room for a header or buttons
MAX_TEXT = 39_000  # the fallback `text` may be 40,000 characters


@dataclass(frozen=True)
class Message:
    """Fallback text plus Block Kit blocks, ready for `chat.postMessage` or an ack."""

    text: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def as_kwargs(self) -> dict:
        text = self.text if len(self.text) <= MAX_TEXT else self.text[: _cut(self.text, MAX_TEXT)] + "…"
        return {"text": text, "blocks": [block.to_dict() for block in self.blocks]}


def section(markdown: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=markdown))


def context(markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=markdown)])


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


def chunks(text: str) -> list[str]:
    """Split long text on line breaks (and overlong lines at a space) so each section stays
    inside Slack's limit, which counts the text as sent, i.e. after escaping."""
    parts, current = [], ""
    for line in _lines(text):
        if len(current) + len(line) + 1 > MAX_SECTION and current:
            parts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    parts.append(current)
    return parts[:MAX_BLOCKS]


def sections(markdown: str) -> list[SectionBlock]:
    """One section for ordinary text; as many as it needs when user text makes it long."""
    return [section(part) for part in chunks(markdown)]


def plain(text: str) -> Message:
    """A text-only reply: the text as fallback, and as many sections as it needs."""
    return Message(text=text, blocks=tuple(sections(text)))

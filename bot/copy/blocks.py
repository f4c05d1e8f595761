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

MAX_SECTION = 2900  # a section's text may be 3,000 characters
MAX_BLOCKS = 45  # a message may carry 50 blocks; leave room for a header or buttons


@dataclass(frozen=True)
class Message:
    """Fallback text plus Block Kit blocks, ready for `chat.postMessage` or an ack."""

    text: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}


def section(markdown: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=markdown))


def context(markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=markdown)])


def button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action_id, value=value, style=style)


def chunks(text: str) -> list[str]:
    """Split long replies on line breaks so each section stays inside Slack's limit."""
    parts, current = [], ""
    for line in text.split("\n"):
        if len(current) + len(line) + 1 > MAX_SECTION and current:
            parts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    parts.append(current)
    return parts[:MAX_BLOCKS]


def plain(text: str) -> Message:
    """A text-only reply: the text as fallback, and as many sections as it needs."""
    return Message(text=text, blocks=tuple(section(part) for part in chunks(text)))

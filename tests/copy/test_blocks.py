"""The Block Kit helpers are total: whatever a person typed, once escaped, every section and
context fits Slack's 3,000 characters as sent, no entity (`&amp;`) or mention is cut in half,
and no message or view carries more blocks than Slack takes."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.copy.blocks import (
    ELLIPSIS,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION,
    MAX_VIEW_BLOCKS,
    Message,
    chunks,
    context,
    fit,
    fit_blocks,
    section,
    sections,
)
from bot.copy.views import modal
from bot.rules.text import escape
from tests.support.fakeslack import message_problems, view_problems

typed = st.text(alphabet=st.sampled_from([*list("&<> ab\n"), "é", "😀"]), max_size=9000)
_BROKEN_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def _entities_whole(text: str) -> bool:
    return _BROKEN_ENTITY.search(text) is None


@settings(max_examples=300, deadline=None)
@given(typed)
def test_every_chunk_fits_as_sent_and_keeps_entities_whole(raw):
    for part in chunks(escape(raw)):
        assert len(part) <= MAX_SECTION
        assert _entities_whole(part), part[-20:]


@settings(max_examples=300, deadline=None)
@given(typed)
def test_nothing_is_lost_when_the_text_fits_in_the_parts(raw):
    escaped = escape(raw)
    parts = chunks(escaped)
    if ELLIPSIS not in "".join(parts):
        assert "".join(parts).replace("\n", "") == escaped.replace("\n", "")


@settings(max_examples=300, deadline=None)
@given(typed, st.integers(min_value=10, max_value=3000))
def test_fit_cuts_with_an_ellipsis_and_never_inside_an_entity(raw, limit):
    escaped = escape(raw)
    cut = fit(escaped, limit)
    assert len(cut) <= limit
    assert cut == escaped or (cut.endswith(ELLIPSIS) and _entities_whole(cut))


def test_a_section_or_context_of_any_length_is_valid_for_slack():
    for text in ("&" * 5000, escape("<" * 3000), escape("&<>" * 2000) + " <@U123>"):
        message = Message(text="x", blocks=(section(escape(text)), context(escape(text))))
        assert message_problems(message.as_kwargs()) == []


def test_a_mention_is_never_split():
    text = "a" * (MAX_SECTION - 5) + " <@U12345678>" + " b" * 100
    for part in chunks(text):
        assert part.count("<") == part.count(">")


def test_too_much_text_ends_with_an_ellipsis_within_the_part_limit():
    parts = chunks(escape("&" * 200_000), max_parts=4)
    assert len(parts) == 4 and parts[-1].endswith(ELLIPSIS)
    assert all(len(p) <= MAX_SECTION for p in parts)


def test_block_counts_are_capped_for_messages_and_views():
    many = sections("\n".join(escape("&" * 580) for _ in range(400)), max_parts=200)
    assert len(many) > MAX_VIEW_BLOCKS
    assert message_problems(Message(text="x", blocks=tuple(many)).as_kwargs()) == []
    assert len(Message(text="x", blocks=tuple(many)).as_kwargs()["blocks"]) == MAX_MESSAGE_BLOCKS
    view = modal(title="Role created", blocks=many).to_dict()
    assert view_problems(view) == [] and len(view["blocks"]) == MAX_VIEW_BLOCKS
    assert fit_blocks(many[:3], 50) == many[:3]

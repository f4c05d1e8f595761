"""Every message the bot can show: valid Block Kit, and copy that follows the spec's principles."""

from __future__ import annotations

import json
import re

import pytest
from slack_sdk.models.blocks import Block

from bot.copy import candidate as messages

URGENCY = re.compile(r"\b(asap|last chance|urgent|don't miss|hurry|today only|act now|limited time)\b", re.I)


def _all_messages():
    for privacy_url in ("https://example.com/privacy", None):
        for already in (False, True):
            yield (
                f"opted_in-{already}-{bool(privacy_url)}",
                messages.opted_in(command="/nudge", privacy_url=privacy_url, already=already),
            )
            yield f"opted_out-{already}", messages.opted_out(command="/nudge", already=already)
        for recruiter in (False, True):
            for joined in (False, True):
                yield (
                    f"help-{recruiter}-{joined}",
                    messages.help_message(
                        command="/nudge", is_recruiter=recruiter, opted_in_now=joined, privacy_url=privacy_url
                    ),
                )
        yield "recruiters_only", messages.recruiters_only(command="/nudge", privacy_url=privacy_url, opted_in_now=False)
    yield "unknown", messages.unknown_command(command="/nudge")
    yield "not_available", messages.not_available_yet(command="/nudge", name="prefs")
    yield "pointer", messages.dm_pointer(command="/nudge")


ALL = list(_all_messages())


@pytest.mark.parametrize(("name", "message"), ALL, ids=[n for n, _ in ALL])
def test_message_is_valid_block_kit_with_fallback_text(name, message):
    payload = message.as_kwargs()
    assert payload["text"].strip()
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        assert Block.parse(block).to_dict() == block  # slack_sdk validates Slack's limits here


@pytest.mark.parametrize(("name", "message"), ALL, ids=[n for n, _ in ALL])
def test_message_uses_no_urgency_words(name, message):
    assert not URGENCY.search(json.dumps(message.as_kwargs()))


@pytest.mark.parametrize(("name", "message"), ALL, ids=[n for n, _ in ALL])
def test_every_message_shows_a_way_out_or_onward(name, message):
    everything = json.dumps(message.as_kwargs())
    assert "/nudge" in everything or "stop" in everything


def test_button_values_are_fixed_words_not_user_text():
    help_blocks = messages.help_message(
        command="/nudge", is_recruiter=False, opted_in_now=False, privacy_url=None
    ).as_kwargs()["blocks"]
    buttons = [e for b in help_blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(messages.ACTION_JOIN, "join")]


def test_opt_in_confirmation_says_it_is_not_a_commitment():
    text = messages.opted_in(command="/nudge", privacy_url=None, already=False).text
    assert "No commitment" in text and "not an application" in text


def test_no_message_or_view_anywhere_uses_urgency_words_and_each_offers_a_way_out():
    """Every candidate-facing payload (the preview's full catalogue), not only bot/copy/candidate.py."""
    from bot.copy.preview import samples

    catalogue = samples()
    assert len(catalogue) >= 25
    for name, payload in catalogue:
        text = json.dumps(payload, ensure_ascii=False)
        assert not URGENCY.search(text), name
    invitation = json.dumps(dict(catalogue)["invitation"], ensure_ascii=False)
    assert "No commitment" in invitation and "Stop all invitations" in invitation and "Not for me" in invitation


def test_the_booking_link_is_explicit_markup_so_it_stays_a_link_in_verbatim_text():
    from bot.copy import journey

    message = journey.booking_link(recruiter_id="URITA", url="https://cal.example.com/r?a=1&b=<2>|x").as_kwargs()
    (block,) = message["blocks"]
    assert block["text"]["verbatim"] is True
    assert "<https://cal.example.com/r?a=1&amp;b=&lt;2&gt;%7Cx|pick a time>" in block["text"]["text"]


def test_role_details_with_a_url_and_a_channel_are_shown_verbatim():
    from bot.copy import journey
    from bot.copy.preview_shapes import SampleRole

    role = SampleRole(details="See https://evil.example and #general")
    message = journey.invitation(
        invitation_id=1, role=role, recruiter_id="URITA", note="ping #random www.x.example", matched=()
    ).as_kwargs()
    texts = [obj for block in message["blocks"] for obj in [block.get("text"), *block.get("elements", [])] if obj]
    carrying = [
        t
        for t in texts
        if isinstance(t, dict) and ("evil.example" in t.get("text", "") or "#random" in t.get("text", ""))
    ]
    assert carrying and all(t["type"] == "mrkdwn" and t["verbatim"] is True for t in carrying)

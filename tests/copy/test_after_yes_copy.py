"""Copy after the first yes: nothing committed in plain words, the offer check-in's fine outcome,
private notes escaped, and payloads that carry ids only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.copy import after_yes, journey
from bot.copy.preview_shapes import SampleRole, SampleRow

NOT_AN_APPLICATION = "a conversation is not an application"
NOT_AN_OFFER = "an interview is not a job offer"
NEED_NOT_ACCEPT = "an offer need not be accepted"


def _text(message) -> str:
    payload = message.as_kwargs()
    return payload["text"] + json.dumps(payload["blocks"], ensure_ascii=False)


def _committed_lines(text: str) -> bool:
    return all(line in text for line in (NOT_AN_APPLICATION, NOT_AN_OFFER, NEED_NOT_ACCEPT))


def test_the_invitation_says_nothing_is_committed():
    message = journey.invitation(invitation_id=1, role=SampleRole(), recruiter_id="UR", note=None, matched=())
    assert _committed_lines(_text(message))


def test_the_reply_to_happy_to_chat_says_nothing_is_committed_and_does_not_celebrate():
    text = _text(journey.answered(role=SampleRole(), answer="accepted", command="/nudge"))
    assert _committed_lines(text) and ":tada:" not in text


@pytest.mark.parametrize("stage", ["conversation", "interviewing", "offer"])
def test_every_check_in_says_nothing_is_committed_and_offers_step_back(stage):
    message = journey.checkin(role=SampleRole(), stage=stage, recruiter_id="UR", invitation_id=5)
    text = _text(message)
    assert _committed_lines(text) and "Step back" in text
    assert ("Write a private note" in text) is (stage != "offer")
    assert ("Staying where you are is a fine outcome too." in text) is (stage == "offer")


def test_the_stay_in_touch_dm_names_the_value_and_carries_the_note_and_three_choices():
    text = _text(after_yes.stay_in_touch(role=SampleRole(), invitation_id=5))
    assert "market value" in text and "practice" in text and "people you met" in text
    for label in ("Stay in touch (twice a year)", "Pause for 6 months", "Stop all invitations", "Write a private note"):
        assert label in text


def test_share_copy_points_to_the_sharing_command_not_the_recruiter():
    for message in (
        journey.share_ask(invitation_id=1, role=SampleRole(), command="/nudge"),
        journey.share_answered(role=SampleRole(), yes=True, command="/nudge"),
        journey.share_answered(role=SampleRole(), yes=False, command="/nudge"),
    ):
        text = _text(message)
        assert "/nudge sharing" in text and "tell your recruiter" not in text


def test_the_refusal_is_exactly_the_spec_line():
    assert (
        after_yes.profile_refused(candidate_id="U1", role_id=7).text
        == "<@U1> hasn't agreed to share their details for role #7."
    )
    assert (
        after_yes.recruiter_stepped_back(candidate_id="U1", role_id=7).text
        == "<@U1> has stepped back from #7. No reason needed."
    )


def test_notes_and_the_note_for_companies_are_escaped_and_never_in_payload_fields():
    at = datetime(2027, 1, 1, tzinfo=UTC)
    blocks = after_yes.notes_blocks([SampleRow(at=at, market_value="<!channel> & more", next_role=None)])
    text = json.dumps([b.to_dict() for b in blocks])
    assert "&lt;!channel&gt; &amp; more" in text and "<!channel>" not in text
    card = _text(
        after_yes.profile_card(
            candidate_id="U1", role=SampleRole(), name="<@U2>", title=None, interests=("a&b",), note="<https://x|y>"
        )
    )
    assert "<@U2>" not in card and "&lt;https://x|y&gt;" in card and "a&amp;b" in card
    modal = after_yes.note_modal(invitation_id=9).to_dict()
    assert modal["private_metadata"] == "9"

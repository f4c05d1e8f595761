"""End-to-end: *Not now — ask me later* → *In 1 month*, clicked on the buttons Slack was sent,
updates the invitation in place without a Block Kit violation and pauses for about a month."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlmodel import select

from storage.models import Invitation, Role
from tests.support import records
from tests.support.fakeslack import block_kit_problems
from tests.support.journeys import CAND, DM, MONDAY_NOON, invitation_of, run
from tests.support.waiting import wait_until


def buttons(blocks: list[dict]) -> dict[str, tuple[str, str]]:
    """Button label -> (action_id, value), as Slack would show them."""
    return {
        e["text"]["text"]: (e["action_id"], e["value"]) for b in blocks if b["type"] == "actions" for e in b["elements"]
    }


def press(app, blocks: list[dict], label: str, invitation: Invitation) -> None:
    action_id, value = buttons(blocks)[label]
    container = {
        "type": "message",
        "message_ts": invitation.message_ts,
        "channel_id": invitation.channel_id,
        "is_ephemeral": False,
    }
    assert app.slack.click(user_id=CAND, action_id=action_id, value=value, container=container).status == 200


def test_not_now_then_in_one_month_updates_in_place_and_pauses_for_a_month(app):
    run(app, "role add Backend Engineer | Acme & Sons | Calm APIs <small> team | python")
    run(app, "join", user=CAND)
    with app.sessions() as session:
        role_id = max(r.id for r in session.exec(select(Role)).all())
    assert run(app, f"invite <@{CAND}|x> {role_id} Loved your talk")["text"].startswith("Invitation queued")
    invitation = wait_until(lambda: (inv := invitation_of(app)) is not None and inv.status == "sent" and inv)
    assert invitation.channel_id == DM
    (delivered,) = [c for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] in (DM, CAND)]

    press(app, delivered.decoded["blocks"], "Not now — ask me later", invitation)
    (choices,) = app.fake.wait_for("chat.update")
    assert (choices.args["channel"], choices.args["ts"]) == (DM, invitation.message_ts)
    assert block_kit_problems(choices.decoded["blocks"]) == []
    months = buttons(choices.decoded["blocks"])
    assert [months[label][1] for label in ("In 1 month", "In 3 months", "In 6 months")] == [str(invitation.id)] * 3
    assert len({months[label][0] for label in months}) == len(months)  # one action_id each

    press(app, choices.decoded["blocks"], "In 1 month", invitation)
    wait_until(lambda: len(app.fake.calls_to("chat.update")) == 2)
    update = app.fake.calls_to("chat.update")[-1]
    assert (update.args["channel"], update.args["ts"]) == (DM, invitation.message_ts)
    assert block_kit_problems(update.decoded["blocks"]) == []
    assert "won't send invitations until" in update.args["text"]
    (shown,) = [m for m in app.fake.messages_in(DM) if m["ts"] == invitation.message_ts]
    assert shown["text"] == update.args["text"]  # the message the candidate sees changed in place
    assert app.fake.violations == []

    with app.sessions() as session:
        candidate = records.candidate(session, CAND)
        ledger = [(e.action, e.via) for e in records.consent_history(session, CAND)]
    paused_until = candidate.paused_until.replace(tzinfo=candidate.paused_until.tzinfo or UTC)
    assert timedelta(days=27) <= paused_until - MONDAY_NOON <= timedelta(days=32)
    assert ledger[-1] == ("paused", "button")
    assert invitation_of(app).answer == "snoozed"

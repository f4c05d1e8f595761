"""A candidate's journey through the running app, as several end-to-end modules walk it: a
recruiter's command, an invitation set up and delivered, a click on it, what reached the DM.

The helpers take a `RunningApp` (tests/conftest.py). Their defaults are the people of the
delivery tests: `RECRUITER` commands, `CAND` is invited and answers in the DM `DM`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.copy import journey as copy
from storage.models import Invitation, OutgoingMessage, Role
from tests.support import records
from tests.support.waiting import wait_until

RECRUITER = "URECRUIT1"
CAND = "UCAND0007"
DM = "D" + CAND[1:]
MONDAY_NOON = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)  # 12:00 in London: inside Mon-Fri 10-17
SUNDAY_NOON = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def run(app, text, user=RECRUITER, *, empty_ok=True) -> dict:
    """`/nudge <text>` from `user`: its answer, which must be a 200 (`{}` for an empty ack,
    unless `empty_ok=False`, where an empty answer fails the test)."""
    reply = app.slack.command(text, user_id=user)
    assert reply.status == 200, reply.body
    if not empty_ok:
        return reply.json()
    return reply.json() if reply.body else {}


def setup_invitation(
    app,
    *,
    role="Backend Engineer | Acme | Calm APIs, small team | python, remote",
    note="Loved your talk",
    user=CAND,
    interests=("python",),
):
    """A role, `user` opted in with `interests`, and an invitation queued: the new role's id."""
    run(app, f"role add {role}")
    run(app, "join", user=user)
    records.change_candidate(app, user, interests=list(interests))
    role_id = max(r.id for r in _all(app, Role))
    body = run(app, f"invite <@{user}|x> {role_id} {note}".strip())
    assert body["text"].startswith("Invitation queued"), body
    return role_id


def _all(app, model):
    with app.sessions() as session:
        return session.exec(select(model)).all()


def invitation_of(app, user=CAND) -> Invitation:
    """The newest invitation to `user`, as stored."""
    with app.sessions() as session:
        return session.exec(
            select(Invitation).where(Invitation.candidate_id == user).order_by(Invitation.id.desc())
        ).first()


def steps(app, kind=None):
    """Every outgoing step (of `kind`, if given), oldest first."""
    with app.sessions() as session:
        statement = select(OutgoingMessage).order_by(OutgoingMessage.id)
        if kind:
            statement = statement.where(OutgoingMessage.kind == kind)
        return session.exec(statement).all()


def posted_to(app, channel=DM):
    """The chat.postMessage calls to `channel` (or to the user id it is the DM of)."""
    return [c for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] in (channel, "U" + channel[1:])]


def click(app, action_id, value, user=CAND, message_ts=None):
    """`user` clicks a button on their invitation (or on the DM message `message_ts`)."""
    invitation = invitation_of(app, user)
    container = {
        "type": "message",
        "message_ts": message_ts or invitation.message_ts,
        "channel_id": invitation.channel_id or DM,
        "is_ephemeral": False,
    }
    reply = app.slack.click(user_id=user, action_id=action_id, value=value, container=container)
    assert reply.status == 200


def ts_of(app, contains: str) -> str:
    """The ts of the DM message whose text contains `contains`."""
    return wait_until(lambda: next((m["ts"] for m in app.fake.messages_in(DM) if contains in m.get("text", "")), None))


def wait_sent(app, user=CAND):
    """`user`'s newest invitation, once it has been sent."""
    return wait_until(lambda: (inv := invitation_of(app, user)) is not None and inv.status == "sent" and inv)


def call_ts(app, call):
    """The ts Slack gave the DM message that carries step metadata."""
    return next(m for m in app.fake.messages_in(DM) if m.get("metadata"))["ts"]


def accepted(app, **kwargs) -> tuple[int, int]:
    """An invitation set up (`setup_invitation`'s arguments), sent and answered *Happy to chat*,
    up to the question about sharing: (role id, invitation id)."""
    role_id = setup_invitation(app, **kwargs)
    invitation = wait_sent(app)
    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    wait_until(lambda: any("may your name and profile" in c.args["text"] for c in posted_to(app)))
    return role_id, invitation.id


def stage_a_post_that_reached_slack_before_its_sender_died(app, fake_slack, clock) -> None:
    """An invitation whose sender posted and died before recording: the message is in Slack, the
    step has one attempt counted and its lease ran out; then the next tick runs."""
    from slack_sdk import WebClient

    run(app, "team pause")  # keep the invitation from going out on its own
    setup_invitation(app)
    # The kick after `invite` holds the step while the team is paused; it must be done with it
    # before the tick runs, or the tick skips the row it still holds (SKIP LOCKED) and nothing
    # sends it after the kick puts it back.
    wait_until(lambda: steps(app, "invitation")[0].last_error == "team_paused")
    (step,) = steps(app, "invitation")
    records.note_a_post_attempt(app, step.id, now=clock())
    WebClient(token="xoxb-x", base_url=fake_slack.url).chat_postMessage(
        channel=CAND,
        text="(earlier attempt)",
        metadata={"event_type": "nudge_step", "event_payload": {"step": f"step-{step.id}"}},
    )
    run(app, "team resume")
    clock.advance(minutes=2)
    app.send_due()

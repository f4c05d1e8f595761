"""One send through the real sender against a Slack double: the phases in order, what a
delivery leaves behind, nothing twice, and what a person's error or the bot's error leads to."""

from __future__ import annotations

from sqlmodel import select

from bot.rules.statuses import InvitationStatus
from bot.rules.steps import Kind
from bot.sending.sender import SendOutcome
from storage import candidates, invitations, runs, steps
from storage.models import OutgoingMessage
from tests.support.usecase_world import RECRUITER

CAND = "UCAND0101"


def _steps(ctx, kind: Kind) -> list[OutgoingMessage]:
    with ctx.sessions() as session:
        return [s for s in session.exec(select(OutgoingMessage).order_by(OutgoingMessage.id)) if s.kind is kind]


def test_an_invitation_is_read_for_its_moment_posted_once_and_recorded_with_what_follows(ctx, journeys, slack):
    _, invitation_id = journeys.delivered(CAND)
    assert [method for method, _ in slack.calls] == ["users.info", "dnd.info", "chat.postMessage"]
    posted = slack.made("chat.postMessage")[0]
    (step,) = _steps(ctx, Kind.INVITATION)
    assert posted["channel"] == CAND and posted["metadata"]["event_payload"] == {"step": f"step-{step.id}"}
    with ctx.sessions() as session:
        invitation = invitations.get_invitation(session, invitation_id=invitation_id)
        person = candidates.get_candidate(session, slack_user_id=CAND)
    assert invitation.status is InvitationStatus.SENT and invitation.channel_id == "D" + CAND[1:]
    assert person.dm_channel_id == "D" + CAND[1:]  # as Slack named it
    assert [s.kind for s in _steps(ctx, Kind.FOLLOWUP) + _steps(ctx, Kind.EXPIRE)] == [Kind.FOLLOWUP, Kind.EXPIRE]


def test_a_step_already_sent_is_not_sent_again(ctx, journeys, slack, sender):
    journeys.delivered(CAND)
    (step,) = _steps(ctx, Kind.INVITATION)
    assert sender.send_one(step.id) is SendOutcome.NOT_SENT
    assert len(slack.made("chat.postMessage")) == 1


def test_a_person_slack_cannot_reach_is_marked_unreachable_and_their_invitation_failed(ctx, journeys, slack, sender):
    slack.errors["chat.postMessage"] = "user_not_found"
    role_id = journeys.role()
    journeys.consent.join(CAND, via="command")
    queued = journeys.recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert sender.send_one(queued.step_id) is SendOutcome.NOT_SENT
    with ctx.sessions() as session:
        person = candidates.get_candidate(session, slack_user_id=CAND)
        invitation = invitations.get_invitation(session, invitation_id=queued.invitation.id)
        step = steps.get_message(session, message_id=queued.step_id)
    assert person.unreachable_reason == "user_not_found"
    assert invitation.status is InvitationStatus.FAILED and step.failed_at is not None


def test_an_error_about_the_bot_stops_all_sending_and_keeps_the_step(ctx, journeys, slack, sender):
    slack.errors["chat.postMessage"] = "token_revoked"
    role_id = journeys.role()
    journeys.consent.join(CAND, via="command")
    queued = journeys.recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert sender.send_one(queued.step_id) is SendOutcome.NOT_SENT
    with ctx.sessions() as session:
        assert runs.sending_stop(session).reason == "token_revoked"
        step = steps.get_message(session, message_id=queued.step_id)
    assert step.sent_at is None and step.failed_at is None and step.cancelled_at is None
    assert sender.switch.halted() == "token_revoked"
    del slack.errors["chat.postMessage"]
    assert sender.send_one(queued.step_id) is SendOutcome.NOT_SENT  # stopped until auth.test succeeds
    assert sender.switch.check_authorization() is True

"""Webhook events are written in the transaction of the change they report, from answers,
stages, sharing and consent only: a never-listed invitation reports nothing, and an erasure
leaves only `candidate.erased` about the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.rules.consent import Via
from bot.rules.statuses import Answer, Stage
from bot.rules.webhooks import ping
from bot.sending.webhooks import WebhookSender
from bot.usecases import webhooks
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from storage import sharing
from storage.models import Candidate
from tests.support.usecase_world import RECRUITER, START, Journeys, context, usecase_settings
from tests.support.webhooks import ON, queued, types_of

ALICE = "UALICE0001"


@pytest.fixture
def ctx(sessions, database_url, clock):
    return context(sessions, usecase_settings(database_url, **ON), clock)


def test_nothing_is_queued_when_webhooks_are_off(sessions, database_url, clock, sender):
    off = Journeys(context(sessions, usecase_settings(database_url), clock), sender)
    off.accepted(ALICE)
    assert queued(sessions) == []


def test_the_journey_reports_answers_stages_and_sharing_in_order(ctx, journeys, sessions):
    role_id, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    _deliver_all(ctx)  # the grant went out, so its withdrawal is news to the receiver
    journeys.recruiting.set_stage(candidate_id=ALICE, role_id=role_id, stage=Stage.CONVERSATION)
    journeys.after_yes.step_back(ALICE, invitation_id, via=Via.BUTTON)
    rows = queued(sessions)
    assert [r.event_type for r in rows] == [
        "invitation.answered",
        "sharing.granted",
        "stage.changed",
        "stage.changed",
        "sharing.withdrawn",
    ]
    answered, granted, conversation, stepped_back, withdrawn = rows
    assert answered.data == {
        "invitation_id": invitation_id,
        "role_id": role_id,
        "role_title": "Backend Engineer",
        "company": "Acme",
        "candidate": ALICE,
        "answer": "accepted",
    }
    assert granted.data["profile"]["interests"] == [] and granted.data["candidate"] == ALICE
    assert conversation.data["stage"] == "conversation" and stepped_back.data["stage"] == "stepped_back"
    assert withdrawn.data == {
        "role_id": role_id,
        "role_title": "Backend Engineer",
        "company": "Acme",
        "candidate": ALICE,
    }
    assert len({r.webhook_id for r in rows}) == 5 and all(r.webhook_id.startswith("msg_") for r in rows)


def test_tell_me_more_and_not_for_me_are_answers(ctx, journeys, sessions):
    _, invitation_id = journeys.delivered(ALICE)
    journeys.journey.show_details(ALICE, invitation_id)
    journeys.journey.answer(ALICE, invitation_id, Answer.DECLINED)
    assert [r.data["answer"] for r in queued(sessions)] == ["details", "declined"]


def test_stop_withdraws_grants_then_reports_the_opt_out(ctx, journeys, sessions):
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    _deliver_all(ctx)
    journeys.consent.stop(ALICE, via=Via.KEYWORD)
    assert types_of(sessions)[-2:] == ["sharing.withdrawn", "candidate.opted_out"]


def test_closing_a_role_reports_closed_for_everyone_in_it(ctx, journeys, sessions):
    role_id, _ = journeys.accepted(ALICE)
    journeys.recruiting.close_role(role_id, by=RECRUITER)
    assert queued(sessions)[-1].data["stage"] == "closed"


def test_an_event_is_never_committed_without_its_change(ctx, sessions):
    with pytest.raises(RuntimeError), ctx.sessions() as session, session.begin():
        assert webhooks.report(session, ping(), now=START)
        raise RuntimeError("the change failed")
    assert queued(sessions) == []


def test_a_never_listed_invitation_reports_nothing(ctx, journeys, sessions, clock, sender):
    """Another engineer makes hidden invitations look delivered; nothing they go through (queued,
    'delivered', reminded, expired) is an answer, a stage or a consent change, so no event."""
    journeys.consent.join(ALICE, via=Via.COMMAND)
    with ctx.sessions() as session, session.begin():
        candidate = session.execute(select(Candidate).where(Candidate.slack_user_id == ALICE)).scalar_one()
        candidate.never_companies = ["Globex"]
    role_id = journeys.role("Globex Corp")
    queued_invite = journeys.recruiting.invite(recruiter_id=RECRUITER, candidate_id=ALICE, role_id=role_id, note=None)
    sender.send_one(queued_invite.step_id)
    for _ in range(3):
        clock.advance(days=11)
        for row in _pending_steps(sessions):
            sender.send_one(row)
    assert queued(sessions) == []


def _pending_steps(sessions) -> list[int]:
    from storage.models import OutgoingMessage

    with sessions() as session:
        statement = select(OutgoingMessage.id).where(
            OutgoingMessage.sent_at.is_(None), OutgoingMessage.cancelled_at.is_(None)
        )
        return list(session.execute(statement).scalars())


def test_an_erasure_leaves_only_candidate_erased(ctx, journeys, sessions):
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    assert WebhookSender(ctx, post=lambda *post: 200).tick() == 2
    journeys.consent.join("UBOB000001", via=Via.COMMAND)
    journeys.consent.stop("UBOB000001", via=Via.KEYWORD)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    rows = queued(sessions)
    about_alice = [r for r in rows if r.candidate == ALICE]
    assert [r.event_type for r in about_alice] == ["candidate.erased"]
    assert about_alice[0].data == {"candidate": ALICE}
    assert [r.event_type for r in rows if r.candidate == "UBOB000001"] == ["candidate.opted_out"]
    assert not any(ALICE in str(r.data) for r in rows if r.event_type != "candidate.erased")


def test_an_erasure_tells_nothing_to_a_receiver_that_never_heard_of_the_person(ctx, journeys, sessions):
    """Events never posted are dropped, and no `candidate.erased` hands the receiver the Slack id
    of someone it never got anything about (a purge of a whole community, say)."""
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    journeys.consent.join("UBOB000001", via=Via.COMMAND)
    for person in (ALICE, "UBOB000001"):
        assert erase(ctx, InFlight(ctx, None), person, reason=Via.COMMAND)
    assert queued(sessions) == []


def test_sharing_granted_carries_the_consented_profile(ctx, journeys, sessions):
    _, invitation_id = journeys.accepted(ALICE)
    with ctx.sessions() as session, session.begin():
        candidate = session.execute(select(Candidate).where(Candidate.slack_user_id == ALICE)).scalar_one()
        candidate.interests, candidate.company_note = ["python", "remote"], "Open to chats on Fridays"
    journeys.journey.share(ALICE, invitation_id, yes=True)
    granted = queued(sessions)[-1]
    assert granted.data["profile"] == {
        "name": None,
        "title": None,
        "interests": ["python", "remote"],
        "note": "Open to chats on Fridays",
    }
    assert granted.created_at == START and granted.not_before <= START + timedelta(0)


def test_the_profile_sent_by_webhook_is_a_disclosure_the_candidate_sees(ctx, journeys, sessions):
    from bot.copy.after_yes import sharing as sharing_copy
    from bot.usecases.mydata import MyData

    role_id, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    overview = journeys.after_yes.overview(ALICE)
    assert [(d.role_id, d.company) for d, _ in overview.disclosures] == [(role_id, "Acme")]
    shown = str(sharing_copy([r.as_tuple() for r in overview.rows], overview.disclosures, command="/nudge").blocks)
    assert f"sent to the team's recruiting system for Acme #{role_id}" in shown
    mine = MyData(ctx, None).collect(ALICE)
    assert mine["profile_disclosures"][0]["sent_to"].startswith("the team's recruiting system")
    assert [e["event_type"] for e in mine["webhook_events"]] == ["invitation.answered", "sharing.granted"]


def _deliver_all(ctx, status: int = 200) -> None:
    sender = WebhookSender(ctx, post=lambda url, body, headers, timeout: status, chance=lambda: 0.5)
    while sender.tick():
        pass


def test_a_grant_withdrawn_before_it_went_out_never_goes_out(ctx, journeys, sessions):
    """The profile leaves only while the yes stands: a grant still waiting (the endpoint down, or
    not yet due) goes with the withdrawal, and the receiver, who never got it, hears nothing."""
    _, invitation_id = journeys.accepted(ALICE)
    _deliver_all(ctx)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    journeys.after_yes.step_back(ALICE, invitation_id, via=Via.BUTTON)
    pending = [r.event_type for r in queued(sessions) if r.delivered_at is None]
    assert "sharing.granted" not in pending and "sharing.withdrawn" not in pending
    with ctx.sessions() as session:  # nothing went to the recruiting system, so no disclosure says so
        assert sharing.disclosures_of(session, candidate_id=ALICE) == []


def test_a_grant_tried_but_not_delivered_is_dropped_and_withdrawn(ctx, journeys, sessions, clock):
    """A failed attempt may still have reached the receiver: the grant is not tried again once
    withdrawn, and the receiver is asked to delete what it may hold."""
    _, invitation_id = journeys.accepted(ALICE)
    _deliver_all(ctx)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    _deliver_all(ctx, status=500)
    journeys.after_yes.step_back(ALICE, invitation_id, via=Via.BUTTON)
    pending = [r.event_type for r in queued(sessions) if r.delivered_at is None]
    assert "sharing.granted" not in pending and pending[-1] == "sharing.withdrawn"

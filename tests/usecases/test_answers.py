"""Answers to an invitation, below HTTP: each is recorded once, cancels the reminder and the
expiry, and sets off exactly what the spec says (the recruiter's DM, the sharing question, a
pause in the candidate's own zone, an opt-out that withdraws every grant)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.rules.consent import ConsentStatus, Via
from bot.rules.statuses import Answer, Stage
from bot.rules.steps import Kind
from bot.usecases.journey import Click
from storage import candidates, invitations, ledger, steps
from storage.models import OutgoingMessage
from tests.support.usecase_world import START

CAND = "UCAND0102"
STRANGER = "UCAND0103"


def _pending(ctx) -> list[Kind]:
    with ctx.sessions() as session:
        rows = session.exec(select(OutgoingMessage).where(steps.pending_condition()).order_by(OutgoingMessage.id))
        return [row.kind for row in rows]


def test_happy_to_chat_tells_the_recruiter_asks_about_sharing_and_ends_the_reminders(ctx, journeys):
    _, invitation_id = journeys.delivered(CAND)
    result = journeys.journey.answer(CAND, invitation_id, Answer.ACCEPTED)
    assert result.state is Click.ANSWERED and result.answer is Answer.ACCEPTED
    assert len(result.steps) == 2
    assert _pending(ctx) == [Kind.RECRUITER_ACCEPTED, Kind.SHARE_ASK]  # follow-up and expiry cancelled
    with ctx.sessions() as session:
        assert invitations.get_invitation(session, invitation_id=invitation_id).stage is Stage.ACCEPTED


def test_a_second_click_changes_nothing(ctx, journeys):
    _, invitation_id = journeys.delivered(CAND)
    journeys.journey.answer(CAND, invitation_id, Answer.DECLINED)
    again = journeys.journey.answer(CAND, invitation_id, Answer.ACCEPTED)
    assert again.state is Click.ALREADY and again.answer is Answer.DECLINED and again.steps == []


def test_someone_elses_invitation_cannot_be_answered(ctx, journeys):
    _, invitation_id = journeys.delivered(CAND)
    journeys.consent.join(STRANGER, via=Via.COMMAND)
    assert journeys.journey.answer(STRANGER, invitation_id, Answer.ACCEPTED).state is Click.NOT_YOURS


def test_not_now_pauses_every_role_until_that_many_months_later_in_their_zone(ctx, journeys):
    _, invitation_id = journeys.delivered(CAND)
    result = journeys.journey.answer(CAND, invitation_id, Answer.SNOOZED, months=6)
    assert result.zone_name == "UTC" and result.paused_until.date() == (START + timedelta(days=181)).date()
    with ctx.sessions() as session:
        assert candidates.get_candidate(session, slack_user_id=CAND).paused_until == result.paused_until


def test_stop_from_an_invitation_opts_out_and_withdraws_every_sharing_grant(ctx, journeys, clock):
    _, accepted = journeys.accepted(CAND)
    journeys.journey.share(CAND, accepted, yes=True)
    clock.advance(days=100)  # past the quarterly cadence: the next invitation may go
    _, other = journeys.delivered(CAND)
    journeys.journey.answer(CAND, other, Answer.STOPPED)
    with ctx.sessions() as session:
        assert candidates.get_candidate(session, slack_user_id=CAND).consent_status is ConsentStatus.OPTED_OUT
        assert ledger.granted_roles(session, candidate_id=CAND) == {}


def test_a_click_that_overtakes_the_record_of_delivery_records_it_first(ctx, journeys):
    role_id = journeys.role()
    journeys.consent.join(CAND, via=Via.COMMAND)
    queued = journeys.recruiting.invite(recruiter_id="URECRUIT1", candidate_id=CAND, role_id=role_id, note=None)
    result = journeys.journey.answer(CAND, queued.invitation.id, Answer.DECLINED, seen_in=("DCAND0102", "1.000001"))
    assert result.state is Click.ANSWERED
    with ctx.sessions() as session:
        invitation = invitations.get_invitation(session, invitation_id=queued.invitation.id)
        step = steps.get_message(session, message_id=queued.step_id)
    assert invitation.message_ts == "1.000001" and step.sent_at is not None  # the sender will add nothing

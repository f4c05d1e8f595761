"""After the first yes, below HTTP: stages only move forward and each queues its one check-in;
stepping back ends the role's process and its grant; a profile goes out only while the grant
stands, and each one is a disclosure the candidate sees."""

from __future__ import annotations

from bot.rules.consent import Via
from bot.rules.statuses import Stage
from bot.rules.steps import Kind
from bot.usecases.after_yes import ProfileState, StepBack
from bot.usecases.recruiting import StageRefusal
from storage import invitations, sharing, steps
from tests.support.usecase_world import RECRUITER

CAND = "UCAND0104"


def test_a_stage_is_refused_with_a_reason_until_the_candidate_is_happy_to_chat(journeys):
    role_id, _ = journeys.delivered(CAND)
    assert journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id + 1, stage=Stage.OFFER).refusal is (
        StageRefusal.NO_INVITATION
    )
    refused = journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id, stage=Stage.CONVERSATION)
    assert refused.refusal is StageRefusal.NOT_ACCEPTED and refused.step_id is None


def test_stages_move_forward_only_and_each_queues_one_check_in(journeys):
    role_id, _ = journeys.accepted(CAND)
    moved = journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id, stage=Stage.INTERVIEWING)
    assert moved.refusal is None and moved.step_id is not None
    back = journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id, stage=Stage.CONVERSATION)
    assert back.refusal is StageRefusal.OUT_OF_ORDER and back.current is Stage.INTERVIEWING


def test_stepping_back_ends_the_process_withdraws_the_grant_and_tells_the_recruiter_once(ctx, journeys):
    role_id, invitation_id = journeys.accepted(CAND)
    journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.BUTTON)
    journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id, stage=Stage.CONVERSATION)
    stepped = journeys.after_yes.step_back(CAND, invitation_id, via=Via.BUTTON)
    assert stepped.state is StepBack.STEPPED_BACK and len(stepped.steps) == 1
    assert journeys.after_yes.step_back(CAND, invitation_id, via=Via.BUTTON).state is StepBack.ALREADY
    overview = journeys.after_yes.overview(CAND)
    assert overview.rows[0].shared_since is None and not overview.rows[0].in_progress
    later = journeys.recruiting.set_stage(candidate_id=CAND, role_id=role_id, stage=Stage.OFFER)
    assert later.refusal is StageRefusal.STEPPED_BACK


def test_a_profile_goes_out_only_while_the_grant_stands_and_each_is_a_disclosure(ctx, journeys):
    role_id, _ = journeys.accepted(CAND)
    assert journeys.after_yes.profile(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id).state is (
        ProfileState.REFUSED
    )
    journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.BUTTON)
    shown = journeys.after_yes.profile(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id)
    assert shown.state is ProfileState.SHOWN
    journeys.after_yes.set_sharing(CAND, role_id, yes=False, via=Via.APP_HOME)
    again = journeys.after_yes.profile(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id)
    assert again.state is ProfileState.REFUSED
    with ctx.sessions() as session:
        assert [d.role_id for d in sharing.disclosures_of(session, candidate_id=CAND)] == [role_id]


def test_closing_a_role_moves_its_candidates_to_closed_with_one_stay_in_touch(ctx, journeys):
    role_id, invitation_id = journeys.accepted(CAND)
    closed = journeys.recruiting.close_role(role_id, by=RECRUITER)
    assert closed.role is not None and len(closed.steps) == 1
    with ctx.sessions() as session:
        assert steps.get_message(session, message_id=closed.steps[0]).kind is Kind.STAY_IN_TOUCH
        assert invitations.get_invitation(session, invitation_id=invitation_id).stage is Stage.CLOSED
    assert journeys.recruiting.close_role(role_id, by=RECRUITER).role is None

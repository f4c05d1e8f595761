"""Sharing stands only on a live yes: a grant needs the candidate opted in, their *Happy to chat*
and no step back; `share`, `profile` and `save_note` lock the candidate's row first (the lock
order in `storage`), so none of them can write a row keyed by a raw Slack id after `forget`; and
a send that lands after `forget` and `join` writes nothing onto the rows erased meanwhile."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.copy import after_yes as copy
from bot.rules.consent import Via
from bot.rules.statuses import Answer
from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.sender import SendOutcome, StepSender
from bot.usecases import ledger
from bot.usecases.erasure import erase, erase_in
from bot.usecases.inflight import InFlight
from storage import candidates, erasure
from storage.db import create_db_engine, make_session_factory, migrate
from storage.models import ConsentEvent, Disclosure, Invitation, OutgoingMessage, PrivateNote
from tests.support.clocks import MovableClock
from tests.support.slack_double import SlackDouble
from tests.support.usecase_world import RECRUITER, START, Journeys, context, usecase_settings

CAND = "UCAND0180"


def _stands(ctx, role_id: int) -> bool:
    with ctx.sessions() as session:
        return ledger.sharing_stands(session, candidate_id=CAND, role_id=role_id)


def test_an_old_yes_share_button_clicked_after_stop_creates_no_grant(ctx, journeys):
    role_id, invitation_id = journeys.accepted(CAND)
    journeys.consent.stop(CAND, via=Via.COMMAND)
    journeys.journey.share(CAND, invitation_id, yes=True)
    assert not _stands(ctx, role_id)
    assert journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.COMMAND) is None
    assert not _stands(ctx, role_id)


def test_an_old_yes_share_button_clicked_after_a_step_back_creates_no_grant(ctx, journeys):
    role_id, invitation_id = journeys.accepted(CAND)
    journeys.after_yes.step_back(CAND, invitation_id, via=Via.BUTTON)
    journeys.journey.share(CAND, invitation_id, yes=True)
    assert not _stands(ctx, role_id)
    assert journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.APP_HOME) is None
    assert not _stands(ctx, role_id)


def test_a_share_answer_on_an_invitation_not_accepted_creates_no_grant(ctx, journeys):
    role_id, invitation_id = journeys.delivered(CAND)
    journeys.journey.answer(CAND, invitation_id, Answer.DECLINED)
    journeys.journey.share(CAND, invitation_id, yes=True)
    assert not _stands(ctx, role_id)


def test_while_the_yes_stands_sharing_is_granted_and_withdrawn_as_asked(ctx, journeys):
    role_id, invitation_id = journeys.accepted(CAND)
    journeys.journey.share(CAND, invitation_id, yes=True)
    assert _stands(ctx, role_id)
    assert journeys.after_yes.set_sharing(CAND, role_id, yes=False, via=Via.COMMAND) is not None
    assert not _stands(ctx, role_id)
    assert journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.COMMAND) is not None
    assert _stands(ctx, role_id)


def test_sharing_offers_no_share_button_for_a_role_stepped_back_from(ctx, journeys):
    _, invitation_id = journeys.accepted(CAND)
    journeys.after_yes.step_back(CAND, invitation_id, via=Via.BUTTON)
    overview = journeys.after_yes.overview(CAND)
    blocks = [b.to_dict() for b in copy.sharing_blocks([r.as_tuple() for r in overview.rows], [], command="/nudge")]
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert copy.ACTION_SHARE_ON not in buttons
    assert "you stepped back" in str(blocks)


# --- the candidate's row is locked first: nothing raw-keyed survives a concurrent forget ---------------


@pytest.fixture
def pg_world(postgres_url):
    engine = create_db_engine(postgres_url)
    migrate(engine)
    clock = MovableClock(START)
    slack = SlackDouble()
    ctx = context(make_session_factory(engine), usecase_settings(postgres_url), clock)
    sender = StepSender(
        ctx, slack, SendingSwitch(ctx, slack), SlackReads(slack, ctx.settings), lease=timedelta(seconds=45)
    )
    yield ctx, Journeys(ctx, sender), engine
    engine.dispose()


def _raw_rows(ctx) -> list:
    with ctx.sessions() as session:
        found = [*session.exec(select(Disclosure).where(col(Disclosure.candidate_id) == CAND)).all()]
        found += session.exec(select(PrivateNote).where(col(PrivateNote.candidate_id) == CAND)).all()
        found += session.exec(select(ConsentEvent).where(col(ConsentEvent.subject) == CAND)).all()
        return found


@pytest.mark.parametrize("operation", ["profile", "save_note", "share"])
def test_profile_note_and_share_wait_for_a_forget_holding_the_candidates_row(pg_world, operation):
    ctx, journeys, _ = pg_world
    role_id, invitation_id = journeys.accepted(CAND)
    journeys.after_yes.set_sharing(CAND, role_id, yes=True, via=Via.BUTTON)
    run = {
        "profile": lambda: journeys.after_yes.profile(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id),
        "save_note": lambda: journeys.after_yes.save_note(CAND, invitation_id, market_value="more", next_role=None),
        "share": lambda: journeys.journey.share(CAND, invitation_id, yes=True),
    }[operation]
    with ctx.sessions() as session, session.begin():  # `forget`, as far as its erasure, not yet committed
        candidates.lock_existing_candidate(session, slack_user_id=CAND)
        erasure.request_erasure(
            session, slack_user_id=CAND, subject_hash=ctx.hash_of(CAND), reason=Via.COMMAND, actor=None, now=ctx.clock()
        )
        erase_in(session, ctx, CAND, Via.COMMAND, ctx.clock())
        racer = threading.Thread(target=run, daemon=True)
        racer.start()
        time.sleep(0.5)
        assert racer.is_alive(), "it did not wait for the candidate's row"
    racer.join(timeout=10)
    assert not racer.is_alive()
    assert _raw_rows(ctx) == []


# --- forget while a send is in flight, then join before it lands ----------------------------------------


class SlackThatForgetsMidPost(SlackDouble):
    """Runs `during` while the first post is on its way to Slack (the sender holds no transaction)."""

    def __init__(self) -> None:
        super().__init__()
        self.during = None

    def chat_postMessage(self, **arguments):
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return super().chat_postMessage(**arguments)


def test_a_send_landing_after_forget_and_join_writes_nothing_onto_the_erased_rows(ctx, clock):
    slack = SlackThatForgetsMidPost()
    sender = StepSender(
        ctx, slack, SendingSwitch(ctx, slack), SlackReads(slack, ctx.settings), lease=timedelta(seconds=45)
    )
    journeys = Journeys(ctx, sender)
    role_id = journeys.role()
    journeys.consent.join(CAND, via=Via.COMMAND)
    queued = journeys.recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note="hi")

    def forget_then_join():
        assert not erase(ctx, InFlight(ctx), CAND, reason=Via.COMMAND, wait=False)  # the send is in flight
        journeys.consent.join(CAND, via=Via.COMMAND)  # finishes the erasure, starts afresh

    slack.during = forget_then_join
    assert sender.send_one(queued.step_id) is SendOutcome.SENT
    subject = ctx.hash_of(CAND)
    with ctx.sessions() as session:
        erased_steps = session.exec(select(OutgoingMessage).where(col(OutgoingMessage.slack_user_id) == subject)).all()
        erased_invitations = session.exec(select(Invitation).where(col(Invitation.candidate_id) == subject)).all()
        assert erased_steps and erased_invitations
        assert [(s.channel_id or None, s.slack_ts) for s in erased_steps] == [(None, None)] * len(erased_steps)
        assert [(i.channel_id, i.message_ts) for i in erased_invitations] == [(None, None)]
        pending = [s.kind for s in erased_steps if s.sent_at is None and s.cancelled_at is None]
        assert pending == []  # no reminder or expiry queued for a hash
        assert session.exec(select(Invitation).where(col(Invitation.candidate_id) == CAND)).all() == []

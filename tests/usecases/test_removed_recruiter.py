"""A yes on a removed recruiter's invitation reaches the admins, also when the removal comes
between the yes and the recruiter's DM: that DM is cancelled and each admin is told instead."""

from __future__ import annotations

from sqlmodel import select

from bot.rules.consent import Via
from bot.rules.statuses import Answer
from bot.rules.steps import Kind
from bot.usecases.journey import Journey
from bot.usecases.recruiting import Recruiting
from bot.usecases.team import Team
from storage import steps
from storage.models import OutgoingMessage
from tests.support.usecase_world import ADMIN

CAND = "UCAND0190"
GONE = "URECRUIT8"


def _steps(ctx, kind: Kind) -> list[OutgoingMessage]:
    with ctx.sessions() as session:
        return list(session.exec(select(OutgoingMessage).where(OutgoingMessage.kind == kind)).all())


def test_a_recruiter_removed_after_the_yes_but_before_their_dm_hands_it_to_the_admins(ctx, journeys, sender, slack):
    team = Team(ctx)
    team.add_recruiter(user_id=GONE, by=ADMIN)
    team.set_booking_link(user_id=GONE, url="https://cal.example.com/gone")
    role_id = journeys.role()
    journeys.consent.join(CAND, via=Via.COMMAND)
    queued = Recruiting(ctx).invite(recruiter_id=GONE, candidate_id=CAND, role_id=role_id, note=None)
    sender.send_one(queued.step_id)
    answered = Journey(ctx).answer(CAND, queued.invitation.id, Answer.ACCEPTED)
    assert not answered.recruiter_left
    team.remove_recruiter(user_id=GONE)
    for step in answered.steps:
        sender.send_one(step)
    for step in _steps(ctx, Kind.ADMIN_ACCEPTED):
        sender.send_one(step.id)
    posts = slack.made("chat.postMessage")
    assert not any(p["channel"] in (GONE, "D" + GONE[1:]) for p in posts)
    assert not any("cal.example.com" in str(p) for p in posts)
    (to_admin,) = [p for p in posts if p["channel"] == ADMIN]
    assert f"<@{CAND}>" in to_admin["text"] and f"#{role_id}" in to_admin["text"]
    with ctx.sessions() as session:
        assert not steps.pending_step_exists(session, slack_user_id=ADMIN, kind=Kind.ADMIN_ACCEPTED)

"""The never-list stays secret: an invitation to a company on the candidate's never-list looks,
to every recruiter, exactly like one delivered inside the candidate's window and left unanswered.

Each example builds two fresh worlds that differ only in the candidate's never-list, runs the
same story in both (the same person invited to the same role at the same moment, the clock moved
the same way, due steps sent at each stop), and compares everything a recruiter can read at
every stop: the invite reply, `status`, `pipeline`, `stats`, `match` for another role, and the
recruiting section of App Home. Fresh SQLite files per example keep the worlds independent (the
end-to-end test over time runs on both databases).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from bot.copy import recruiter as replies
from bot.copy.stats import stats as stats_reply
from bot.rules.consent import Via
from bot.rules.recruiter_input import RoleDraft
from bot.rules.statuses import CancelReason
from bot.rules.steps import Kind
from bot.sending.halt import SendingSwitch
from bot.sending.moment import SlackReads
from bot.sending.sender import StepSender
from bot.usecases.recruiting import Recruiting
from bot.usecases.reports import Reports
from bot.usecases.team import Team
from storage.db import create_db_engine, make_session_factory, migrate
from storage.models import Candidate, OutgoingMessage
from tests.support.clocks import MovableClock
from tests.support.slack_double import SlackDouble
from tests.support.usecase_world import RECRUITER, START, Journeys, context, usecase_settings

CANDIDATE = "UTWIN0001"
NEVER_LIST_SPELLINGS = ["Acme", "ACME Inc.", "Асme", "The Acme Company", "acme europe"]
WINDOWS = [None, "Mon-Fri 10:00-17:00", "Mon,Wed 09:30-12:00", "Sat-Sun 20:00-02:00", "Mon-Sun 00:00-24:00"]
ZONES = ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"]
stops = st.lists(
    st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=6)).map(
        lambda d: timedelta(minutes=d // timedelta(minutes=1))
    ),
    min_size=1,
    max_size=8,
)


class World:
    """One database, one context, the real sender against the in-memory Slack double."""

    def __init__(self, path, *, zone: str, window: str | None, never: list[str], min_gap: str) -> None:
        url = f"sqlite:///{path}"
        self.engine = create_db_engine(url)
        migrate(self.engine)
        self.clock = MovableClock(START)
        self.slack = SlackDouble(tz=zone)
        self.ctx = context(make_session_factory(self.engine), usecase_settings(url, NUDGE_MIN_GAP=min_gap), self.clock)
        sender = StepSender(
            self.ctx, self.slack, SendingSwitch(self.ctx, self.slack), SlackReads(self.slack, self.ctx.settings),
            lease=timedelta(seconds=45),
        )  # fmt: skip
        self.sender = sender
        self.journeys = Journeys(self.ctx, sender)
        self.reports, self.team, self.recruiting = Reports(self.ctx), Team(self.ctx), Recruiting(self.ctx)
        self.journeys.consent.join(CANDIDATE, via=Via.COMMAND)
        with self.ctx.sessions() as session, session.begin():
            candidate = session.exec(select(Candidate).where(Candidate.slack_user_id == CANDIDATE)).one()
            candidate.interests, candidate.never_companies, candidate.send_window = ["python"], never, window
            session.add(candidate)
        self.role = self.journeys.role("ACME Europe Labs, Inc.")
        draft = RoleDraft(title="Data Engineer", company="Initech", confidential=False, tags=("python",))
        self.other_role = self.recruiting.create_role(draft, by=RECRUITER, answer=lambda role: role.id)

    def invite(self):
        result = self.recruiting.invite(recruiter_id=RECRUITER, candidate_id=CANDIDATE, role_id=self.role, note=None)
        return replies.invite_queued(result, CANDIDATE).as_kwargs()

    def _pending(self):
        with self.ctx.sessions() as session:
            return session.exec(
                select(OutgoingMessage.id, OutgoingMessage.not_before).where(
                    col(OutgoingMessage.sent_at).is_(None),
                    col(OutgoingMessage.cancelled_at).is_(None),
                    col(OutgoingMessage.failed_at).is_(None),
                )
            ).all()

    def send_due(self) -> None:
        """Send every step due now, as the outbox's tick does, until nothing more goes."""
        for _ in range(10):
            due = [message_id for message_id, at in self._pending() if at <= self.clock()]
            if not due:
                return
            for message_id in due:
                self.sender.send_one(message_id)

    def reminder_fate(self) -> tuple[bool, str | None]:
        """Whether the reminder went out, and why not if it did not."""
        with self.ctx.sessions() as session:
            sent_at, reason = session.exec(
                select(OutgoingMessage.sent_at, OutgoingMessage.last_error).where(OutgoingMessage.kind == Kind.FOLLOWUP)
            ).one()
        return sent_at is not None, None if sent_at is not None else reason

    def next_due(self):
        """When the next step falls due (the moment a tick would pick it up), if any."""
        return min((at for _, at in self._pending()), default=None)

    def seen_by_recruiters(self) -> dict:
        role, counts = self.reports.pipeline(self.role)
        other, found = self.reports.match(self.other_role)
        home = replies.recruiter_home_blocks(
            self.recruiting.open_roles(), self.team.switch(), self.reports.recent_answers()
        )
        return {
            "status": replies.candidate_status(self.reports.candidate_report(CANDIDATE)).as_kwargs(),
            "pipeline": replies.pipeline(role, counts).as_kwargs(),
            "pipeline_all": replies.pipeline(None, self.reports.pipeline(None)[1]).as_kwargs(),
            "stats": [stats_reply(self.reports.stats(timedelta(days=d)), timedelta(days=d)).text for d in (7, 90)],
            "match": replies.matches(other, found, command="/nudge").as_kwargs(),
            "home": [block.to_dict() for block in home],
        }

    def close(self) -> None:
        self.engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    window=st.sampled_from(WINDOWS),
    spelling=st.sampled_from(NEVER_LIST_SPELLINGS),
    min_gap=st.sampled_from(["0s", "30d"]),
    wait_before_invite=st.integers(min_value=0, max_value=7 * 24 * 60),
    moves=stops,
)
def test_a_never_listed_invitation_reads_to_recruiters_as_one_left_unanswered(
    tmp_path_factory, zone, window, spelling, min_gap, wait_before_invite, moves
):
    folder = tmp_path_factory.mktemp("twins")
    hidden = World(folder / "hidden.db", zone=zone, window=window, never=[spelling], min_gap=min_gap)
    plain = World(folder / "plain.db", zone=zone, window=window, never=["Globex"], min_gap=min_gap)
    try:
        for world in (hidden, plain):
            world.clock.advance(minutes=wait_before_invite)
        assert hidden.invite() == plain.invite()
        for move in [timedelta(0), *moves]:
            for world in (hidden, plain):
                world.clock.advance(seconds=move.total_seconds())
                world.send_due()
            assert hidden.seen_by_recruiters() == plain.seen_by_recruiters()
        while (due := plain.next_due()) is not None:  # then tick by tick until all is settled
            assert hidden.next_due() == due
            for world in (hidden, plain):
                world.clock.set(max(due, world.clock()))
                world.send_due()
            assert hidden.seen_by_recruiters() == plain.seen_by_recruiters()
        assert hidden.next_due() is None
        assert hidden.slack.made("chat.postMessage") == [] and hidden.slack.made("chat.update") == []
        reminded, why_not = plain.reminder_fate()
        assert hidden.reminder_fate() == (reminded, why_not)
        # A clock move past the expiry before the reminder's moment leaves the reminder unsent.
        assert reminded or why_not == CancelReason.EXPIRED_FIRST
        assert len(plain.slack.made("chat.postMessage")) == (2 if reminded else 1)  # invitation (+ reminder)
        assert len(plain.slack.made("chat.update")) == 1  # and its expiry
    finally:
        hidden.close()
        plain.close()


def test_an_answer_to_a_withheld_invitation_changes_nothing(ctx, journeys, slack):
    """No message carries its buttons, so an answer to it can only be forged: it is not open."""
    from bot.rules.statuses import Answer
    from bot.usecases.journey import Click

    role_id = journeys.role("Acme Labs")
    journeys.consent.join(CANDIDATE, via=Via.COMMAND)
    with ctx.sessions() as session, session.begin():
        candidate = session.exec(select(Candidate).where(Candidate.slack_user_id == CANDIDATE)).one()
        candidate.never_companies = ["Acme"]
        session.add(candidate)
    queued = journeys.recruiting.invite(recruiter_id=RECRUITER, candidate_id=CANDIDATE, role_id=role_id, note=None)
    journeys.sender.send_one(queued.step_id)
    assert slack.made("chat.postMessage") == []
    answered = journeys.journey.answer(CANDIDATE, queued.invitation.id, Answer.ACCEPTED, seen_in=("DTWIN0001", "1.2"))
    assert answered.state is Click.NOT_OPEN and answered.steps == []
    assert journeys.journey.open_invitation(CANDIDATE, queued.invitation.id) is None

"""Purge and retention as the spec's "Who did it is on record" says: the ledger names the admin
(or the system) for what they did, a purge cancels what is queued for people who never joined,
and it erases the people it found when it was confirmed, not those who join while it runs."""

from __future__ import annotations

import dataclasses

from sqlalchemy import text

from bot.rules.consent import Via
from bot.usecases import ledger
from bot.usecases.admin import Admin
from bot.usecases.consent import Consent
from bot.usecases.daily import DailyJobs
from bot.usecases.direct_messages import DirectMessages
from bot.usecases.inflight import InFlight
from bot.usecases.recruiting import Recruiting
from tests.support.usecase_world import ADMIN

CAND = "UCANDP001"
OTHER = "UCANDP002"
STRANGER = "USTRANGP3"
WELCOMED = "UWELCOME4"
LATE = "ULATEJOIN"


def _ledger(ctx) -> list:
    with ctx.sessions() as session:
        return list(session.execute(text("SELECT subject, action, via, actor FROM consent_event ORDER BY id")))


def _pending_steps(ctx) -> list:
    with ctx.sessions() as session:
        return list(
            session.execute(
                text(
                    "SELECT slack_user_id, kind FROM outgoing_message "
                    "WHERE sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL"
                )
            )
        )


def _dump(ctx) -> str:
    rows = []
    with ctx.sessions() as session:
        for table in ("candidate", "consent_event", "outgoing_message", "erasure_request", "invitation"):
            rows += [str(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(rows)


def test_a_purge_records_every_withdrawal_and_erasure_with_the_admin_as_actor(ctx, journeys):
    journeys.accepted(CAND)
    Consent(ctx).join(OTHER, via=Via.COMMAND)
    Admin(ctx, InFlight(ctx), client=None).purge_workspace(ADMIN)
    by_purge = [row for row in _ledger(ctx) if row.via == Via.PURGE]
    hashes = {ctx.hash_of(CAND), ctx.hash_of(OTHER)}
    assert {row.subject for row in by_purge} == hashes
    assert {row.action for row in by_purge} >= {"withdrawn", "erased"}
    assert [row.actor for row in by_purge] == [ADMIN] * len(by_purge)


def test_retention_records_its_withdrawals_and_erasures_as_the_systems_doing(ctx, clock):
    Consent(ctx).join(CAND, via=Via.COMMAND)
    clock.advance(days=ctx.settings.retention.days + 2)
    assert DailyJobs(ctx, InFlight(ctx), pause=0).retention() == 1
    by_retention = [row for row in _ledger(ctx) if row.via == Via.RETENTION]
    assert {row.action for row in by_retention} == {"withdrawn", "erased"}
    assert [row.actor for row in by_retention] == [ledger.SYSTEM_ACTOR] * len(by_retention)


def test_a_purge_cancels_welcome_dms_and_opt_in_requests_to_people_who_never_joined(ctx):
    Consent(ctx).join(CAND, via=Via.COMMAND)
    assert DirectMessages(ctx).welcome(user_id=WELCOMED, event_id=None)
    assert Recruiting(ctx).request_opt_in(candidate_id=STRANGER).step_id is not None
    assert {row.slack_user_id for row in _pending_steps(ctx)} == {WELCOMED, STRANGER}
    result = Admin(ctx, InFlight(ctx), client=None).purge_workspace(ADMIN)
    assert _pending_steps(ctx) == []
    everything = _dump(ctx)
    for person in (CAND, WELCOMED, STRANGER):
        assert person not in everything
    assert result.erased == 3


def test_people_who_join_while_a_purge_runs_are_not_erased_by_it(ctx):
    joined_meanwhile = []

    def someone_joins(_user_id: str) -> None:
        if not joined_meanwhile:
            joined_meanwhile.append(LATE)
            Consent(ctx).join(LATE, via=Via.COMMAND)

    watched = dataclasses.replace(ctx, notify=someone_joins)
    for person in (CAND, OTHER):
        Consent(ctx).join(person, via=Via.COMMAND)
    result = Admin(watched, InFlight(watched), client=None, page_size=1).purge_workspace(ADMIN)
    assert joined_meanwhile == [LATE]
    assert result.erased == 2
    with ctx.sessions() as session:
        remaining = session.execute(text("SELECT slack_user_id, consent_status FROM candidate")).all()
    assert [tuple(row) for row in remaining] == [(LATE, "opted_in")]


def test_a_purge_erases_the_people_known_at_the_click_even_when_it_starts_later(ctx):
    admin = Admin(ctx, InFlight(ctx), client=None)
    Consent(ctx).join(CAND, via=Via.COMMAND)
    clicked = admin.confirmed()
    Consent(ctx).join(LATE, via=Via.COMMAND)  # while the purge waits for a worker
    assert DirectMessages(ctx).welcome(user_id=WELCOMED, event_id=None)
    assert admin.purge_workspace(ADMIN, clicked).erased == 1
    with ctx.sessions() as session:
        remaining = session.execute(text("SELECT slack_user_id FROM candidate")).scalars().all()
    assert remaining == [LATE]
    assert [row.slack_user_id for row in _pending_steps(ctx)] == [WELCOMED]


def test_the_daily_job_gives_way_before_each_page_and_each_persons_write(ctx, clock):
    """Issue 22: the job shares the interpreter with the acks; each slice of it (a page read, one
    person's write) first waits for the requests being answered."""
    Consent(ctx).join(CAND, via=Via.COMMAND)
    clock.advance(days=ctx.settings.retention.days + 2)
    order: list[str] = []
    jobs = DailyJobs(ctx, InFlight(ctx), pause=0, give_way=lambda: order.append("give way"))
    original = jobs.inflight.wait_until_quiet
    jobs.inflight.wait_until_quiet = lambda user: (order.append("erase"), original(user))  # type: ignore[method-assign]
    assert jobs.retention() == 1
    assert order == ["give way", "give way", "erase"]


def test_giving_way_waits_while_a_request_is_answered_and_no_longer_than_its_bound():
    import threading
    import time

    from bot.entry.web import RequestsInFlight

    requests = RequestsInFlight(most=0.2)
    assert not requests.busy()
    requests.give_way()  # nothing answered: returns at once
    done = threading.Event()

    def answer():
        with requests.answering():
            done.wait(5)

    thread = threading.Thread(target=answer)
    thread.start()
    while not requests.busy():
        time.sleep(0.001)
    started = time.monotonic()
    requests.give_way()  # a request that never ends: the job waits only its bound
    assert time.monotonic() - started >= 0.2
    done.set()
    thread.join()
    assert not requests.busy()

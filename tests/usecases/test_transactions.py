"""How requests use the database: reads never take SQLite's write lock, and a request that
writes commits once (every commit is a disk sync, and one more wait for the write lock)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, text

from bot.rules.consent import ConsentStatus, Via
from bot.usecases.consent import Consent
from storage import candidates, suppression
from storage.db import writing
from storage.models import Suppression
from tests.support.usecase_world import START

CAND = "UCAND0042"


@pytest.fixture
def consent(ctx):
    return Consent(ctx)


def _suppressed(ctx, user_id: str) -> bool:
    with ctx.sessions() as session:
        return suppression.is_suppressed(session, subject_hash=ctx.hash_of(user_id))


def _statements(engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, *_args):
        seen.append(statement.strip().upper())

    return seen


def _commits(engine) -> list[int]:
    seen: list[int] = []
    event.listen(engine, "commit", lambda _conn: seen.append(1))
    return seen


def test_a_join_commits_once_even_when_it_lifts_a_suppression(ctx, consent, engine):
    with ctx.sessions() as session, session.begin():
        session.add(Suppression(subject_hash=ctx.hash_of(CAND), reason=Via.COMMAND, at=START))
    commits = _commits(engine)
    change = consent.join(CAND, via=Via.COMMAND)
    assert change.changed and len(commits) == 1
    assert not _suppressed(ctx, CAND)
    assert consent.status(CAND) is ConsentStatus.OPTED_IN


def test_sqlite_reads_begin_deferred_and_writes_take_the_lock_up_front(consent, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE and deferred BEGIN exist only on SQLite; PostgreSQL takes row locks instead")
    seen = _statements(engine)
    consent.status(CAND)
    assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen
    seen.clear()
    consent.join(CAND, via=Via.COMMAND)
    assert "BEGIN IMMEDIATE" in seen


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(ctx, consent, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE and deferred BEGIN exist only on SQLite; PostgreSQL takes row locks instead")
    consent.join(CAND, via=Via.COMMAND)
    writer = writing(engine).connect()
    transaction = writer.begin()  # another request's write transaction (BEGIN IMMEDIATE), still open
    writer.execute(text("SELECT 1"))
    try:
        answers: list = []
        reader = threading.Thread(target=lambda: answers.append(consent.status(CAND)), daemon=True)
        reader.start()
        reader.join(timeout=5)
        assert answers == [ConsentStatus.OPTED_IN]
        with ctx.sessions() as session:  # /healthz-style probes too
            assert session.execute(text("SELECT 1")).scalar() == 1
            assert candidates.get_candidate(session, slack_user_id=CAND) is not None
    finally:
        transaction.rollback()
        writer.close()


def test_a_new_person_joining_reads_their_row_once_and_inserts_it_in_one_statement(ctx, consent, engine):
    """Issue 22: a join is the launch-day burst's write. Before, a new person's join read the row
    three times (the lock, again inside `lock_candidate`, and back after the insert) and looked
    up the suppression it had just lifted: 8 statements besides BEGIN; then 6; now 5, the row
    inserted opted in rather than inserted and updated."""
    ctx.hash_of(CAND)  # the hashing key is stored once per database, not per join
    seen = _statements(engine)
    assert consent.join(CAND, via=Via.COMMAND).changed
    statements = [s for s in seen if not s.startswith("BEGIN")]
    assert sum(1 for s in statements if s.startswith("SELECT") and "FROM CANDIDATE" in s) == 1
    assert not any("FROM SUPPRESSION" in s and s.startswith("SELECT") for s in statements)
    assert not any(s.startswith("UPDATE") for s in statements)
    assert len(statements) <= 5
    assert consent.status(CAND) is ConsentStatus.OPTED_IN

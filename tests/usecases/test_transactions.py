"""How requests use the database: reads never take SQLite's write lock, and a request that
writes commits once (every commit is a disk sync, and one more wait for the write lock)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, text

from bot.rules.consent import ConsentStatus, Via
from bot.settings import load_settings
from bot.usecases.candidates import Candidates
from storage.db import writing
from storage.models import Suppression
from tests.support import records
from tests.support.clocks import MovableClock

START = datetime(2027, 1, 11, 12, 0, tzinfo=timezone.utc)
CAND = "UCAND0042"


@pytest.fixture
def candidates(sessions, database_url):
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1-2-tx", "SLACK_SIGNING_SECRET": "s" * 32, "DATABASE_URL": database_url}
    )
    candidates = Candidates(settings=settings, clock=MovableClock(START), sessions=sessions)
    candidates.secret()
    return candidates


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


def test_a_join_commits_once_even_when_it_lifts_a_suppression(candidates, engine):
    with candidates.sessions() as session, session.begin():
        session.add(Suppression(subject_hash=candidates.hash_of(CAND), reason="test", at=START))
    commits = _commits(engine)
    change = candidates.join(CAND, via=Via.COMMAND)
    assert change.changed and len(commits) == 1
    assert not candidates.is_suppressed(CAND)
    assert candidates.consent_status(CAND) is ConsentStatus.OPTED_IN


def test_sqlite_reads_begin_deferred_and_writes_take_the_lock_up_front(candidates, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE and deferred BEGIN exist only on SQLite; PostgreSQL takes row locks instead")
    seen = _statements(engine)
    candidates.consent_status(CAND)
    assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen
    seen.clear()
    candidates.join(CAND, via=Via.COMMAND)
    assert "BEGIN IMMEDIATE" in seen


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(candidates, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE and deferred BEGIN exist only on SQLite; PostgreSQL takes row locks instead")
    candidates.join(CAND, via=Via.COMMAND)
    writer = writing(engine).connect()
    transaction = writer.begin()  # another request's write transaction (BEGIN IMMEDIATE), still open
    writer.execute(text("SELECT 1"))
    try:
        answers: list = []
        reader = threading.Thread(target=lambda: answers.append(candidates.consent_status(CAND)), daemon=True)
        reader.start()
        reader.join(timeout=5)
        assert answers == [ConsentStatus.OPTED_IN]
        with candidates.sessions() as session:  # /healthz-style probes too
            assert session.execute(text("SELECT 1")).scalar() == 1
            assert records.candidate(session, CAND) is not None
    finally:
        transaction.rollback()
        writer.close()

"""The tick's claim is O(due): on PostgreSQL its query is served by the partial index on pending
steps, whatever the number of steps ever sent. Checked with EXPLAIN, never with a stopwatch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from storage import steps
from storage.db import create_db_engine, make_session_factory, migrate

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


def _plan(session, statement) -> str:
    compiled = statement.compile(dialect=postgresql.psycopg.dialect(), compile_kwargs={"render_postcompile": True})
    connection = session.connection()
    rows = connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars().all()
    return "\n".join(rows)


def test_the_claim_of_due_steps_uses_the_pending_steps_index(postgres_url):
    engine = create_db_engine(postgres_url)
    try:
        migrate(engine)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            # Many steps sent long ago, a few pending: what a bot looks like after a year.
            session.execute(
                text(
                    "INSERT INTO outgoing_message (slack_user_id, kind, created_at, not_before, attempts, sent_at) "
                    "SELECT 'U' || n, 'reply.help', :t, :t, 1, :t FROM generate_series(1, 20000) AS n"
                ),
                {"t": NOW - timedelta(days=300)},
            )
            session.execute(
                text(
                    "INSERT INTO outgoing_message (slack_user_id, kind, created_at, not_before, attempts) "
                    "SELECT 'P' || n, 'reply.help', :t, :t + n * interval '1 minute', 0 FROM generate_series(1, 50) AS n"
                ),
                {"t": NOW - timedelta(hours=1)},
            )
        with sessions() as session, session.begin():
            session.execute(text("ANALYZE outgoing_message"))
        with sessions() as session, session.begin():
            session.execute(text("SET LOCAL enable_seqscan = off"))  # so the plan shows what can be used
            for exclude in (frozenset(), frozenset({1, 2, 3})):
                plan = _plan(session, steps.claim_due_statement(now=NOW, limit=1000, exclude=exclude))
                assert "ix_outgoing_message_pending" in plan, plan
                assert "Seq Scan" not in plan, plan
        with sessions() as session, session.begin():
            claimed = steps.claim_due(session, now=NOW, lease=timedelta(seconds=45), limit=1000)
        with sessions() as session:
            due = session.execute(
                text("SELECT count(*) FROM outgoing_message WHERE sent_at IS NULL AND not_before <= :now"), {"now": NOW}
            ).scalar_one()
        assert len(claimed) == due  # one statement claims every due step, up to the batch size
    finally:
        engine.dispose()

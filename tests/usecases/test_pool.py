"""The database pool has a connection for every thread that may use it at once."""

from __future__ import annotations


def test_the_apps_pool_has_a_connection_for_every_thread_that_uses_the_database(make_app):
    from app import HOME_WORKERS, HTTP_THREADS, SCHEDULED_JOBS, SEND_WORKERS, database_threads

    app = make_app()
    pool = app.engine.pool
    assert database_threads() >= HTTP_THREADS + SEND_WORKERS + SCHEDULED_JOBS + HOME_WORKERS
    # With fewer, requests queue for a connection behind the outbox's senders and the jobs.
    assert pool.size() >= database_threads()

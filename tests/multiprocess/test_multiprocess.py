"""Several Nudge processes on one PostgreSQL database: every message step is sent exactly once,
through kills, slow Slack answers and a database restart. PostgreSQL only (SQLite is for one
process, and says so at start)."""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.cluster import Cluster, invitations_received, seed_invitations, wait_for
from tests.support.slackreq import get

pytestmark = pytest.mark.postgres


def _all_sent(fake, users):
    counts = invitations_received(fake, users)
    return all(n >= 1 for n in counts.values())


def _assert_exactly_once(fake, users, cluster):
    counts = invitations_received(fake, users)
    duplicates = {u: n for u, n in counts.items() if n > 1}
    missing = [u for u, n in counts.items() if n == 0]
    logs = "\n".join(p.log()[-3000:] for p in cluster.processes)
    assert not duplicates, f"sent twice: {duplicates}"
    assert not missing, f"never sent ({len(missing)}): {missing[:10]}\n{logs}"


def _database_counts(database_url):
    from sqlalchemy import text

    from storage.db import create_db_engine

    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT status, count(*) FROM invitation GROUP BY status")).all())
    engine.dispose()
    return rows


@pytest.fixture
def cluster(fake_slack, postgres_url, tmp_path):
    from datetime import datetime

    fake_slack.clock = lambda: datetime.now(UTC)  # the processes run on real time, as Slack does
    made = Cluster(fake_url=fake_slack.url, database_url=postgres_url, workdir=tmp_path)
    yield made
    made.stop_all()


def test_three_processes_and_a_kill_mid_run_send_every_invitation_exactly_once(cluster, fake_slack, postgres_url):
    users = seed_invitations(postgres_url, 200)
    fake_slack.delay("chat.postMessage", 0.05)  # keep sends in flight when the kill lands
    processes = cluster.start(3)
    assert wait_for(lambda: sum(invitations_received(fake_slack, users).values()) >= 40, timeout=60)
    processes[0].kill()
    assert wait_for(lambda: _all_sent(fake_slack, users), timeout=90)
    time.sleep(7)  # longer than the lease and a tick: a late duplicate would show up now
    _assert_exactly_once(fake_slack, users, cluster)
    assert _database_counts(postgres_url) == {"sent": 200}


def test_a_kill_between_slack_accepting_and_recording_is_reconciled_not_resent(cluster, fake_slack, postgres_url):
    users = seed_invitations(postgres_url, 200)
    fake_slack.delay_after("chat.postMessage", 1.0)  # stored at once, answered a second later
    processes = cluster.start(3)
    assert wait_for(lambda: sum(invitations_received(fake_slack, users).values()) >= 30, timeout=60)
    processes[0].kill()
    assert wait_for(lambda: _all_sent(fake_slack, users), timeout=120)
    assert wait_for(lambda: _database_counts(postgres_url) == {"sent": 200}, timeout=60), _database_counts(postgres_url)
    _assert_exactly_once(fake_slack, users, cluster)
    reconciled = sum(p.log().count("had reached Slack already") for p in processes[1:])
    assert reconciled >= 1, "the kill did not land inside the accept-to-record window"


def test_a_database_restart_during_a_run_loses_and_duplicates_nothing(cluster, fake_slack, postgres_url):
    users = seed_invitations(postgres_url, 100)
    fake_slack.delay("chat.postMessage", 0.3)
    processes = cluster.start(2)
    assert wait_for(lambda: sum(invitations_received(fake_slack, users).values()) >= 15, timeout=60)
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"], check=True)
    try:
        time.sleep(1.5)
        for process in processes:
            reply = get(f"http://127.0.0.1:{process.port}/healthz", timeout=10)
            assert reply.status == 200 and reply.json()["database"] == "down"
            assert process.process.poll() is None
    finally:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    assert wait_for(lambda: _all_sent(fake_slack, users), timeout=120)
    assert wait_for(lambda: _database_counts(postgres_url) == {"sent": 100}, timeout=60), _database_counts(postgres_url)
    _assert_exactly_once(fake_slack, users, cluster)
    for process in processes:
        assert get(f"http://127.0.0.1:{process.port}/healthz", timeout=10).json()["database"] == "up"


def test_no_step_is_ever_claimed_by_two_claimers(database_url):
    """Many threads claiming at once (SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""
    from storage import steps
    from storage.db import create_db_engine, make_session_factory, migrate

    users = seed_invitations(database_url, 60, prefix="URACE")
    engine = create_db_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    claimed: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(12)
    errors: list[BaseException] = []

    def claimer():
        try:
            start.wait()
            while True:
                with sessions() as session, session.begin():
                    ids = steps.claim_due(session, now=datetime.now(UTC), lease=timedelta(minutes=5), limit=2)
                if not ids:
                    return
                with lock:
                    claimed.extend(ids)
        except BaseException as error:  # noqa: BLE001 (a claimer thread's failure is surfaced below)
            errors.append(error)

    threads = [threading.Thread(target=claimer) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert errors == []
    repeats = [i for i, n in Counter(claimed).items() if n > 1]
    assert repeats == [] and len(claimed) == len(users)


def test_a_sender_whose_lease_ran_out_cannot_undo_the_new_owners_claim(database_url):
    """Stale writes are conditional on the claim still being the writer's own."""
    from bot.rules.steps import Kind
    from storage import steps
    from storage.db import create_db_engine, make_session_factory, migrate
    from storage.models import OutgoingMessage

    engine = create_db_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    start = datetime(2027, 1, 11, 12, tzinfo=UTC)
    lease = timedelta(seconds=45)
    with sessions() as session, session.begin():
        step = steps.enqueue_message(
            session, slack_user_id="USTALE01", channel_id=None, kind=Kind.REPLY_HELP, now=start
        )
    with sessions() as session, session.begin():
        assert steps.claim_due(session, now=start, lease=lease) == [step]
        stale = session.get(OutgoingMessage, step).claimed_until
    later = start + lease + timedelta(seconds=1)  # the first sender's lease has run out
    with sessions() as session, session.begin():
        assert steps.claim_due(session, now=later, lease=lease) == [step]
    with sessions() as session, session.begin():
        assert steps.release_claim(session, message_id=step, not_before=later, held=stale) is False
        assert steps.mark_message_cancelled(session, message_id=step, reason="x", now=later, held=stale) is False
        assert steps.renew_claim(session, message_id=step, held=stale, now=later, lease=lease) is None
    with sessions() as session:
        row = session.get(OutgoingMessage, step)
        assert row.claimed_until == later + lease and row.cancelled_at is None
    engine.dispose()

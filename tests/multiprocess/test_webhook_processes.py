"""Several Nudge processes deliver one webhook queue on PostgreSQL: a kill -9 mid-run loses
nothing, duplicates at most the few posts in flight when it landed (same webhook-id, so the
receiver can drop them), and each candidate's events arrive in order."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.support.cluster import Cluster, wait_for
from tests.support.webhooks import SECRET, Receiver, seed_events

pytestmark = pytest.mark.postgres

IN_FLIGHT_PER_PROCESS = 4  # bot.sending.webhooks.WORKERS: posts one process has out at once


@pytest.fixture
def receiver():
    receiver = Receiver(delay=0.02)
    receiver.url = receiver.start()
    yield receiver
    receiver.stop()


def test_three_processes_and_a_kill_deliver_every_event_in_order(fake_slack, postgres_url, tmp_path, receiver):
    order = seed_events(postgres_url, candidates=60, per_candidate=5)
    expected = {webhook_id for ids in order.values() for webhook_id in ids}
    env = {"NUDGE_WEBHOOK_URL": receiver.url, "NUDGE_WEBHOOK_SECRET": SECRET}
    cluster = Cluster(fake_url=fake_slack.url, database_url=postgres_url, workdir=tmp_path, extra_env=env)
    try:
        processes = cluster.start(3)
        assert wait_for(lambda: len(receiver.received) >= 60, timeout=60)
        processes[0].kill()
        assert wait_for(lambda: expected <= {r.webhook_id for r in receiver.received}, timeout=120), (
            f"{len(expected - {r.webhook_id for r in receiver.received})} never delivered\\n"
            + "\n".join(p.log()[-2000:] for p in cluster.processes)
        )
        time.sleep(5)
    finally:
        cluster.stop_all()
    assert receiver.refused == []
    counts = Counter(r.webhook_id for r in receiver.received)
    assert set(counts) == expected
    duplicated = [webhook_id for webhook_id, n in counts.items() if n > 1]
    assert len(duplicated) <= IN_FLIGHT_PER_PROCESS, duplicated
    first_seen: dict[str, list[str]] = {}
    for received in receiver.received:
        ids = first_seen.setdefault(received.body["data"]["candidate"], [])
        if received.webhook_id not in ids:
            ids.append(received.webhook_id)
    assert first_seen == order

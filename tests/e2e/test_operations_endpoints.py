"""The spec's "Operations endpoints": `/healthz` stays open for probes; `/metrics` needs
`Authorization: Bearer $NUDGE_METRICS_TOKEN` when that is set, and a scrape costs the database
nothing (the figures that need a query are refreshed by a background job)."""

from __future__ import annotations

import contextlib
import urllib.request

from sqlalchemy import event

from tests.support import records
from tests.support.journeys import run
from tests.support.slackreq import Reply, get

TOKEN = "metrics-token-0123456789"


def scrape(app, authorization: str | None = None) -> Reply:
    request = urllib.request.Request(f"{app.base_url}/metrics")
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))


@contextlib.contextmanager
def counted_statements(engine):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_with_a_token_metrics_answer_only_its_bearer_and_healthz_stays_open(make_app):
    app = make_app(NUDGE_METRICS_TOKEN=TOKEN)
    for refused in (None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "):
        reply = scrape(app, refused)
        assert reply.status == 401, refused
        assert b"nudge_" not in reply.body
    allowed = scrape(app, f"Bearer {TOKEN}")
    assert allowed.status == 200 and b"nudge_due_backlog" in allowed.body
    assert app.healthz().status == 200


def test_without_a_token_metrics_stay_open(make_app):
    app = make_app(NUDGE_METRICS_TOKEN="")
    assert get(f"{app.base_url}/metrics").status == 200


def test_a_scrape_runs_no_query_and_the_backlog_comes_from_the_background_job(make_app, clock):
    app = make_app(clock=clock, NUDGE_METRICS_TOKEN=TOKEN)
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    records.queue_invitation_directly(app, role_id=1, candidate_id="UCANDMET1", recruiter_id="URECRUIT1", now=clock())
    with counted_statements(app.engine) as statements:
        for _ in range(3):
            assert scrape(app, f"Bearer {TOKEN}").status == 200
    assert statements == []
    app.scheduled_job("nudge-metrics").func()
    assert "nudge_due_backlog 1.0" in scrape(app, f"Bearer {TOKEN}").body.decode()

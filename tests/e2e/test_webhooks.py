"""Webhooks through the real app: a journey's events reach a receiver that verifies each with the
reference `standardwebhooks` library, with nothing private in them; `/nudge admin webhook test`
answers after the ack with what came back; `status` shows host, last success and failure, backlog."""

from __future__ import annotations

import threading

import pytest

from bot.copy import journey as copy
from storage import sharing
from tests.support import records
from tests.support.journeys import CAND, accepted, click, run, ts_of
from tests.support.webhooks import PRIVATE_MARKERS, SECRET, Receiver, private_text_in_payloads

ADMIN = "UADMIN1"


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.url = receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def app(make_app, clock, receiver):
    return make_app(clock=clock, NUDGE_WEBHOOK_URL=receiver.url, NUDGE_WEBHOOK_SECRET=SECRET)


def _deliver(app) -> None:
    while app.assembled.services.webhooks.tick():
        pass


def test_a_journey_reaches_the_receiver_signed_and_without_private_text(app, receiver, fake_slack):
    fake_slack.users[CAND] = {"real_name": "Cande Example", "profile": {"real_name": "Cande Example", "title": "SRE"}}
    role_id, invitation_id = accepted(app, interests=("python", "sre"))
    records.change_candidate(app, CAND, never_companies=[f"{PRIVATE_MARKERS[1]} Corp"], company_note="Fridays best")
    with app.sessions() as session, session.begin():
        sharing.add_private_note(
            session,
            candidate_id=CAND,
            invitation_id=invitation_id,
            market_value=PRIVATE_MARKERS[0],
            next_role=None,
            now=app.now(),
        )
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    _deliver(app)  # the grant goes out while the yes stands
    run(app, f"stage <@{CAND}> {role_id} conversation")
    run(app, "stop", user=CAND)
    _deliver(app)
    assert receiver.refused == []
    assert [r.body["type"] for r in receiver.received] == [
        "invitation.answered",
        "sharing.granted",
        "stage.changed",
        "sharing.withdrawn",
        "candidate.opted_out",
    ]
    profile = receiver.received[1].body["data"]["profile"]
    assert profile == {"name": "Cande Example", "title": "SRE", "interests": ["python", "sre"], "note": "Fridays best"}
    assert all(r.headers["webhook-signature"].startswith("v1,") for r in receiver.received)
    assert private_text_in_payloads() == []
    shown = str(run(app, "sharing", user=CAND))
    assert "sent to the team's recruiting system for Acme" in shown
    assert (
        f"profile for #{role_id} (Acme) given to the team's recruiting system" in run(app, f"audit <@{CAND}>")["text"]
    )


def test_admin_webhook_test_answers_after_the_ack_with_what_came_back(app, receiver):
    receiver.gate = threading.Event()
    reply = run(app, "admin webhook test", user=ADMIN)
    assert reply["text"].startswith("Sending a `ping` to 127.0.0.1:")  # acked while the receiver still waits
    assert app.fake.calls_to("response_url") == []
    receiver.gate.set()
    (answer,) = app.fake.wait_for("response_url", timeout=15)
    assert "`ping` delivered: 127.0.0.1:" in answer.args["text"] and "answered 200" in answer.args["text"]
    assert [r.body["type"] for r in receiver.received] == ["ping"]


def test_admin_webhook_test_says_when_the_endpoint_refuses(app, receiver):
    receiver.answers = [503]
    run(app, "admin webhook test", user=ADMIN)
    (answer,) = app.fake.wait_for("response_url", timeout=15)
    assert "not delivered" in answer.args["text"] and "answered 503" in answer.args["text"]


def test_admin_webhook_status_shows_host_outcomes_and_backlog(app, receiver):
    before = run(app, "admin webhook status", user=ADMIN)["text"]
    assert "*Webhooks to 127.0.0.1:" in before and "Last success: never" in before and "Waiting: 0 events" in before
    run(app, "join", user=CAND)
    run(app, "stop", user=CAND)
    receiver.answers = [500]
    _deliver(app)
    after = run(app, "admin webhook status", user=ADMIN)["text"]
    assert "Last failure: 2027-" in after and "(500)" in after and "Waiting: 1 event, the oldest since" in after


def test_webhook_commands_are_for_admins_only(app):
    for user in ("URECRUIT1", CAND):
        assert run(app, "admin webhook status", user=user)["text"] == "That's for admins only."
        assert run(app, "admin webhook test", user=user)["text"] == "That's for admins only."
    assert "admin webhook test" in str(run(app, "help", user=ADMIN))


def test_the_webhook_job_runs_only_when_webhooks_are_on(app):
    job = app.scheduled_job("nudge-webhooks")
    assert job is not None and job.trigger.interval.total_seconds() == 2


def test_webhook_commands_say_when_webhooks_are_off(make_app, clock):
    off = make_app(clock=clock)
    assert off.scheduled_job("nudge-webhooks") is None
    for text in ("admin webhook test", "admin webhook status"):
        assert run(off, text, user=ADMIN)["text"].startswith("Webhooks are off.")


def test_metrics_count_deliveries_by_event_and_outcome_and_the_backlog(app, receiver):
    run(app, "join", user=CAND)
    run(app, "stop", user=CAND)
    receiver.answers = [500]
    _deliver(app)
    app.assembled.ctx.metrics.refresh()  # the metrics job's work, which a scrape never does
    text = app.assembled.ctx.metrics.render().decode()
    assert 'nudge_webhook_deliveries_total{event="candidate.opted_out",outcome="retrying"} 1.0' in text
    assert "nudge_webhook_backlog 1.0" in text and "nudge_webhook_oldest_waiting_seconds" in text


def test_the_payload_scan_would_catch_private_text():
    from tests.support.webhooks import SEEN_PAYLOADS

    SEEN_PAYLOADS.append('{"data": {"note": "x neverlist-mark Corp"}}')
    try:
        assert len(private_text_in_payloads()) == 1
    finally:
        SEEN_PAYLOADS.pop()

"""The app's HTTP surface: signatures, url_verification, /healthz and unknown paths."""

from __future__ import annotations

import json
import time

from sqlmodel import select

from storage.models import Candidate, ConsentEvent
from tests.support.slackreq import (
    event_callback_body,
    get,
    im_message_event,
    post,
    slash_command_body,
)

CANDIDATE = "UCAND0003"


def _nothing_stored(app):
    with app.sessions() as session:
        return session.exec(select(Candidate)).all() == [] and session.exec(select(ConsentEvent)).all() == []


def test_healthz_answers_200_with_the_database_state(running_app):
    reply = running_app.healthz()
    assert reply.status == 200
    assert reply.json() == {"status": "ok", "database": "up", "sending": "on"}


def test_metrics_are_served_in_the_prometheus_text_format(running_app):
    assert running_app.slack.command("join", user_id=CANDIDATE).status == 200
    reply = get(f"{running_app.base_url}/metrics")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain")
    text = reply.body.decode()
    assert 'nudge_consent_events_total{action="granted"} 1.0' in text
    assert 'nudge_ack_seconds_count{kind="command"} 1.0' in text
    for family in ("nudge_steps_sent", "nudge_send_failures", "nudge_slack_ratelimited_total", "nudge_due_backlog"):
        assert family in text


def test_unknown_path_is_404(running_app):
    assert get(f"{running_app.base_url}/nope").status == 404


def test_url_verification_echoes_the_challenge(running_app):
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    ).encode()
    reply = running_app.slack.send(body, "application/json")
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_bad_signature_is_refused_and_changes_nothing(running_app):
    reply = running_app.slack.command("join", user_id=CANDIDATE, secret="not-the-signing-secret")
    assert reply.status == 401
    assert _nothing_stored(running_app)


def test_stale_timestamp_is_refused_even_when_correctly_signed(running_app):
    reply = running_app.slack.command("join", user_id=CANDIDATE, timestamp=int(time.time()) - 6 * 60)
    assert reply.status == 401
    event_reply = running_app.slack.event(
        im_message_event(user_id=CANDIDATE, text="stop"), timestamp=int(time.time()) - 600
    )
    assert event_reply.status == 401
    assert _nothing_stored(running_app)
    assert running_app.fake.calls_to("chat.postMessage") == []


def test_unsigned_request_is_refused(running_app):
    body = slash_command_body(text="join", user_id=CANDIDATE, response_url=running_app.fake.response_url_for("x"))
    reply = post(running_app.slack.events_url, body, "application/x-www-form-urlencoded")
    assert reply.status == 401
    assert _nothing_stored(running_app)


def test_tampered_body_is_refused(running_app):
    from tests.support.slackreq import sign

    body = event_callback_body(im_message_event(user_id=CANDIDATE, text="help"))
    headers = sign(body)
    reply = post(running_app.slack.events_url, body.replace(b"help", b"stop"), "application/json", headers)
    assert reply.status == 401
    assert _nothing_stored(running_app)


def test_concurrent_requests_are_served_in_parallel(make_app):
    """A slow Slack call in one request must not hold up another (threaded server)."""
    from concurrent.futures import ThreadPoolExecutor

    app = make_app()
    users = [f"UPAR{n:05d}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda u: app.slack.command("join", user_id=u), users))
    assert [r.status for r in replies] == [200] * 8
    with app.sessions() as session:
        assert len(session.exec(select(ConsentEvent)).all()) == 8

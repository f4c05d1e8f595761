"""Metrics live in a registry per app: two apps in one process count separately."""

from __future__ import annotations

from bot.metrics import Metrics, request_kind


def test_each_app_has_its_own_registry_and_429s_count_as_failures_and_rate_limits():
    first, second = Metrics(), Metrics()
    first.failed("ratelimited")
    first.failed("channel_not_found")
    first.sent("invitation")
    first.watch_backlog(lambda: 7)
    assert "nudge_due_backlog 0.0" in first.render().decode()  # counted by the metrics job, not a scrape
    first.refresh()
    text = first.render().decode()
    assert 'nudge_send_failures_total{error="ratelimited"} 1.0' in text
    assert 'nudge_send_failures_total{error="channel_not_found"} 1.0' in text
    assert "nudge_slack_ratelimited_total 1.0" in text
    assert 'nudge_steps_sent_total{kind="invitation"} 1.0' in text
    assert "nudge_due_backlog 7.0" in text
    assert "nudge_slack_ratelimited_total 0.0" in second.render().decode()


def test_request_kinds():
    assert request_kind({"command": "/nudge"}) == "command"
    assert request_kind({"type": "block_actions"}) == "action"
    assert request_kind({"type": "view_submission"}) == "view_submission"
    assert request_kind({"type": "event_callback"}) == "event"
    assert request_kind({}) == "other"

"""End-to-end: direct messages to the bot (keywords), ignored messages and retried events."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from storage.models import OutgoingMessage
from tests.support import records
from tests.support.slackreq import BOT_USER_ID, im_message_event
from tests.support.waiting import wait_until

CANDIDATE = "UCAND0002"
DM = "D" + CANDIDATE[1:]


def _status(app, user_id=CANDIDATE):
    with app.sessions() as session:
        return records.consent_status(session, user_id).value


def _ledger(app, user_id=CANDIDATE):
    with app.sessions() as session:
        return [(e.action, e.via) for e in records.consent_history(session, user_id)]


def _say(app, text, **extra):
    reply = app.slack.event(im_message_event(user_id=CANDIDATE, text=text, **extra))
    assert reply.status == 200
    return reply


@pytest.mark.parametrize(
    "text", ["stop", "STOP", "  Stop!  ", "unsubscribe", "Unsubscribe.", "“stop”", "ＳＴＯＰ", "st\u200bop"]
)
def test_stop_keyword_opts_out_and_confirms_in_the_dm(running_app, text):
    running_app.slack.command("join", user_id=CANDIDATE)
    _say(running_app, text)

    posted = running_app.fake.wait_for("chat.postMessage")
    assert len(posted) == 1
    assert posted[0].args["channel"] == DM
    assert "won't get any more invitations" in posted[0].args["text"]
    assert _status(running_app) == "opted_out"
    assert _ledger(running_app) == [("granted", "command"), ("withdrawn", "keyword")]


def test_stop_when_already_opted_out_still_confirms_and_records_nothing_new(running_app):
    running_app.slack.command("stop", user_id=CANDIDATE)
    _say(running_app, "stop")
    posted = running_app.fake.wait_for("chat.postMessage")
    assert "already opted out" in posted[0].args["text"]
    assert _ledger(running_app) == [("withdrawn", "command")]


@pytest.mark.parametrize("text", ["don't stop", "stop it please", "please unsubscribe me later", "helpful", "hi"])
def test_anything_else_gets_one_kind_pointer_and_changes_nothing(running_app, text):
    running_app.slack.command("join", user_id=CANDIDATE)
    _say(running_app, text)

    posted = running_app.fake.wait_for("chat.postMessage")
    assert len(posted) == 1
    assert "I'm a bot" in posted[0].args["text"]
    assert "help" in posted[0].args["text"] and "stop" in posted[0].args["text"]
    assert _status(running_app) == "opted_in"


@pytest.mark.parametrize("text", ["help", " HELP? "])
def test_help_keyword_explains(running_app, text):
    _say(running_app, text)
    posted = running_app.fake.wait_for("chat.postMessage")
    assert "/nudge join" in posted[0].args["text"] or "/nudge join" in str(posted[0].decoded.get("blocks"))
    assert _status(running_app) == "not_joined"


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_changed"},
        {"subtype": "bot_message", "bot_id": "BOTHER"},
        {"bot_id": "BOTHER"},
        {"edited": {"user": CANDIDATE, "ts": "1.0"}},
        {"subtype": "file_share"},
        {"channel_type": "channel"},
    ],
)
def test_bot_messages_edits_and_subtypes_are_ignored(running_app, extra):
    running_app.slack.command("join", user_id=CANDIDATE)
    _say(running_app, "stop", **extra)
    _say(running_app, "help")  # a marker: its reply must be the only one

    posted = running_app.fake.wait_for("chat.postMessage")
    assert len(posted) == 1
    assert "I'm a bot" not in posted[0].args["text"]
    assert "won't get any more" not in posted[0].args["text"]
    assert _status(running_app) == "opted_in"


def test_the_bots_own_messages_are_ignored(running_app):
    own = im_message_event(user_id=BOT_USER_ID, text="stop")
    own["channel"] = DM
    running_app.slack.event(own)
    _say(running_app, "help")
    posted = running_app.fake.wait_for("chat.postMessage")
    assert len(posted) == 1


def test_retried_event_with_same_event_id_has_no_second_effect(running_app):
    running_app.slack.command("join", user_id=CANDIDATE)
    event = im_message_event(user_id=CANDIDATE, text="stop")
    first = running_app.slack.event(event, event_id="Ev0RETRY01")
    retry = running_app.slack.event(
        event, event_id="Ev0RETRY01", extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert first.status == retry.status == 200
    running_app.slack.command("join", user_id=CANDIDATE)
    _say(running_app, "hello")  # marker

    posted = running_app.fake.wait_for("chat.postMessage", count=2)
    texts = [call.args["text"] for call in posted]
    assert len(posted) == 2, texts
    assert sum("won't get any more invitations" in t for t in texts) == 1
    assert _ledger(running_app) == [("granted", "command"), ("withdrawn", "keyword"), ("granted", "command")]


def test_duplicate_message_with_a_new_event_id_is_deduped_on_channel_and_ts(running_app):
    event = im_message_event(user_id=CANDIDATE, text="stop", ts="1700000123.000200")
    running_app.slack.event(event, event_id="Ev0DUP00001")
    running_app.slack.event(event, event_id="Ev0DUP00002")
    _say(running_app, "hello")  # marker

    posted = running_app.fake.wait_for("chat.postMessage", count=2)
    assert len(posted) == 2
    assert len(_ledger(running_app)) == 1


def test_reply_waits_for_rate_limit_and_is_delivered_once(running_app):
    running_app.fake.rate_limit_next("chat.postMessage", retry_after=1)
    _say(running_app, "help")

    posted = running_app.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert len(posted) == 2
    assert posted[1].at - posted[0].at >= 1.0
    assert len(running_app.fake.messages_in(DM)) == 1


def test_a_failed_reply_stays_queued_and_the_tick_delivers_it(make_app):
    app = make_app(start_scheduler=True)
    app.fake.fail_next("chat.postMessage", "internal_error")
    _say(app, "help")

    posted = app.fake.wait_for("chat.postMessage", count=2, timeout=15)
    assert len(app.fake.messages_in(DM)) == 1
    assert posted[1].at - posted[0].at >= 3.5  # spaced out, not hammered


def test_a_person_error_fails_the_reply_without_retrying(make_app, caplog):
    app = make_app(start_scheduler=True)
    app.fake.fail_next("chat.postMessage", "user_disabled")
    with caplog.at_level("WARNING"):
        _say(app, "help")
        app.fake.wait_for("chat.postMessage")
        wait_until(lambda: _outbox(app)[0].failed_at is not None)
    app.send_due()
    time.sleep(1.5)  # more than one tick: nothing may be retried

    assert len(app.fake.calls_to("chat.postMessage")) == 1
    assert _outbox(app)[0].last_error == "user_disabled"
    assert any(getattr(r, "action", None) == "outbox.unreachable" for r in caplog.records)


def _outbox(app):
    with app.sessions() as session:
        return session.exec(select(OutgoingMessage).order_by(OutgoingMessage.id)).all()

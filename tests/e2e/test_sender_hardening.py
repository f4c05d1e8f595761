"""End-to-end: the sender's hardening (issue 13): bounded retries of the reads before a send,
reconciliation over a busy DM, one lock order, the team switch and removed recruiters, a click
that arrives before the delivery was recorded, and a durable stop on uninstall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import event

from bot.copy import journey as copy
from bot.rules.failures import MAX_ATTEMPTS
from tests.support import records
from tests.support.journeys import (
    CAND,
    DM,
    invitation_of,
    posted_to,
    run,
    setup_invitation,
    stage_a_post_that_reached_slack_before_its_sender_died,
    steps,
    wait_sent,
)
from tests.support.slackreq import im_message_event, member_joined_channel_event
from tests.support.waiting import wait_until

ADMIN = "UADMIN1"


@pytest.fixture
def app(app):
    app.retry_base = timedelta(0)  # retries are due at once: the tests move the clock themselves
    return app


def _retry_until_settled(app, clock, rounds=12):
    for _ in range(rounds):
        clock.advance(minutes=1)
        app.send_due()
        if invitation_of(app).status != "queued":
            return


# --- defect 7: the reads before a send are bounded like every other try ----------------------------


@pytest.mark.parametrize("method", ["users.info", "dnd.info"])
def test_failing_reads_before_a_send_end_in_a_failure_the_recruiter_sees(app, fake_slack, clock, method):
    fake_slack.fail_next(method, "internal_error", times=50)
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "internal_error")
    _retry_until_settled(app, clock)
    assert invitation_of(app).status == "failed"
    invite_lookup = 1 if method == "users.info" else 0  # `/nudge invite` looks the person up once itself
    languages = 2 if method == "users.info" else 0  # the recruiter's and the candidate's, once a day each
    assert len(fake_slack.calls_to(method)) == MAX_ATTEMPTS + invite_lookup + languages
    assert posted_to(app) == []
    (step,) = steps(app, "invitation")
    assert step.attempts == MAX_ATTEMPTS
    assert step.failed_at is not None and step.last_error == "internal_error"
    assert "not delivered: 1" in run(app, "pipeline")["text"]


def test_a_malformed_answer_before_a_send_is_counted_and_bounded_too(app, fake_slack, clock):
    fake_slack.answer_next("users.info", {"ok": True}, times=50)  # no "user" in it
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].attempts >= 1)
    _retry_until_settled(app, clock)
    assert invitation_of(app).status == "failed"
    assert steps(app, "invitation")[0].attempts == MAX_ATTEMPTS
    # and the invite's own lookup, and the language of the recruiter and of the candidate (once a day each)
    assert len(fake_slack.calls_to("users.info")) == MAX_ATTEMPTS + 1 + 2
    assert posted_to(app) == []


# --- defect 8: reconciliation reads every message since the first post attempt ------------------------


def test_an_earlier_post_behind_more_than_a_hundred_messages_is_found_not_sent_again(app, fake_slack, clock):
    run(app, "team pause")  # keep the invitation from going out on its own
    setup_invitation(app)
    (step,) = steps(app, "invitation")
    slack = WebClient(token="xoxb-x", base_url=fake_slack.url)
    # A sender counted its post, posted, and died before recording it ...
    records.note_a_post_attempt(app, step.id, now=clock())
    slack.chat_postMessage(
        channel=CAND,
        text="(earlier attempt)",
        metadata={"event_type": "nudge_step", "event_payload": {"step": f"step-{step.id}"}},
    )
    # ... and the DM got busy afterwards.
    for n in range(150):
        clock.advance(seconds=1)
        slack.chat_postMessage(channel=CAND, text=f"other message {n}")
    run(app, "team resume")
    clock.advance(minutes=2)
    app.send_due()
    invitation = wait_sent(app)
    assert [c for c in fake_slack.calls_to("chat.postMessage") if "metadata" in c.args] == fake_slack.calls_to(
        "chat.postMessage"
    )[:1]
    earlier = [m for m in fake_slack.messages_in(DM) if m.get("metadata")]
    assert len(earlier) == 1 and invitation.message_ts == earlier[0]["ts"]
    reads = fake_slack.calls_to("conversations.history")
    assert len(reads) >= 1 and all(float(c.args["oldest"]) <= float(earlier[0]["ts"]) for c in reads)


# --- defect 9: one lock order -----------------------------------------------------------------------------

RANK = {"candidate": 0, "invitation": 1, "outgoing_message": 2, "send_lock": 3}


def _locked_table(statement: str) -> str | None:
    """The table a statement row-locks: SELECT … FOR UPDATE, or UPDATE of existing rows."""
    text = " ".join(statement.split())
    if text.startswith("UPDATE "):
        return text.split()[1].strip('"')
    if text.startswith("SELECT") and " FOR UPDATE" in text:
        after = text.split(" FROM ", 1)[1].split()[0].strip('"')
        return after
    return None


def test_a_click_and_the_sender_lock_rows_in_one_order(app, database_url, fake_slack):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite takes one write lock per transaction up front: no row locks, no order to get wrong")
    engine = app.engine
    transactions: dict[int, list[str]] = {}

    def before(conn, _cursor, statement, _parameters, _context, _executemany):
        table = _locked_table(statement)
        if table in RANK:
            transactions.setdefault(id(conn.connection.dbapi_connection), []).append(table)

    def ended(conn):
        locked = transactions.pop(id(conn.connection.dbapi_connection), [])
        orders.append(locked)

    orders: list[list[str]] = []
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    try:
        setup_invitation(app)
        invitation = wait_sent(app)
        app.slack.click(
            user_id=CAND,
            action_id=copy.ACTION_ACCEPT,
            value=str(invitation.id),
            container={"type": "message", "message_ts": invitation.message_ts, "channel_id": DM, "is_ephemeral": False},
        )
        wait_until(
            lambda: len(fake_slack.calls_to("chat.postMessage")) >= 3
        )  # the recruiter's DM and the sharing question
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", ended)
        event.remove(engine, "rollback", ended)
    seen_together = [o for o in orders if "candidate" in o and "invitation" in o]
    assert seen_together, orders  # the click's and the sender's transactions were observed
    for locked in orders:
        firsts = []
        for table in locked:
            if table not in firsts:
                firsts.append(table)
        assert [RANK[t] for t in firsts] == sorted(RANK[t] for t in firsts), locked


# --- defect 10: the team switch holds welcome DMs; a removed recruiter's steps never go out --------------


def test_team_pause_holds_the_welcome_dm_too(make_app, clock, fake_slack):
    app = make_app(clock=clock, NUDGE_COMMUNITY_CHANNEL="CCOMMUNITY1")
    run(app, "team pause")
    app.slack.event(member_joined_channel_event(user_id=CAND, channel="CCOMMUNITY1"))
    wait_until(lambda: steps(app, "welcome") and steps(app, "welcome")[0].last_error == "team_paused")
    clock.advance(minutes=5)
    app.send_due()
    assert fake_slack.calls_to("chat.postMessage") == []
    run(app, "team resume")
    clock.advance(minutes=1)
    assert app.send_due() == 1
    assert "Count me in" in str(fake_slack.calls_to("chat.postMessage")[0].decoded)


def test_a_removed_recruiters_queued_invitation_is_cancelled_and_never_sent(app, fake_slack, clock):
    newbie = "URECRUIT9"
    assert "is now a recruiter" in run(app, f"recruiter add <@{newbie}>", user=ADMIN)["text"]
    run(app, "team pause")
    run(app, "role add Backend Engineer | Acme | Calm APIs | python")
    run(app, "join", user=CAND)
    assert run(app, f"invite <@{CAND}> 1", user=newbie)["text"].startswith("Invitation queued")
    assert "no longer a recruiter" in run(app, f"recruiter remove <@{newbie}>", user=ADMIN)["text"]
    run(app, "team resume")
    clock.advance(minutes=2)
    app.send_due()
    assert fake_slack.calls_to("chat.postMessage") == []
    invitation = invitation_of(app)
    assert (invitation.status, invitation.cancel_reason) == ("cancelled", "recruiter_removed")
    assert [s.cancelled_at is not None for s in steps(app, "invitation")] == [True]


def test_a_removed_recruiters_reminder_is_cancelled_and_no_answer_reaches_them(app, fake_slack, clock):
    newbie = "URECRUIT9"
    run(app, f"recruiter add <@{newbie}>", user=ADMIN)
    run(app, "role add Backend Engineer | Acme | Calm APIs | python")
    run(app, "join", user=CAND)
    run(app, f"invite <@{CAND}> 1", user=newbie)
    invitation = wait_sent(app)
    run(app, f"recruiter remove <@{newbie}>", user=ADMIN)
    clock.advance(days=4)  # the reminder's day
    app.send_due()
    assert [c for c in posted_to(app) if "gentle reminder" in c.args["text"]] == []
    _click_accept(app, invitation)
    wait_until(lambda: _dms_to(fake_slack, ADMIN))
    assert _dms_to(fake_slack, newbie) == []


def _click_accept(app, invitation) -> None:
    app.slack.click(
        user_id=CAND,
        action_id=copy.ACTION_ACCEPT,
        value=str(invitation.id),
        container={"type": "message", "message_ts": invitation.message_ts, "channel_id": DM, "is_ephemeral": False},
    )


def _dms_to(fake_slack, user_id: str) -> list:
    return [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] in (user_id, "D" + user_id[1:])]


def test_happy_to_chat_on_a_removed_recruiters_invitation_reaches_the_admins_not_their_link(app, fake_slack, clock):
    """Issue 18: the candidate got the removed recruiter's booking link and "the recruiter will be
    in touch", while no current recruiter heard of the yes."""
    newbie = "URECRUIT9"
    run(app, f"recruiter add <@{newbie}>", user=ADMIN)
    run(app, "recruiter link https://cal.example.com/gone", user=newbie)
    run(app, "role add Backend Engineer | Acme | Calm APIs | python")
    run(app, "join", user=CAND)
    run(app, f"invite <@{CAND}> 1", user=newbie)
    invitation = wait_sent(app)
    run(app, f"recruiter remove <@{newbie}>", user=ADMIN)
    _click_accept(app, invitation)

    (update,) = app.fake.wait_for("chat.update")
    assert "team will be in touch" in update.args["text"] and "The recruiter will" not in update.args["text"]
    (to_admin,) = wait_until(lambda: _dms_to(fake_slack, ADMIN))
    assert f"<@{CAND}>" in to_admin.args["text"] and "#1" in to_admin.args["text"]
    assert "Backend Engineer" in to_admin.args["text"]
    wait_until(lambda: any("may your name and profile be shared" in c.args["text"] for c in posted_to(app)))
    app.send_due()
    assert not any("cal.example.com" in str(c.args) for c in fake_slack.calls_to("chat.postMessage"))
    assert _dms_to(fake_slack, newbie) == []
    assert steps(app, "booking_link") == []


def test_erasure_forgets_the_dm_channel_slack_named_not_a_guessed_one(app, fake_slack):
    run(app, "join", user=CAND)
    channel = "DREALCHAN1"  # Slack's DM ids are not derived from user ids
    app.slack.event(im_message_event(user_id=CAND, text="help", channel=channel))
    wait_until(lambda: any(c.args["channel"] == channel for c in fake_slack.calls_to("chat.postMessage")))
    with app.sessions() as session:
        assert records.candidate(session, CAND).dm_channel_id == channel
    run(app, "forget", user=CAND)
    from tests.support.waiting import dump_database

    wait_until(lambda: CAND not in dump_database(app.engine))
    assert channel not in dump_database(app.engine)


# --- defect 14: a click before the delivery was recorded is proof of delivery ------------------------------


@pytest.mark.parametrize(
    ("action_id", "answer"),
    [(copy.ACTION_ACCEPT, "accepted"), (copy.ACTION_DECLINE, "declined"), (f"{copy.ACTION_SNOOZE}.3", "snoozed")],
)
def test_an_answer_that_overtakes_the_record_of_delivery_is_kept(app, fake_slack, clock, action_id, answer):
    fake_slack.delay_after("chat.postMessage", 2.0)  # Slack stores the post at once, its answer is late
    setup_invitation(app)
    message = wait_until(lambda: next((m for m in fake_slack.messages_in(DM) if m.get("metadata")), None))
    invitation = invitation_of(app)
    assert invitation.status == "queued"  # the sender has not heard back yet
    reply = app.slack.click(
        user_id=CAND,
        action_id=action_id,
        value=str(invitation.id),
        container={"type": "message", "message_ts": message["ts"], "channel_id": DM, "is_ephemeral": False},
    )
    assert reply.status == 200
    answered = invitation_of(app)
    assert (answered.status, answered.answer) == ("sent", answer)
    assert answered.message_ts == message["ts"] and answered.channel_id == DM
    wait_until(lambda: steps(app, "invitation")[0].sent_at is not None and not send_in_flight_as_stored(app))
    fake_slack.delay_after("chat.postMessage", 0)
    after = invitation_of(app)
    assert (after.status, after.answer, after.sent_at, after.message_ts) == (
        "sent",
        answer,
        answered.sent_at,
        message["ts"],
    )
    clock.advance(days=11)  # past the reminder and the expiry
    app.send_due()
    invitations = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.decoded.get("metadata", {}).get("event_payload", {}).get("step")
        == f"step-{steps(app, 'invitation')[0].id}"
    ]
    assert len(invitations) == 1
    assert [c for c in posted_to(app) if "gentle reminder" in c.args["text"]] == []
    assert not any("expired" in c.args.get("text", "") for c in fake_slack.calls_to("chat.update"))
    pending = [s.kind for s in steps(app) if s.kind in ("followup", "expire") and s.sent_at is not None]
    assert pending == []


def send_in_flight_as_stored(app) -> bool:
    with app.sessions() as session:
        return records.send_in_flight(session, CAND, now=app.now())


# --- uninstall and token revocation: a durable stop, and a resume by auth.test --------------------------


def test_app_uninstalled_stops_all_sending_durably_until_auth_test_succeeds(app, fake_slack, clock):
    reply = app.slack.event({"type": "app_uninstalled"})
    assert reply.status == 200
    with app.sessions() as session:
        assert records.sending_stop(session).reason == "app_uninstalled"
    assert app.sending_halted_seen_afresh() == "app_uninstalled"  # every process, not this one's memory
    assert app.healthz().json()["sending"] == "stopped: app_uninstalled"
    setup_invitation(app)
    clock.advance(minutes=1)
    assert app.send_due() == 0
    assert fake_slack.calls_to("chat.postMessage") == []
    fake_slack.fail_next("auth.test", "invalid_auth")
    assert app.check_authorization() is False  # still refused: stays stopped
    assert app.sending_halted_seen_afresh() == "app_uninstalled"
    assert app.check_authorization() is True  # installed again
    assert app.sending_halted_seen_afresh() is None
    clock.advance(minutes=1)
    assert app.send_due() == 1
    assert len(posted_to(app)) == 1
    wait_until(lambda: app.healthz().json()["sending"] == "on")


def test_tokens_revoked_of_the_bot_stops_sending_and_of_a_user_does_not(app):
    app.slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["UADMIN1"]}})
    assert app.sending_halted_seen_afresh() is None
    app.slack.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
    assert app.sending_halted_seen_afresh() == "tokens_revoked"


def test_a_bot_error_during_a_send_is_recorded_for_every_process(app, fake_slack):
    fake_slack.fail_next("chat.postMessage", "token_revoked")
    setup_invitation(app)
    wait_until(lambda: app.sending_halted_seen_afresh() == "token_revoked")
    with app.sessions() as session:
        assert records.sending_stop(session).reason == "token_revoked"


def test_the_auth_check_is_one_hourly_job_that_also_runs_at_start(app):
    job = app.scheduled_job("nudge-auth-check")
    assert job is not None and job.trigger.interval == timedelta(hours=1)
    assert job.next_run_time is not None and job.next_run_time <= datetime.now(UTC) + timedelta(seconds=5)


# --- defect 12 (health): /healthz while the database is down --------------------------------------------


def test_healthz_during_a_database_outage_connects_and_logs_at_a_bounded_rate(app, tmp_path, caplog):
    from sqlalchemy import create_engine

    broken = create_engine(f"sqlite:///{tmp_path / 'missing' / 'no.db'}")  # its folder does not exist
    connects = []
    event.listen(broken, "do_connect", lambda *args: connects.append(1))
    wsgi = app.wsgi_over(broken)
    answers = []
    with caplog.at_level("WARNING"):
        for _ in range(30):
            body = b"".join(
                wsgi({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, lambda status, headers: answers.append(status))
            )
            assert b'"database": "down"' in body
    assert answers == ["200 OK"] * 30
    assert len(connects) == 1
    outage_logs = [r for r in caplog.records if getattr(r, "action", "") == "db.down"]
    assert len(outage_logs) == 1


# --- issue 11: fewer Slack calls per invitation ---------------------------------------------------------


def test_a_first_dm_goes_to_the_user_id_and_stores_the_channel_slack_names(app, fake_slack):
    setup_invitation(app)
    invitation = wait_sent(app)
    assert fake_slack.calls_to("conversations.open") == []
    (post,) = posted_to(app)
    assert post.args["channel"] == CAND
    with app.sessions() as session:
        assert records.candidate(session, CAND).dm_channel_id == DM
    assert invitation.channel_id == DM
    calls = [c.method for c in fake_slack.calls if c.method not in ("auth.test", "views.publish", "response_url")]
    # the sender's three (status, DND, the post) plus the invite command's own lookup of the person,
    # and the language of the recruiter and of the candidate for their replies (once a day each)
    assert sorted(calls) == ["chat.postMessage", "dnd.info", *["users.info"] * 4]


def test_a_resend_with_no_channel_known_opens_the_dm_to_read_its_history(app, fake_slack, clock):
    stage_a_post_that_reached_slack_before_its_sender_died(app, fake_slack, clock)
    wait_sent(app)
    assert len(fake_slack.calls_to("conversations.open")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1

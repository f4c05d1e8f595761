"""End-to-end: invitations and their steps reach people at the right moment, once, honestly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.copy import journey as copy
from tests.support import records
from tests.support.clocks import MovableClock
from tests.support.journeys import (
    CAND,
    DM,
    MONDAY_NOON,
    RECRUITER,
    SUNDAY_NOON,
    call_ts,
    click,
    invitation_of,
    posted_to,
    run,
    setup_invitation,
    stage_a_post_that_reached_slack_before_its_sender_died,
    steps,
    ts_of,
    wait_sent,
)
from tests.support.slackreq import im_message_event
from tests.support.waiting import wait_until

# --- what is sent, and when ------------------------------------------------------------------------------


def test_invitation_dm_has_role_reason_note_no_commitment_and_five_buttons(app):
    setup_invitation(app, note="Loved your talk on queues &amp; <!channel>")
    invitation = wait_sent(app)
    (call,) = posted_to(app)
    text = json.dumps(call.decoded["blocks"], ensure_ascii=False)
    assert "Backend Engineer" in text and "*Acme*" in text
    assert "matches your interests in python" in text
    assert "Loved your talk on queues &amp; &lt;!channel&gt;" in text and "<!channel>" not in text
    # one no-commitment line, said once (issue 21 merged the two that repeated each other)
    assert "*No commitment:* a conversation is not an application, an interview is not a job offer" in text
    buttons = [e for b in call.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == [
        "Happy to chat",
        "Tell me more",
        "Not now — ask me later",
        "Not for me",
        "Stop all invitations",
    ]
    assert {b["value"] for b in buttons} == {str(invitation.id)}
    assert call.decoded["metadata"] == {
        "event_type": "nudge_step",
        "event_payload": {"step": f"step-{steps(app, 'invitation')[0].id}"},
    }
    assert invitation.channel_id == DM and invitation.message_ts == call_ts(app, call)
    assert {s.kind for s in steps(app)} >= {"invitation", "followup", "expire"}


def test_confidential_company_is_hidden_in_the_invitation(app):
    setup_invitation(app, role="Data Lead | (confidential) Globex | Small team | data")
    wait_sent(app)
    (call,) = posted_to(app)
    everything = json.dumps(call.decoded) + call.args["text"]
    assert "Globex" not in everything and "prefers to stay unnamed" in everything


def test_outside_the_send_window_the_invitation_waits_for_it(make_app):
    clock = MovableClock(SUNDAY_NOON)
    app = make_app(clock=clock)
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "outside_window")
    assert posted_to(app) == []
    assert steps(app, "invitation")[0].not_before == datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
    clock.set(datetime(2027, 1, 11, 9, 59, tzinfo=UTC))
    assert app.send_due() == 0
    clock.set(datetime(2027, 1, 11, 10, 0, tzinfo=UTC))
    assert app.send_due() == 1
    assert len(posted_to(app)) == 1


def test_the_window_is_in_the_candidates_own_time_zone(app, fake_slack):
    fake_slack.users[CAND] = {"tz": "Asia/Tokyo"}  # Monday 12:00 UTC is 21:00 in Tokyo
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "outside_window")
    assert steps(app, "invitation")[0].not_before == datetime(2027, 1, 12, 1, 0, tzinfo=UTC)  # Tue 10:00 JST


def test_do_not_disturb_holds_the_invitation_until_it_ends(app, fake_slack, clock):
    start, end = MONDAY_NOON - timedelta(hours=1), MONDAY_NOON + timedelta(hours=2)
    fake_slack.dnd[CAND] = {
        "dnd_enabled": True,
        "next_dnd_start_ts": start.timestamp(),
        "next_dnd_end_ts": end.timestamp(),
    }
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "quiet")
    assert steps(app, "invitation")[0].not_before == end
    fake_slack.dnd[CAND] = {
        "dnd_enabled": True,
        "next_dnd_start_ts": (end + timedelta(hours=20)).timestamp(),
        "next_dnd_end_ts": (end + timedelta(hours=28)).timestamp(),
    }
    clock.set(end)
    assert app.send_due() == 1


@pytest.mark.parametrize(
    ("status_text", "emoji"),
    [("On vacation", ""), ("", ":palm_tree:"), ("OOO until Monday", ""), ("Out sick", ":face_with_thermometer:")],
)
def test_an_away_status_holds_the_invitation(app, fake_slack, status_text, emoji):
    fake_slack.users[CAND] = {"profile": {"status_text": status_text, "status_emoji": emoji, "status_expiration": 0}}
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "quiet")
    assert posted_to(app) == []


def test_presence_and_a_working_status_do_not_hold_it(app, fake_slack):
    fake_slack.users[CAND] = {
        "presence": "away",
        "profile": {"status_text": "Working remotely", "status_emoji": ":house_with_garden:"},
    }
    setup_invitation(app)
    wait_sent(app)


def test_team_pause_holds_all_sending_until_resume(app, clock):
    run(app, "team pause")
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "team_paused")
    clock.advance(minutes=5)
    app.send_due()
    assert posted_to(app) == []  # still paused
    run(app, "team resume")
    clock.advance(minutes=1)
    assert app.send_due() == 1
    assert len(posted_to(app)) == 1


def test_the_never_list_is_checked_again_at_the_moment_of_sending(make_app):
    clock = MovableClock(SUNDAY_NOON)
    app = make_app(clock=clock)
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "outside_window")
    records.change_candidate(app, CAND, never_companies=["acme"])
    clock.set(MONDAY_NOON)
    app.send_due()
    assert posted_to(app) == []
    (step,) = steps(app, "invitation")
    assert step.sent_at == MONDAY_NOON and step.cancelled_at is None
    # The recruiter sees what an ignored invitation shows (see test_never_list_secret.py).
    invitation = invitation_of(app)
    assert (invitation.status, invitation.sent_at, invitation.withheld) == ("sent", MONDAY_NOON, True)


def test_cadence_and_min_gap_hold_a_second_invitation(app, clock):
    setup_invitation(app)
    wait_sent(app)
    run(app, "role add Second | Initech | x | python")
    # A second invitation queued directly (as if invited before the first went out).
    step = records.queue_invitation_directly(app, role_id=2, candidate_id=CAND, recruiter_id=RECRUITER, now=clock())
    app.send_one(step)
    waiting = next(s for s in steps(app, "invitation") if s.id == step)
    assert waiting.last_error == "too_soon" and waiting.not_before == MONDAY_NOON + timedelta(days=91)


# --- answers ---------------------------------------------------------------------------------------------------


def test_happy_to_chat_updates_in_place_tells_the_recruiter_shares_the_link_and_asks_about_sharing(app):
    run(app, "recruiter link https://cal.example.com/rita")
    role_id = setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_ACCEPT, str(invitation.id))

    (update,) = app.fake.wait_for("chat.update")
    assert update.args["channel"] == DM and update.args["ts"] == invitation.message_ts
    assert "happy to chat" in update.args["text"]
    wait_until(lambda: len(app.fake.calls_to("chat.postMessage")) >= 4)
    to_recruiter = [
        c for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] in (RECRUITER, "D" + RECRUITER[1:])
    ]
    assert len(to_recruiter) == 1 and f"<@{CAND}> is happy to chat about #{role_id}" in to_recruiter[0].args["text"]
    to_candidate = [c.args["text"] for c in posted_to(app)]
    assert any("https://cal.example.com/rita" in t for t in to_candidate)
    share_ask = [c for c in posted_to(app) if "may your name and profile be shared" in c.args["text"]]
    assert len(share_ask) == 1
    invitation = invitation_of(app)
    assert (invitation.answer, invitation.stage) == ("accepted", "accepted")
    pending = [s.kind for s in steps(app) if s.sent_at is None and s.cancelled_at is None and s.failed_at is None]
    assert "followup" not in pending and "expire" not in pending

    share_button = next(e for b in share_ask[0].decoded["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert share_button["text"]["text"] == "Yes, share my profile"
    click(app, copy.ACTION_SHARE_YES, share_button["value"], message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: len(app.fake.calls_to("chat.update")) == 2)
    with app.sessions() as session:
        scopes = [(e.scope, e.action, e.via) for e in records.consent_history(session, CAND)]
    assert (f"share:role:{role_id}", "granted", "button") in scopes
    assert "may share their details with the company" in run(app, f"status <@{CAND}>")["text"]
    assert "you agreed to share your details with *Acme*" in app.fake.calls_to("chat.update")[-1].args["text"]


def test_without_a_yes_nothing_is_recorded_as_shared(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    click(app, copy.ACTION_SHARE_NO, str(invitation.id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: len(app.fake.calls_to("chat.update")) == 2)
    assert "may share" not in run(app, f"status <@{CAND}>")["text"]
    with app.sessions() as session:
        share_events = [
            (e.scope, e.action) for e in records.consent_history(session, CAND) if e.scope.startswith("share:")
        ]
    assert share_events == [("share:role:1", "withdrawn")]


def test_tell_me_more_is_not_interest_and_keeps_the_invitation_open(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_DETAILS, str(invitation.id))
    (update,) = app.fake.wait_for("chat.update")
    assert "Calm APIs, small team" in json.dumps(update.decoded["blocks"])
    assert "Happy to chat" in json.dumps(update.decoded["blocks"])
    invitation = invitation_of(app)
    assert invitation.answer is None and invitation.details_asked_at is not None
    assert "asked for details: 1" in run(app, "pipeline")["text"]


def test_not_now_offers_months_then_pauses_every_role(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_LATER, str(invitation.id))
    (choices,) = app.fake.wait_for("chat.update")
    labels = [e["text"]["text"] for b in choices.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["In 1 month", "In 3 months", "In 6 months", "Back"]
    click(app, copy.snooze_action(3), str(invitation.id))
    wait_until(lambda: len(app.fake.calls_to("chat.update")) == 2)
    assert "won't send invitations until Sunday 11 April 2027" in app.fake.calls_to("chat.update")[-1].args["text"]
    with app.sessions() as session:
        candidate = records.candidate(session, CAND)
        ledger = [(e.action, e.via) for e in records.consent_history(session, CAND)]
    assert candidate.paused_until == datetime(2027, 4, 11, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)
    assert ledger[-1] == ("paused", "button")
    assert invitation_of(app).answer == "snoozed"


def test_not_for_me_is_a_fine_answer(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_DECLINE, str(invitation.id))
    (update,) = app.fake.wait_for("chat.update")
    assert "perfectly good answer" in update.args["text"]
    assert invitation_of(app).answer == "declined"
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_in"


def test_stop_all_invitations_from_the_invitation_opts_out(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_STOP_FROM_INVITATION, str(invitation.id))
    (update,) = app.fake.wait_for("chat.update")
    assert "won't get any more invitations" in update.args["text"]
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_out"
    assert invitation_of(app).answer == "stopped"


def test_a_second_click_changes_nothing(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_DECLINE, str(invitation.id))
    app.fake.wait_for("chat.update")
    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    wait_until(lambda: len(app.fake.calls_to("chat.update")) == 2)
    assert invitation_of(app).answer == "declined"
    assert [
        c for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] in (RECRUITER, "D" + RECRUITER[1:])
    ] == []


def test_someone_elses_click_changes_nothing(app):
    setup_invitation(app)
    invitation = wait_sent(app)
    app.slack.click(user_id="UINTRUDER", action_id=copy.ACTION_ACCEPT, value=str(invitation.id))
    assert invitation_of(app).answer is None


# --- follow-up, expiry, still welcome, check-ins ----------------------------------------------------------------


def test_one_follow_up_then_expiry_edits_the_original_and_sends_nothing_new(app, clock):
    setup_invitation(app)
    invitation = wait_sent(app)
    clock.advance(days=4)  # Friday 12:00: inside the window
    assert app.send_due() == 1
    follow_ups = [c for c in posted_to(app) if "gentle reminder" in c.args["text"]]
    assert len(follow_ups) == 1
    clock.advance(days=1)
    assert app.send_due() == 0  # at most one follow-up
    clock.advance(days=5)  # day 10: a Thursday
    assert app.send_due() == 1
    (update,) = app.fake.calls_to("chat.update")
    assert update.args["ts"] == invitation.message_ts and "expired" in update.args["text"]
    assert len(posted_to(app)) == 2  # the invitation and the one follow-up, nothing else
    assert invitation_of(app).answer == "expired"


def test_a_late_scheduler_never_sends_a_follow_up_after_the_expiry_moment(app, clock):
    setup_invitation(app)
    wait_sent(app)
    clock.advance(days=10, hours=1)
    app.send_due()
    assert [c for c in posted_to(app) if "gentle reminder" in c.args["text"]] == []
    assert len(app.fake.calls_to("chat.update")) == 1


def test_two_expiries_in_a_row_ask_once_then_pause_without_an_answer(app, clock):
    run(app, "role add First | Acme")
    run(app, "role add Second | Initech")
    run(app, "join", user=CAND)
    assert run(app, f"invite <@{CAND}> 1")["text"].startswith("Invitation queued")
    wait_sent(app)
    clock.advance(days=10)  # Thursday 21 January: the first expires
    app.send_due()
    assert invitation_of(app).answer == "expired"
    clock.set(datetime(2027, 4, 12, 12, 0, tzinfo=UTC))  # a Monday, past the quarterly cadence
    assert run(app, f"invite <@{CAND}> 2")["text"].startswith("Invitation queued")
    wait_until(lambda: invitation_of(app).role_id == 2 and invitation_of(app).status == "sent")
    clock.advance(days=10)  # Thursday 22 April: the second expires
    app.send_due()
    app.send_due()
    asks = [c for c in posted_to(app) if "still welcome" in c.args["text"]]
    assert len(asks) == 1
    clock.advance(days=1)
    app.send_due()
    assert len([c for c in posted_to(app) if "still welcome" in c.args["text"]]) == 1  # asked once
    clock.advance(days=10)  # no answer
    app.send_due()
    with app.sessions() as session:
        candidate = records.candidate(session, CAND)
        ledger = [(e.action, e.via, e.actor) for e in records.consent_history(session, CAND)]
    assert candidate.paused_until is not None and candidate.paused_until > clock()
    assert ledger[-1] == ("paused", "system", "nudge")


def test_keep_them_coming_ends_the_question_without_a_pause(app, clock):
    run(app, "role add First | Acme")
    run(app, "role add Second | Initech")
    run(app, "join", user=CAND)
    run(app, f"invite <@{CAND}> 1")
    wait_sent(app)
    clock.advance(days=10)
    app.send_due()
    clock.set(datetime(2027, 4, 12, 12, 0, tzinfo=UTC))
    run(app, f"invite <@{CAND}> 2")
    wait_until(lambda: invitation_of(app).role_id == 2 and invitation_of(app).status == "sent")
    clock.advance(days=10)
    app.send_due()
    app.send_due()
    app.slack.click(
        user_id=CAND,
        action_id=copy.ACTION_STILL_WELCOME_YES,
        value="keep",
        container={
            "type": "message",
            "message_ts": ts_of(app, "still welcome"),
            "channel_id": DM,
            "is_ephemeral": False,
        },
    )
    wait_until(lambda: any("stay on" in c.args["text"] for c in app.fake.calls_to("chat.update")))
    clock.advance(days=11)
    app.send_due()
    with app.sessions() as session:
        assert records.candidate(session, CAND).paused_until is None


def test_stage_changes_send_one_check_in_each(app):
    role_id = setup_invitation(app)
    invitation = wait_sent(app)
    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    app.fake.wait_for("chat.update")
    run(app, f"stage <@{CAND}> {role_id} conversation")
    wait_until(lambda: any("How did the conversation" in c.args["text"] for c in posted_to(app)))
    run(app, f"stage <@{CAND}> {role_id} interviewing")
    wait_until(lambda: any("How are the interviews" in c.args["text"] for c in posted_to(app)))
    checkins = [c for c in posted_to(app) if c.args["text"].startswith("How ")]
    assert len(checkins) == 2


# --- failures ---------------------------------------------------------------------------------------------------------


def test_rate_limit_is_waited_out_and_the_invitation_delivered_once(app, fake_slack):
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    setup_invitation(app)
    wait_sent(app)
    calls = posted_to(app)
    assert len(calls) == 2 and calls[1].at - calls[0].at >= 1.0
    assert len([m for m in fake_slack.messages_in(DM) if m.get("metadata")]) == 1


@pytest.mark.parametrize("error", ["user_not_found", "user_disabled", "cannot_dm_bot", "channel_not_found"])
def test_an_error_about_the_person_marks_them_unreachable_and_others_are_unaffected(app, fake_slack, error):
    run(app, "join", user="UOTHER007")
    fake_slack.fail_next("chat.postMessage", error)
    setup_invitation(app)
    wait_until(lambda: invitation_of(app).status == "failed")
    assert len(posted_to(app)) == 1
    with app.sessions() as session:
        candidate = records.candidate(session, CAND)
    assert candidate.unreachable_reason == error
    assert "not delivered: 1" in run(app, "pipeline")["text"]
    assert f"Slack can't deliver messages to them ({error})" in run(app, f"status <@{CAND}>")["text"]
    run(app, "invite <@UOTHER007> 1")
    wait_sent(app, "UOTHER007")


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive", "token_revoked", "not_authed"])
def test_an_error_about_the_bot_stops_all_sending_loudly(app, fake_slack, error, caplog):
    fake_slack.fail_next("chat.postMessage", error)
    with caplog.at_level("CRITICAL"):
        setup_invitation(app)
        wait_until(
            lambda: any(
                r.levelname == "CRITICAL" and getattr(r, "action", "") == "outbox.halted" for r in caplog.records
            )
        )
    assert app.sending_halted == error
    run(app, "join", user="UOTHER007")
    run(app, "invite <@UOTHER007> 1")
    assert app.send_due() == 0
    assert len(app.fake.calls_to("chat.postMessage")) == 1
    assert app.healthz().json()["sending"] == f"stopped: {error}"


def test_transient_errors_back_off_then_deliver_once(app, fake_slack):
    app.retry_base = timedelta(0)
    fake_slack.fail_next("chat.postMessage", "internal_error", times=2)
    setup_invitation(app)
    wait_until(lambda: app.send_due() or invitation_of(app).status == "sent")
    assert len(posted_to(app)) == 3
    assert len([m for m in fake_slack.messages_in(DM) if m.get("metadata")]) == 1


def test_transient_errors_end_in_a_failure_the_recruiter_can_see(app, fake_slack):
    app.retry_base = timedelta(0)
    fake_slack.fail_next("chat.postMessage", "internal_error", times=10)
    setup_invitation(app)
    wait_until(lambda: app.send_due() or invitation_of(app).status == "failed")
    assert len(posted_to(app)) == 5
    assert "not delivered: 1" in run(app, "pipeline")["text"]


def test_backoff_spaces_retries_out(app, fake_slack, clock):
    fake_slack.fail_next("chat.postMessage", "internal_error")
    setup_invitation(app)
    wait_until(lambda: steps(app, "invitation")[0].last_error == "internal_error")
    delay = steps(app, "invitation")[0].not_before - MONDAY_NOON
    assert timedelta(seconds=4) <= delay <= timedelta(seconds=6)


# --- opt-out while a send is in flight -----------------------------------------------------------------------------


def test_an_opt_out_during_an_invitation_send_is_confirmed_after_it_and_nothing_follows(app, fake_slack):
    fake_slack.delay("chat.postMessage", 1.5)
    setup_invitation(app)
    invitation_call = fake_slack.wait_for("chat.postMessage")[0]
    reply = app.slack.event(im_message_event(user_id=CAND, text="stop"))
    assert reply.status == 200
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    confirmation = calls[1]
    assert "won't get any more invitations" in confirmation.args["text"]
    assert confirmation.at >= invitation_call.at + 1.5  # it waited for the send in flight
    fake_slack.delay("chat.postMessage", 0)
    app.send_due()
    assert len(fake_slack.calls_to("chat.postMessage")) == 2

    def pending():
        return [
            (s.kind, s.claimed_until, s.last_error)
            for s in steps(app)
            if s.sent_at is None and s.cancelled_at is None and s.failed_at is None
        ]

    try:
        wait_until(lambda: pending() == [])
    except AssertionError as error:
        raise AssertionError(pending()) from error


def test_a_command_stop_during_a_send_is_confirmed_after_it_without_delaying_the_ack(app, fake_slack):
    fake_slack.delay("chat.postMessage", 2.0)
    setup_invitation(app)
    invitation_call = fake_slack.wait_for("chat.postMessage")[0]
    import time

    reply = app.slack.command("stop", user_id=CAND)
    acked_at = time.monotonic()
    assert reply.status == 200 and reply.body == b""  # acked at once, well inside Slack's 3 seconds
    assert acked_at < invitation_call.at + 2.0
    (confirmation,) = fake_slack.wait_for("response_url", timeout=10)
    assert "won't get any more invitations" in confirmation.args["text"]
    assert confirmation.at >= invitation_call.at + 2.0  # only after the send in flight landed
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_out"


def test_a_command_stop_with_nothing_in_flight_is_confirmed_in_the_ack(app):
    setup_invitation(app)
    wait_sent(app)
    assert "won't get any more invitations" in run(app, "stop", user=CAND)["text"]


# --- reconciliation -------------------------------------------------------------------------------------------------


def test_a_step_that_reached_slack_before_its_sender_died_is_not_sent_again(app, fake_slack, clock):
    stage_a_post_that_reached_slack_before_its_sender_died(app, fake_slack, clock)
    invitation = wait_sent(app)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # only the earlier attempt
    assert fake_slack.calls_to("conversations.history")[0].args.get("include_all_metadata") in (True, "true", "1", 1)
    assert invitation.message_ts == fake_slack.messages_in(DM)[0]["ts"]


# --- the real scheduler with short durations ------------------------------------------------------------------------


def test_the_tick_sends_follow_up_and_expiry_with_short_real_durations(make_app):
    app = make_app(
        start_scheduler=True,
        NUDGE_TICK="1s",
        NUDGE_FOLLOWUP_AFTER="2s",
        NUDGE_EXPIRE_AFTER="4s",
        NUDGE_SEND_WINDOW="Mon-Sun 00:00-24:00",
    )
    setup_invitation(app)
    wait_sent(app)
    wait_until(lambda: any("gentle reminder" in c.args["text"] for c in posted_to(app)), timeout=10)
    wait_until(lambda: app.fake.calls_to("chat.update"), timeout=10)
    wait_until(lambda: invitation_of(app).answer == "expired")  # recorded just after Slack answered
    assert len(posted_to(app)) == 2


def test_a_second_process_on_the_same_sqlite_file_is_refused(make_app, tmp_path):
    from app import StartupError, build
    from bot.settings import load_settings
    from tests.support.environment import base_env

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = make_app(DATABASE_URL=url)
    with pytest.raises(StartupError, match="PostgreSQL"):
        build(load_settings(base_env(first.fake, url)))


def test_no_payload_field_carries_user_text(app):
    """Button values, metadata and private_metadata carry ids only, whatever people typed."""
    import re

    run(app, "recruiter link https://cal.example.com/rita")
    setup_invitation(
        app,
        role="<!here> Lead | Acme &amp; Co | <http://x.example|click> | ops",
        note="<!channel> call me &amp; <@U999|boss> maybe",
    )
    invitation = wait_sent(app)
    click(app, copy.ACTION_DETAILS, str(invitation.id))
    click(app, copy.ACTION_LATER, str(invitation.id))
    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    wait_until(lambda: len(app.fake.calls_to("chat.postMessage")) >= 4)
    run(app, "prefs", user=CAND)
    app.fake.wait_for("views.open")

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("value", "private_metadata", "event_payload", "action_id", "block_id", "callback_id"):
                    yield key, value
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    seen = 0
    for call in app.fake.calls:
        for key, value in walk(call.decoded):
            if key == "event_payload":
                assert set(value) == {"step"} and re.fullmatch(r"step-\d+", value["step"]), value
            elif isinstance(value, str):
                assert re.fullmatch(r"[A-Za-z0-9:._-]*", value), (call.method, key, value)
            seen += 1
    assert seen > 10


def test_several_due_invitations_read_do_not_disturb_in_one_call(make_app, fake_slack):
    clock = MovableClock(SUNDAY_NOON)
    app = make_app(clock=clock)
    people = ["UCAND0101", "UCAND0102", "UCAND0103"]
    for person in people:
        setup_invitation(app, user=person)
    wait_until(lambda: [s.last_error for s in steps(app, "invitation")] == ["outside_window"] * 3)
    per_person_reads = len(fake_slack.calls_to("dnd.info"))
    ten = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
    fake_slack.dnd[people[1]] = {
        "dnd_enabled": True,
        "next_dnd_start_ts": (ten - timedelta(hours=1)).timestamp(),
        "next_dnd_end_ts": (ten + timedelta(hours=1)).timestamp(),
    }
    clock.set(ten)
    assert app.send_due() == 2  # the person in Do Not Disturb waits
    (batch,) = fake_slack.calls_to("dnd.teamInfo")
    assert sorted(str(batch.args["users"]).split(",")) == people
    assert len(fake_slack.calls_to("dnd.info")) == per_person_reads  # no per-person DND read
    held = next(s for s in steps(app, "invitation") if s.slack_user_id == people[1])
    assert held.sent_at is None and held.not_before == ten + timedelta(hours=1)

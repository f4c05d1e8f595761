"""End-to-end: pause and resume, the App Home tab, the preferences modal, the welcome DM."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.copy import candidate as messages
from bot.rules.preferences import describe_day
from tests.support import records
from tests.support.clocks import MovableClock
from tests.support.slackreq import (
    app_home_opened_event,
    im_message_event,
    member_joined_channel_event,
)
from tests.support.waiting import dump_database, wait_until

CANDIDATE = "UCAND0004"
COMMUNITY = "CCOMMUNITY1"
START = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)  # the clock's start: a Sunday


APP_SETTINGS = {"NUDGE_COMMUNITY_CHANNEL": COMMUNITY}
SLACK_USERS = {CANDIDATE: {"tz": "Asia/Tokyo", "tz_offset": 9 * 3600}}


def _ledger(app, user_id=CANDIDATE):
    with app.sessions() as session:
        return [(e.scope, e.action, e.via) for e in records.consent_history(session, user_id)]


def _snapshot(app, user_id=CANDIDATE):
    return app.snapshot(user_id)


def _text(reply) -> str:
    return reply.json()["text"]


def _home_showing(app, *needles, user_id=CANDIDATE) -> str:
    """Wait until the newest home view published for the person shows every needle."""

    def newest():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == user_id]
        view = json.dumps(calls[-1].decoded["view"]) if calls else ""
        return view if view and all(n in view for n in needles) else None

    return wait_until(newest)


# --- pause and resume -------------------------------------------------------------------------------


def test_pause_for_days_confirms_the_date_in_the_candidates_zone(app):
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.command("pause 90d", user_id=CANDIDATE)

    # 2027-01-10 12:00 UTC + 90 days = 2027-04-10 12:00 UTC = 21:00 in Tokyo, a Saturday.
    assert _text(reply).startswith("Paused until Saturday 10 April 2027.")
    assert "/nudge resume" in _text(reply) and "/nudge stop" in _text(reply)
    snapshot = _snapshot(app)
    assert snapshot.standing.value == "paused"
    assert snapshot.paused_until == START + timedelta(days=90)
    assert _ledger(app)[-1] == ("invitations", "paused", "command")


def test_pause_until_a_date_starts_that_day_in_their_zone(app):
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.command("pause 2027-03-01", user_id=CANDIDATE)

    assert _text(reply).startswith("Paused until Monday 1 March 2027.")
    # Midnight in Tokyo is 15:00 UTC the day before.
    assert _snapshot(app).paused_until == datetime(2027, 2, 28, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", "Say how long"),
        ("soon", "Say how long"),
        ("3m", "days or weeks"),
        ("0d", "at least one day"),
        ("2020-01-01", "not in the future"),
        ("2027-02-30", "not a real date"),
        ("9999d", "up to 730 days"),
        ("0001-01-01", "not in the future"),  # Tokyo is ahead of UTC: this overflowed
        ("9999-12-31", "up to 730 days"),
        ("2029-01-12", "up to 730 days"),
    ],
)
def test_bad_pause_input_is_explained_and_changes_nothing(app, argument, expected):
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.command(f"pause {argument}", user_id=CANDIDATE)
    assert expected in _text(reply)
    assert "Nothing was changed" in _text(reply)
    assert _snapshot(app).standing.value == "joined"
    assert _ledger(app) == [("invitations", "granted", "command")]


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Los_Angeles"])  # ahead of and behind UTC, also in year 1
@pytest.mark.parametrize(
    ("argument", "expected"), [("0001-01-01", "not in the future"), ("9999-12-31", "up to 730 days")]
)
def test_dates_at_the_ends_of_the_calendar_are_refused_kindly_in_any_zone(
    make_app, fake_slack, clock, zone, argument, expected
):
    fake_slack.users[CANDIDATE] = {"tz": zone}
    app = make_app(clock=clock)
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.command(f"pause {argument}", user_id=CANDIDATE)
    assert reply.status == 200
    assert expected in _text(reply) and "Nothing was changed" in _text(reply)
    assert _snapshot(app).standing.value == "joined"


@pytest.mark.parametrize(("setup", "standing"), [((), "not_joined"), (("join", "stop"), "opted_out")])
def test_pause_without_an_opt_in_has_nothing_to_pause(app, setup, standing):
    for text_ in setup:
        app.slack.command(text_, user_id=CANDIDATE)
    reply = app.slack.command("pause 30d", user_id=CANDIDATE)
    assert "nothing to pause" in _text(reply)
    assert _snapshot(app).standing.value == standing
    assert all(row[1] != "paused" for row in _ledger(app))
    if not setup:  # asking stores nothing about someone Nudge does not know
        assert CANDIDATE not in _dump_database(app)


def test_resume_ends_a_pause_early_and_is_recorded(app):
    app.slack.command("join", user_id=CANDIDATE)
    app.slack.command("pause 30d", user_id=CANDIDATE)
    reply = app.slack.command("resume", user_id=CANDIDATE)
    assert "pause is over" in _text(reply)
    assert _snapshot(app).standing.value == "joined"
    assert [row[1] for row in _ledger(app)] == ["granted", "paused", "resumed"]

    again = app.slack.command("resume", user_id=CANDIDATE)
    assert "not paused" in _text(again)
    assert len(_ledger(app)) == 3


def test_a_pause_ends_by_itself_on_its_date(app, clock):
    app.slack.command("join", user_id=CANDIDATE)
    app.slack.command("pause 7d", user_id=CANDIDATE)
    clock.advance(days=7, seconds=-1)
    assert _snapshot(app).standing.value == "paused"
    clock.advance(seconds=1)
    assert _snapshot(app).standing.value == "joined"
    assert "not paused" in _text(app.slack.command("resume", user_id=CANDIDATE))


def test_stop_while_paused_opts_out_and_rejoining_starts_unpaused(app):
    for text_ in ("join", "pause 30d", "stop", "join"):
        app.slack.command(text_, user_id=CANDIDATE)
    snapshot = _snapshot(app)
    assert snapshot.standing.value == "joined" and snapshot.paused_until is None


# --- App Home -----------------------------------------------------------------------------------------


def test_app_home_shows_status_preferences_and_buttons_for_each_state(app):
    app.slack.event(app_home_opened_event(user_id=CANDIDATE))
    view = _home_showing(app, "You haven't joined")
    assert "nudge.consent.join" in view and "nudge.preferences.edit" in view
    assert "Asia/Tokyo" in view and "Mon-Fri 10:00-17:00" in view

    app.slack.command("join", user_id=CANDIDATE)
    view = _home_showing(app, "You're in")
    assert "nudge.pause" in view and "nudge.consent.stop" in view and "nudge.consent.join" not in view

    app.slack.command("pause 2027-03-01", user_id=CANDIDATE)
    view = _home_showing(app, "Paused until Monday 1 March 2027")
    assert "nudge.resume" in view

    app.slack.event(im_message_event(user_id=CANDIDATE, text="stop"))
    view = _home_showing(app, "opted out")
    assert "nudge.consent.join" in view and "nudge.resume" not in view


def test_messages_tab_opening_does_not_publish(app):
    app.slack.event(app_home_opened_event(user_id=CANDIDATE, tab="messages"))
    app.slack.event(app_home_opened_event(user_id=CANDIDATE))
    _home_showing(app, "You haven't joined")
    assert len(app.fake.calls_to("views.publish")) == 1


def test_home_buttons_change_state_like_commands_do(app):
    app.slack.home_click(user_id=CANDIDATE, action_id=messages.ACTION_JOIN, value="join")
    assert _snapshot(app).standing.value == "joined"
    app.slack.home_click(user_id=CANDIDATE, action_id=messages.ACTION_PAUSE, value="3")
    snapshot = _snapshot(app)
    assert snapshot.standing.value == "paused"
    # Three calendar months in Tokyo: 10 January 21:00 -> 10 April 21:00 local.
    assert snapshot.paused_until == datetime(2027, 4, 10, 12, 0, tzinfo=UTC)
    app.slack.home_click(user_id=CANDIDATE, action_id=messages.ACTION_RESUME, value="resume")
    assert _snapshot(app).standing.value == "joined"
    app.slack.home_click(user_id=CANDIDATE, action_id=messages.ACTION_STOP, value="stop")
    assert _snapshot(app).standing.value == "opted_out"
    assert _ledger(app) == [
        ("invitations", "granted", "app_home"),
        ("invitations", "paused", "app_home"),
        ("invitations", "resumed", "app_home"),
        ("invitations", "withdrawn", "app_home"),
    ]
    assert app.fake.calls_to("response_url") == []  # the home tab has no message to replace
    _home_showing(app, "opted out")


def test_the_same_pause_is_the_same_state_whichever_way_it_was_made(make_app, fake_slack, database_url):
    fake_slack.users["UVIACMD01"] = {"tz": "Europe/Berlin"}
    fake_slack.users["UVIAHOME1"] = {"tz": "Europe/Berlin"}
    app = make_app(clock=MovableClock(START))
    app.slack.command("join", user_id="UVIACMD01")
    app.slack.command("pause 2027-04-10", user_id="UVIACMD01")
    app.slack.home_click(user_id="UVIAHOME1", action_id=messages.ACTION_JOIN, value="join")
    app.slack.home_click(user_id="UVIAHOME1", action_id=messages.ACTION_PAUSE, value="3")
    by_command, by_button = _snapshot(app, "UVIACMD01"), _snapshot(app, "UVIAHOME1")
    assert by_command.standing == by_button.standing
    berlin = ZoneInfo("Europe/Berlin")
    assert (
        describe_day(by_command.paused_until, berlin)
        == describe_day(by_button.paused_until, berlin)
        == "Saturday 10 April 2027"
    )


# --- preferences ----------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    values = {
        "cadence": {
            "value": {
                "type": "static_select",
                "selected_option": {"value": "monthly", "text": {"type": "plain_text", "text": "x"}},
            }
        },
        "interests": {"value": {"type": "plain_text_input", "value": "Python, backend,  Remote , python"}},
        "days": {
            "value": {
                "type": "checkboxes",
                "selected_options": [
                    {"value": "Tue", "text": {"type": "plain_text", "text": "Tue"}},
                    {"value": "Thu", "text": {"type": "plain_text", "text": "Thu"}},
                ],
            }
        },
        "start": {
            "value": {
                "type": "static_select",
                "selected_option": {"value": "09:30", "text": {"type": "plain_text", "text": "09:30"}},
            }
        },
        "end": {
            "value": {
                "type": "static_select",
                "selected_option": {"value": "12:00", "text": {"type": "plain_text", "text": "12:00"}},
            }
        },
        "tz_override": {"value": {"type": "plain_text_input", "value": "europe/berlin"}},
        "never_companies": {"value": {"type": "plain_text_input", "value": "Acme Corp\nGlobex, acme corp"}},
    }
    for key, value in overrides.items():
        values[key] = {"value": value}
    return values


def test_prefs_command_opens_the_modal_with_current_values(app):
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.command("prefs", user_id=CANDIDATE)
    assert reply.status == 200
    (call,) = app.fake.wait_for("views.open")
    view = call.decoded["view"]
    assert view["callback_id"] == "nudge.preferences"
    assert call.args["trigger_id"]
    everything = json.dumps(view)
    assert "At most quarterly" in everything and "Asia/Tokyo" in everything
    assert view.get("private_metadata", "") == ""


def test_valid_preferences_are_saved_together_and_recorded(app):
    app.slack.command("join", user_id=CANDIDATE)
    reply = app.slack.submit_view(user_id=CANDIDATE, callback_id="nudge.preferences", values=_form())
    assert reply.status == 200 and reply.body in (b"", b"{}")
    snapshot = _snapshot(app)
    assert snapshot.cadence.value == "monthly"
    assert snapshot.interests == ("python", "backend", "remote")
    assert str(snapshot.send_window) == "Tue,Thu 09:30-12:00"
    assert snapshot.tz_override == "Europe/Berlin"
    assert snapshot.never_companies == ("Acme Corp", "Globex")
    assert _ledger(app)[-1] == ("preferences", "updated", "modal")
    _home_showing(app, "Europe/Berlin", "Tue,Thu 09:30-12:00", "At most monthly")


def test_invalid_preferences_are_shown_inline_and_nothing_is_saved(app):
    app.slack.command("join", user_id=CANDIDATE)
    values = _form(
        days={"type": "checkboxes", "selected_options": []},
        tz_override={"type": "plain_text_input", "value": "Mars/Olympus"},
        interests={"type": "plain_text_input", "value": "x" * 41},
    )
    reply = app.slack.submit_view(user_id=CANDIDATE, callback_id="nudge.preferences", values=values)
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"days", "tz_override", "interests"}
    snapshot = _snapshot(app)
    assert snapshot.cadence.value == "quarterly" and snapshot.interests == () and snapshot.tz_override is None
    assert [row[0] for row in _ledger(app)] == ["invitations"]


def test_equal_start_and_end_is_an_inline_error(app):
    values = _form(
        end={
            "type": "static_select",
            "selected_option": {"value": "09:30", "text": {"type": "plain_text", "text": "09:30"}},
        }
    )
    body = app.slack.submit_view(user_id=CANDIDATE, callback_id="nudge.preferences", values=values).json()
    assert list(body["errors"]) == ["end"]


def test_user_text_in_preferences_is_escaped_on_the_home_tab(app):
    values = _form(
        never_companies={"type": "plain_text_input", "value": "<!channel> & Co"},
        interests={"type": "plain_text_input", "value": "<@U999>"},
    )
    app.slack.submit_view(user_id=CANDIDATE, callback_id="nudge.preferences", values=values)
    view = _home_showing(app, "&lt;!channel&gt; &amp; Co")
    assert "<!channel>" not in view and "<@u999>" not in view and "&lt;@u999&gt;" in view


# --- welcome DM ---------------------------------------------------------------------------------------


def test_joining_the_community_channel_gets_one_welcome_dm_ever(app):
    app.slack.event(member_joined_channel_event(user_id=CANDIDATE, channel=COMMUNITY))
    (call,) = app.fake.wait_for("chat.postMessage")
    assert call.args["channel"] in (CANDIDATE, "D" + CANDIDATE[1:])
    everything = json.dumps(call.decoded.get("blocks")) + call.args["text"]
    assert "No commitment" in everything and "nudge.consent.join" in everything and "Do nothing" in everything
    assert "https://example.com/privacy" in everything

    app.slack.event(member_joined_channel_event(user_id=CANDIDATE, channel=COMMUNITY))  # left and came back
    app.slack.event(member_joined_channel_event(user_id="UOTHER002", channel="COTHERCHAN"))  # another channel
    app.slack.event(im_message_event(user_id="UMARKER01", text="hello"))  # marker
    posted = app.fake.wait_for("chat.postMessage", count=2)
    assert [c.args["channel"][1:] for c in posted].count(CANDIDATE[1:]) == 1
    assert len(posted) == 2


def test_no_welcome_for_people_who_already_joined_or_opted_out(app):
    app.slack.command("join", user_id="UJOINED01")
    app.slack.command("stop", user_id="USTOPPED1")
    for user in ("UJOINED01", "USTOPPED1", "UBOT"):
        app.slack.event(member_joined_channel_event(user_id=user, channel=COMMUNITY))
    app.slack.event(im_message_event(user_id="UMARKER01", text="hello"))
    posted = app.fake.wait_for("chat.postMessage")
    assert len(posted) == 1 and "I'm a bot" in posted[0].args["text"]


def test_count_me_in_on_the_welcome_dm_opts_in(app):
    app.slack.event(member_joined_channel_event(user_id=CANDIDATE, channel=COMMUNITY))
    app.fake.wait_for("chat.postMessage")
    app.slack.click(
        user_id=CANDIDATE,
        action_id=messages.ACTION_JOIN,
        value="join",
        container={
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "D" + CANDIDATE[1:],
            "is_ephemeral": False,
        },
    )
    assert _ledger(app) == [("invitations", "granted", "button")]
    (replaced,) = app.fake.wait_for("response_url")
    assert replaced.args["replace_original"] is True and "You're in" in replaced.args["text"]


def test_people_who_got_a_welcome_but_never_joined_are_stored_only_as_a_hash(app):
    app.slack.event(member_joined_channel_event(user_id=CANDIDATE, channel=COMMUNITY))
    app.fake.wait_for("chat.postMessage")
    wait_until(lambda: CANDIDATE not in _dump_database(app))
    dump = _dump_database(app)
    assert CANDIDATE not in dump and CANDIDATE[1:] not in dump
    assert "h1:" in dump  # the keyed hash that keeps the welcome to once ever


def _dump_database(app) -> str:
    return dump_database(app.engine)

"""End-to-end: after "Happy to chat" — revocable sharing and the profile, stepping back, private
notes that never reach a recruiter, staying in touch, and the still-welcome streak."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from sqlalchemy import text

from bot.copy import after_yes as ay
from bot.copy import journey as copy
from bot.copy.views import PREFERENCES_CALLBACK
from tests.support import records
from tests.support.journeys import (
    CAND,
    DM,
    RECRUITER,
    accepted,
    click,
    invitation_of,
    posted_to,
    run,
    steps,
    ts_of,
    wait_sent,
)
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import dump_database, wait_until

NOTE_FOR_COMPANIES = "Open to platform roles & <!channel> tests"
PRIVATE = "Secret reflection: my market value is 140k zebra"


def share_events(app, user=CAND):
    with app.sessions() as session:
        return [
            (e.scope, e.action, e.via) for e in records.consent_history(session, user) if e.scope.startswith("share:")
        ]


def everything(body: dict) -> str:
    return body.get("text", "") + "\n" + json.dumps(body.get("blocks", []), ensure_ascii=False)


def mydata(app, user=CAND) -> dict:
    before = len(app.fake.uploads)
    run(app, "mydata", user=user)
    wait_until(lambda: len(app.fake.uploads) > before and app.fake.calls_to("files.completeUploadExternal"))
    return json.loads(list(app.fake.uploads.values())[-1])


def test_profile_only_while_the_grant_stands_and_each_one_is_a_disclosure(app, fake_slack, clock):
    fake_slack.users[CAND] = {
        "profile": {"real_name": "Ada Lovelace", "display_name": "ada", "title": "Staff Engineer"}
    }
    role_id, invitation_id = accepted(app)
    records.change_candidate(app, CAND, company_note=NOTE_FOR_COMPANIES)
    refusal = f"<@{CAND}> hasn't agreed to share their details for role #{role_id}."
    # Before any yes: refused, and nothing else is revealed.
    body = run(app, f"profile <@{CAND}|ada> {role_id}")
    assert body["text"] == refusal and "python" not in everything(body)

    share_ask = next(c for c in posted_to(app) if "may your name and profile" in c.args["text"])
    assert "sharing`" in share_ask.args["text"] and "tell your recruiter" not in share_ask.args["text"]
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: ("share:role:1", "granted", "button") in share_events(app))
    card = everything(run(app, f"profile <@{CAND}|ada> #{role_id}"))
    assert "Ada Lovelace" in card and "Staff Engineer" in card and "python" in card
    assert "Open to platform roles &amp; &lt;!channel&gt; tests" in card and "<!channel>" not in card

    # The candidate sees it: `/nudge sharing` and mydata; `audit` lists it.
    listing = everything(run(app, "sharing", user=CAND))
    assert (
        "shared since 2027-01-11" in listing
        and f"<@{RECRUITER}> shared your profile with Acme for #{role_id}" in listing
    )
    data = mydata(app)
    assert [(d["recruiter"], d["role_id"], d["company"]) for d in data["profile_disclosures"]] == [
        (RECRUITER, role_id, "Acme")
    ]
    assert data["preferences"]["note_for_companies"] == NOTE_FOR_COMPANIES
    assert "Profile disclosures" in everything(run(app, f"audit <@{CAND}>"))

    # *Stop sharing* from `/nudge sharing`: refused again, exactly the line and nothing else.
    reply = app.slack.click(user_id=CAND, action_id=ay.ACTION_SHARE_OFF, value=str(role_id))
    assert reply.status == 200
    wait_until(lambda: share_events(app)[-1] == ("share:role:1", "withdrawn", "button"))
    body = run(app, f"profile <@{CAND}|ada> {role_id}")
    assert body["text"] == refusal and "python" not in everything(body) and "Ada" not in everything(body)
    assert "not shared" in everything(run(app, "sharing", user=CAND))
    # Unknown role; non-recruiters.
    assert run(app, f"profile <@{CAND}> 99")["text"] == "No role #99."
    assert "That's for recruiters only" in run(app, f"profile <@{CAND}> {role_id}", user="UOTHER001")["text"]
    clock.advance(minutes=1)  # `mydata` answers once a minute
    assert len(mydata(app)["profile_disclosures"]) == 1


def test_not_yet_refuses_and_share_from_sharing_then_stop_withdraws(app):
    role_id, invitation_id = accepted(app)
    click(app, copy.ACTION_SHARE_NO, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: share_events(app) == [("share:role:1", "withdrawn", "button")])
    assert "hasn't agreed" in run(app, f"profile <@{CAND}> {role_id}")["text"]
    app.slack.click(user_id=CAND, action_id=ay.ACTION_SHARE_ON, value=str(role_id))
    wait_until(lambda: share_events(app)[-1] == ("share:role:1", "granted", "button"))
    assert "Profile of" in run(app, f"profile <@{CAND}> {role_id}")["text"]
    run(app, "stop", user=CAND)
    assert share_events(app)[-1] == ("share:role:1", "withdrawn", "command")
    assert "hasn't agreed" in run(app, f"profile <@{CAND}> {role_id}")["text"]


def test_stepping_back_tells_the_recruiter_once_ends_check_ins_and_withdraws_sharing(app):
    role_id, invitation_id = accepted(app)
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: ("share:role:1", "granted", "button") in share_events(app))
    run(app, f"stage <@{CAND}> {role_id} conversation")
    checkin = wait_until(
        lambda: next((c for c in posted_to(app) if "How did the conversation" in c.args["text"]), None)
    )
    buttons = [e for b in checkin.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Write a private note", "Step back"]
    assert {b["value"] for b in buttons} == {str(invitation_id)}

    for _ in range(2):  # a second click changes nothing and sends nothing
        app.slack.click(user_id=CAND, action_id=ay.ACTION_STEP_BACK, value=str(invitation_id))
    wording = f"<@{CAND}> has stepped back from #{role_id}. No reason needed."
    to_recruiter = lambda: [c for c in app.fake.calls_to("chat.postMessage") if c.args["text"] == wording]  # noqa: E731
    wait_until(lambda: len(to_recruiter()) == 1)
    replies = [c.args["text"] for c in app.fake.wait_for("response_url", count=2)]
    assert "completely fine" in replies[0] and "still opted in" in replies[0]
    assert invitation_of(app).stage == "stepped_back"
    assert share_events(app)[-1] == ("share:role:1", "withdrawn", "button")
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_in"

    reply = run(app, f"stage <@{CAND}> {role_id} interviewing")
    assert "stepped back" in reply["text"]
    app.send_due()
    assert not any("How are the interviews" in c.args["text"] for c in posted_to(app))
    assert len(to_recruiter()) == 1
    assert "stepped back: 1" in run(app, f"pipeline {role_id}")["text"]


def test_a_private_note_reaches_only_its_author_and_forget_erases_it(app, caplog, fake_slack):
    caplog.set_level(logging.INFO)  # the level the bot runs at (bot/logs.py)
    role_id, invitation_id = accepted(app)
    run(app, f"stage <@{CAND}> {role_id} conversation")
    wait_until(lambda: any("How did the conversation" in c.args["text"] for c in posted_to(app)))
    app.slack.click(user_id=CAND, action_id=ay.ACTION_WRITE_NOTE, value=str(invitation_id))
    (opened,) = app.fake.wait_for("views.open")
    view = opened.decoded["view"]
    assert view["private_metadata"] == str(invitation_id)
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [ay.MARKET_VALUE_QUESTION, ay.NEXT_ROLE_QUESTION]
    reply = app.slack.submit_view(
        user_id=CAND,
        callback_id=ay.NOTE_CALLBACK,
        values={
            "market_value": {"value": {"type": "plain_text_input", "value": PRIVATE}},
            "next_role": {"value": {"type": "plain_text_input", "value": None}},
        },
    )
    assert reply.status == 200

    assert mydata(app)["private_notes"][0]["market_value"] == PRIVATE
    app.slack.event(app_home_opened_event(user_id=CAND))
    wait_until(
        lambda: any(
            "zebra" in json.dumps(c.decoded)
            for c in app.fake.calls_to("views.publish")
            if c.args.get("user_id") == CAND
        )
    )
    recruiter_surfaces = [
        everything(run(app, f"status <@{CAND}>")),
        everything(run(app, f"audit <@{CAND}>")),
        everything(run(app, f"pipeline {role_id}")),
        everything(run(app, "pipeline")),
        everything(run(app, "stats")),
    ]
    app.slack.event(app_home_opened_event(user_id=RECRUITER))
    wait_until(lambda: any(c.args.get("user_id") == RECRUITER for c in app.fake.calls_to("views.publish")))
    recruiter_surfaces += [
        json.dumps(c.decoded) for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == RECRUITER
    ]
    recruiter_surfaces += [
        json.dumps(c.decoded) for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] not in (DM, CAND)
    ]
    for surface in recruiter_surfaces:
        assert "zebra" not in surface
    assert "zebra" not in caplog.text and all("zebra" not in str(r.__dict__) for r in caplog.records)

    run(app, "forget", user=CAND)
    wait_until(lambda: "zebra" not in dump_database(app.engine))
    assert CAND not in dump_database(app.engine)


def test_stage_closed_offers_staying_in_touch_and_it_sets_the_cadence(app):
    role_id, invitation_id = accepted(app)
    run(app, f"stage <@{CAND}> {role_id} closed")
    dm = wait_until(
        lambda: next((c for c in posted_to(app) if "Thank you for taking the time" in c.args["text"]), None)
    )
    buttons = [e["text"]["text"] for b in dm.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [
        "Stay in touch (twice a year)",
        "Pause for 6 months",
        "Stop all invitations",
        "Write a private note",
    ]
    app.slack.click(user_id=CAND, action_id=ay.ACTION_STAY_IN_TOUCH, value=str(invitation_id))
    wait_until(lambda: "twice a year" in run(app, f"status <@{CAND}>")["text"].lower())
    with app.sessions() as session:
        events = [(e.scope, e.action, e.via) for e in records.consent_history(session, CAND)]
    assert ("cadence", "granted", "button") in events


def test_closing_a_role_sends_the_stay_in_touch_dm_once_to_those_in_progress(app):
    role_id, _ = accepted(app)
    run(app, f"role close {role_id}")
    wait_until(lambda: any("Thank you for taking the time" in c.args["text"] for c in posted_to(app)))
    app.send_due()
    assert len([c for c in posted_to(app) if "Thank you for taking the time" in c.args["text"]]) == 1
    assert invitation_of(app).stage == "closed"
    assert len(steps(app, "stay_in_touch")) == 1


def test_the_preferences_modal_keeps_a_note_for_companies(app):
    run(app, "join", user=CAND)
    values = {
        "cadence": {"value": {"type": "static_select", "selected_option": {"value": "quarterly"}}},
        "interests": {"value": {"type": "plain_text_input", "value": "python"}},
        "days": {"value": {"type": "checkboxes", "selected_options": [{"value": "Mon"}]}},
        "start": {"value": {"type": "static_select", "selected_option": {"value": "10:00"}}},
        "end": {"value": {"type": "static_select", "selected_option": {"value": "17:00"}}},
        "tz_override": {"value": {"type": "plain_text_input", "value": None}},
        "never_companies": {"value": {"type": "plain_text_input", "value": None}},
        "company_note": {"value": {"type": "plain_text_input", "value": NOTE_FOR_COMPANIES}},
    }
    assert app.slack.submit_view(user_id=CAND, callback_id=PREFERENCES_CALLBACK, values=values).status == 200
    with app.sessions() as session:
        assert records.candidate(session, CAND).company_note == NOTE_FOR_COMPANIES
    values["company_note"]["value"]["value"] = "x" * 501
    body = app.slack.submit_view(user_id=CAND, callback_id=PREFERENCES_CALLBACK, values=values).json()
    assert body["response_action"] == "errors" and "company_note" in body["errors"]


def test_after_keep_them_coming_earlier_expiries_no_longer_count(app, clock):
    for title in ("First | Acme", "Second | Initech", "Third | Globex"):
        run(app, f"role add {title}")
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
    asks = lambda: [c for c in posted_to(app) if "still welcome" in c.args["text"]]  # noqa: E731
    assert len(asks()) == 1
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
    # One more expiry after "keep": only one expiry counts since then, so nothing is asked.
    clock.set(datetime(2027, 8, 2, 12, 0, tzinfo=UTC))
    assert run(app, f"invite <@{CAND}> 3")["text"].startswith("Invitation queued")
    wait_until(lambda: invitation_of(app).role_id == 3 and invitation_of(app).status == "sent")
    clock.advance(days=10)
    app.send_due()
    app.send_due()
    assert invitation_of(app).answer == "expired"
    assert len(asks()) == 1


def _home_of(app, user=CAND) -> str:
    calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == user]
    return json.dumps(calls[-1].decoded["view"], ensure_ascii=False) if calls else ""


def test_app_home_lists_each_role_with_its_sharing_state_and_step_back(app):
    role_id, invitation_id = accepted(app)
    app.slack.event(app_home_opened_event(user_id=CAND))
    wait_until(lambda: "not shared" in _home_of(app))
    home = _home_of(app)
    assert "Share my profile" in home and "Step back" in home and "Your notes" in home
    app.slack.home_click(user_id=CAND, action_id=ay.ACTION_SHARE_ON, value=str(role_id))
    wait_until(lambda: share_events(app)[-1:] == [("share:role:1", "granted", "app_home")])
    wait_until(lambda: "shared since 2027-01-11" in _home_of(app) and "Stop sharing" in _home_of(app))
    app.slack.home_click(user_id=CAND, action_id=ay.ACTION_STEP_BACK, value=str(invitation_id))
    wait_until(lambda: invitation_of(app).stage == "stepped_back")
    assert share_events(app)[-1] == ("share:role:1", "withdrawn", "app_home")
    wait_until(lambda: "you stepped back" in _home_of(app))


def test_forget_withdraws_standing_grants_before_erasing(app):
    from sqlmodel import select

    from storage.models import ConsentEvent

    role_id, invitation_id = accepted(app)
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: ("share:role:1", "granted", "button") in share_events(app))
    run(app, f"profile <@{CAND}> {role_id}")
    run(app, "forget", user=CAND)
    wait_until(lambda: CAND not in dump_database(app.engine))
    with app.sessions() as session:
        shares = [
            (e.scope, e.action)
            for e in session.exec(select(ConsentEvent).order_by(ConsentEvent.id)).all()
            if e.scope.startswith("share:")
        ]
    assert shares[-1] == ("share:role:1", "withdrawn")
    assert "hasn't agreed" in run(app, f"profile <@{CAND}> {role_id}")["text"]


def test_pause_for_six_months_from_the_stay_in_touch_dm(app, clock):
    role_id, invitation_id = accepted(app)
    run(app, f"stage <@{CAND}> {role_id} closed")
    wait_until(lambda: any("Thank you for taking the time" in c.args["text"] for c in posted_to(app)))
    app.slack.click(user_id=CAND, action_id=ay.ACTION_STAY_PAUSE, value=str(invitation_id))
    wait_until(lambda: any("2027" in c.args.get("text", "") for c in app.fake.calls_to("response_url")))
    with app.sessions() as session:
        paused = records.candidate(session, CAND).paused_until
    assert paused is not None and datetime(2027, 7, 10, tzinfo=UTC) < paused < datetime(2027, 7, 13, tzinfo=UTC)


def test_the_stop_keyword_withdraws_standing_grants(app):
    from tests.support.slackreq import im_message_event

    role_id, invitation_id = accepted(app)
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: ("share:role:1", "granted", "button") in share_events(app))
    app.slack.event(im_message_event(user_id=CAND, text="STOP"))
    wait_until(lambda: share_events(app)[-1] == ("share:role:1", "withdrawn", "keyword"))
    assert "hasn't agreed" in run(app, f"profile <@{CAND}> {role_id}")["text"]


def test_retention_erases_private_notes_and_disclosures(app, clock):

    role_id, invitation_id = accepted(app)
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: ("share:role:1", "granted", "button") in share_events(app))
    run(app, f"profile <@{CAND}> {role_id}")
    app.slack.submit_view(
        user_id=CAND,
        callback_id=ay.NOTE_CALLBACK,
        values={"market_value": {"value": {"type": "plain_text_input", "value": PRIVATE}}},
    )
    wait_until(lambda: "zebra" in dump_database(app.engine))
    clock.advance(days=800)
    assert app.run_daily() is True
    everything = wait_until(lambda: (d := dump_database(app.engine)) and "zebra" not in d and d)
    assert CAND not in everything
    with app.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM disclosure")).scalar_one() == 0


def test_an_old_yes_share_button_after_stop_shares_nothing_and_says_so(app):
    _, invitation_id = accepted(app)
    ask_ts = ts_of(app, "may your name and profile")
    run(app, "stop", user=CAND)
    updates_before = len(app.fake.calls_to("chat.update"))
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ask_ts)
    update = wait_until(lambda: app.fake.calls_to("chat.update")[updates_before:])[-1]
    assert "nothing about you is shared" in update.args["text"] and update.args["ts"] == ask_ts
    assert ("share:role:1", "granted", "button") not in share_events(app)

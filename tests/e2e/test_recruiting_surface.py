"""End-to-end: recruiting without typed ids — App Home's *Recruiting* section, the shortcuts,
the invite modal, matches with *Invite*, the pipeline's stage selects and *Close role*, through
signed requests shaped as Slack sends them and the fake Web API's checks."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from sqlmodel import select

from bot.copy.recruiting_ids import (
    RecruitingAction,
    RecruitingBlock,
    RecruitingCallback,
    RoleMenu,
    Shortcut,
)
from bot.rules.statuses import Stage
from bot.rules.steps import Kind
from slackstandin import interactions as slack
from storage.models import Invitation, OutgoingMessage, Role
from tests.support import records
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import wait_until

RECRUITER = "URECRUIT1"
CAND = "UCAND0005"
OTHER = "UCAND0006"
STRANGER = "UCAND0007"
START = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)  # a Sunday: invitations stay queued


def run(app, text, user=RECRUITER) -> dict:
    reply = app.slack.command(text, user_id=user)
    assert reply.status == 200, reply.body
    return reply.json() if reply.body else {}


def make_role(app, text="Backend Engineer | Acme | Build calm APIs | python, remote") -> int:
    body = run(app, f"role add {text}")
    return int(body["text"].split("#", 1)[1].split(" ", 1)[0].rstrip(":"))


def rows(app, model):
    with app.sessions() as session:
        return session.exec(select(model)).all()


def join(app, user, interests=("python",)):
    run(app, "join", user=user)
    records.change_candidate(app, user, interests=list(interests))


def opened(app, count=1) -> dict:
    """The newest modal opened, once `count` have been."""
    return app.fake.wait_for("views.open", count)[-1].decoded["view"]


def home_of(app, user=RECRUITER) -> dict:
    app.slack.event(app_home_opened_event(user_id=user))

    def published():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == user]
        return calls[-1].decoded["view"] if calls else None

    return wait_until(published)


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def invite_values(role_id: int | None, people: list[str], note: str = "") -> dict:
    role = {"type": "static_select", "selected_option": {"value": str(role_id)} if role_id else None}
    return {
        RecruitingBlock.ROLE: {RecruitingAction.ROLE_CHOICE: role},
        RecruitingBlock.PEOPLE: {RecruitingAction.PEOPLE: {"type": "multi_users_select", "selected_users": people}},
        RecruitingBlock.NOTE: {RecruitingAction.NOTE: {"type": "plain_text_input", "value": note}},
    }


def stored_view(app, view: dict) -> dict:
    """The view as Slack keeps it (with its id and hash), for a click inside it."""
    return next(v for v in app.fake.views.values() if v.get("callback_id") == view.get("callback_id"))


# --- App Home --------------------------------------------------------------------------------------


def test_recruiter_home_starts_with_recruiting_buttons_and_a_menu_per_role(app):
    role_id = make_role(app, "Backend <b>&</b> APIs | Acme | Calm | python")
    view = home_of(app)
    texts = [json.dumps(b) for b in view["blocks"]]
    recruiting = next(i for i, t in enumerate(texts) if "*Recruiting*" in t)
    own_card = next(i for i, t in enumerate(texts) if "You haven't joined" in t)
    assert recruiting < own_card
    buttons = block(view, RecruitingBlock.HOME_BUTTONS)["elements"]
    assert [b["text"]["text"] for b in buttons] == ["New role", "Invite candidates", "Find matches"]
    line = block(view, f"{RecruitingBlock.ROLE_LINE}:{role_id}")
    assert line["text"]["verbatim"] is True and "Backend &lt;b&gt;&amp;&lt;/b&gt; APIs" in line["text"]["text"]
    menu = line["accessory"]
    assert menu["type"] == "overflow"
    assert [o["text"]["text"] for o in menu["options"]] == ["Find matches", "Pipeline", "Close role"]

    candidate_view = home_of(app, CAND)
    assert "*Recruiting*" not in json.dumps(candidate_view)


# --- the invite modal ----------------------------------------------------------------------------


def test_invite_from_home_opens_in_time_and_tells_each_outcome_in_one_message(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, "stop", user=OTHER)
    sent = time.monotonic()
    assert app.slack.home_click(user_id=RECRUITER, action_id=RecruitingAction.INVITE, value="invite").status == 200
    (call,) = app.fake.wait_for("views.open")
    assert call.at - sent < 3
    view = call.decoded["view"]
    assert view["callback_id"] == RecruitingCallback.INVITE
    select_ = block(view, RecruitingBlock.ROLE)["element"]
    assert select_["type"] == "static_select" and [o["value"] for o in select_["options"]] == [str(role_id)]
    assert block(view, RecruitingBlock.PEOPLE)["element"]["max_selected_items"] == 10

    values = invite_values(role_id, [CAND, OTHER, STRANGER], "Loved your talk")
    body = app.slack.submit_view(user_id=RECRUITER, callback_id=RecruitingCallback.INVITE, values=values).json()
    assert body["response_action"] == "update"
    (message,) = app.fake.wait_for("chat.postMessage")
    assert message.args["channel"] == RECRUITER
    text = message.args["text"]
    assert f"Invitation queued for <@{CAND}>" in text
    assert f"<@{OTHER}> has opted out of invitations" in text
    assert f"<@{STRANGER}> hasn't opted in" in text
    stranger = block({"blocks": message.decoded["blocks"]}, f"outcome:{STRANGER}")
    assert stranger["accessory"]["action_id"] == "nudge.optin_request.send"
    assert [(i.candidate_id, i.note) for i in rows(app, Invitation)] == [(CAND, "Loved your talk")]


def test_pressure_words_in_the_note_are_a_field_error_and_nothing_is_sent(app):
    role_id = make_role(app)
    join(app, CAND)
    values = invite_values(role_id, [CAND], "Hurry, last chance!")
    body = app.slack.submit_view(user_id=RECRUITER, callback_id=RecruitingCallback.INVITE, values=values).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {RecruitingBlock.NOTE}
    assert rows(app, Invitation) == []
    assert app.fake.calls_to("chat.postMessage") == []


def test_the_form_asks_for_a_role_and_at_most_10_people(app):
    make_role(app)
    people = [f"UCAND{n:04d}" for n in range(11)]
    body = app.slack.submit_view(
        user_id=RECRUITER, callback_id=RecruitingCallback.INVITE, values=invite_values(None, people)
    ).json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        RecruitingBlock.ROLE: "Choose one of the open roles.",
        RecruitingBlock.PEOPLE: "Choose up to 10 people at a time.",
    }
    assert rows(app, Invitation) == []


def test_the_never_list_is_no_outcome_of_the_invite_modal(app):
    role_id = make_role(app, "Backend Engineer | ACME Inc. | Calm APIs | python")
    join(app, CAND)
    join(app, OTHER)
    records.change_candidate(app, OTHER, never_companies=["acme"])
    values = invite_values(role_id, [CAND, OTHER])
    app.slack.submit_view(user_id=RECRUITER, callback_id=RecruitingCallback.INVITE, values=values)
    (message,) = app.fake.wait_for("chat.postMessage")
    lines = message.args["text"].split("\n")
    assert [line.replace(OTHER, CAND) for line in lines] == [lines[0], lines[0]]
    assert lines[0].startswith(f"Invitation queued for <@{CAND}>")


def test_past_100_open_roles_the_role_select_asks_as_the_recruiter_types(app):
    with app.sessions() as session, session.begin():
        for n in range(101):
            session.add(Role(title=f"Engineer {n}", company="Acme", created_by=RECRUITER, created_at=START))
    app.slack.home_click(user_id=RECRUITER, action_id=RecruitingAction.INVITE, value="invite")
    view = opened(app)
    element = block(view, RecruitingBlock.ROLE)["element"]
    assert element["type"] == "external_select" and "options" not in element
    body = slack.block_suggestion_body(
        user_id=RECRUITER,
        action_id=RecruitingAction.ROLE_CHOICE,
        block_id=RecruitingBlock.ROLE,
        value="engineer 10",
        view=stored_view(app, view),
    )
    answer = app.slack.interaction(body).json()
    assert [o["text"]["text"] for o in answer["options"]] == ["#11 Engineer 10 · Acme", "#101 Engineer 100 · Acme"]
    everything = app.slack.interaction(
        slack.block_suggestion_body(
            user_id=RECRUITER,
            action_id=RecruitingAction.ROLE_CHOICE,
            block_id=RecruitingBlock.ROLE,
            value="",
            view=stored_view(app, view),
        )
    ).json()
    assert len(everything["options"]) == 100


# --- shortcuts ---------------------------------------------------------------------------------------


def test_message_shortcut_opens_the_invite_modal_with_the_author_chosen(app):
    make_role(app)
    body = slack.message_shortcut_body(
        user_id=RECRUITER,
        callback_id=Shortcut.INVITE_AUTHOR,
        channel_id="CCOMMUNITY",
        message={"user": CAND, "ts": "1700000000.000100", "text": "I shipped a Python API!"},
        response_url=app.fake.response_url_for("shortcut-1"),
    )
    sent = time.monotonic()
    assert app.slack.interaction(body).status == 200
    (call,) = app.fake.wait_for("views.open")
    assert call.at - sent < 3
    people = block(call.decoded["view"], RecruitingBlock.PEOPLE)["element"]
    assert people["initial_users"] == [CAND]


def test_shortcuts_tell_anyone_else_only_that_they_are_for_recruiters(app):
    body = slack.message_shortcut_body(
        user_id=STRANGER,
        callback_id=Shortcut.INVITE_AUTHOR,
        channel_id="CCOMMUNITY",
        message={"user": CAND, "ts": "1700000000.000100", "text": "hello"},
        response_url=app.fake.response_url_for("shortcut-2"),
    )
    assert app.slack.interaction(body).status == 200
    (answer,) = app.fake.wait_for("response_url")
    assert answer.args["text"] == "That's for recruiters only." and answer.args["response_type"] == "ephemeral"
    app.slack.interaction(slack.global_shortcut_body(user_id=STRANGER, callback_id=Shortcut.NEW_ROLE))
    view = opened(app)
    assert view.get("callback_id") in (None, "") and "That's for recruiters only." in json.dumps(view)
    assert "submit" not in view


def test_global_shortcut_opens_the_role_form(app):
    sent = time.monotonic()
    app.slack.interaction(slack.global_shortcut_body(user_id=RECRUITER, callback_id=Shortcut.NEW_ROLE))
    (call,) = app.fake.wait_for("views.open")
    assert call.decoded["view"]["callback_id"] == "nudge.role.add" and call.at - sent < 3


# --- matches, pipeline, close --------------------------------------------------------------------------


def test_match_invite_button_opens_the_modal_with_person_and_role_chosen(app):
    role_id = make_role(app)
    join(app, CAND)
    body = run(app, f"match {role_id}")
    line = block(body, f"{RecruitingBlock.MATCH_LINE}:{CAND}")
    assert line["accessory"]["text"]["text"] == "Invite" and line["accessory"]["value"] == f"{role_id}:{CAND}"
    action = slack.button_action(
        action_id=RecruitingAction.INVITE_PERSON, block_id=line["block_id"], value=line["accessory"]["value"]
    )
    app.slack.interaction(
        slack.actions_body(user_id=RECRUITER, action=action, response_url=app.fake.response_url_for("m"))
    )
    view = opened(app)
    assert block(view, RecruitingBlock.ROLE)["element"]["initial_option"]["value"] == str(role_id)
    assert block(view, RecruitingBlock.PEOPLE)["element"]["initial_users"] == [CAND]


def test_find_matches_picks_a_role_then_invite_replaces_the_view(app):
    role_id = make_role(app)
    join(app, CAND)
    app.slack.home_click(user_id=RECRUITER, action_id=RecruitingAction.FIND_MATCHES, value="matches")
    assert opened(app)["callback_id"] == RecruitingCallback.PICK_ROLE
    values = invite_values(role_id, [])
    body = app.slack.submit_view(user_id=RECRUITER, callback_id=RecruitingCallback.PICK_ROLE, values=values).json()
    assert body["response_action"] == "update"
    matches = body["view"]
    line = block(matches, f"{RecruitingBlock.MATCH_LINE}:{CAND}")
    stored = app.fake.keep_view(matches)
    action = slack.button_action(
        action_id=RecruitingAction.INVITE_PERSON, block_id=line["block_id"], value=line["accessory"]["value"]
    )
    app.slack.interaction(slack.actions_body(user_id=RECRUITER, action=action, view=stored))
    (update,) = app.fake.wait_for("views.update")
    assert update.args["view_id"] == stored["id"]
    assert block(update.decoded["view"], RecruitingBlock.PEOPLE)["element"]["initial_users"] == [CAND]


def _accepted(app) -> int:
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite <@{CAND}|c> {role_id}")
    with app.sessions() as session, session.begin():
        invitation = session.exec(select(Invitation)).one()
        invitation.status, invitation.sent_at, invitation.answer = "sent", START, "accepted"
        invitation.answered_at, invitation.stage = START, "accepted"
        session.add(invitation)
    return role_id


def test_pipeline_from_the_role_menu_moves_a_stage_with_its_check_in(app):
    role_id = _accepted(app)
    value = f"{RoleMenu.PIPELINE}:{role_id}"
    action = slack.overflow_action(
        action_id=RecruitingAction.ROLE_MENU, block_id=f"recruiting_role:{role_id}", value=value
    )
    home = {"id": "VHOME0001", "type": "home", "blocks": [], "hash": "1.2", "state": {"values": {}}}
    sent = time.monotonic()
    app.slack.interaction(slack.actions_body(user_id=RECRUITER, action=action, view=home))
    (call,) = app.fake.wait_for("views.open")
    assert call.at - sent < 3
    pipeline = call.decoded["view"]
    select_ = next(b["accessory"] for b in pipeline["blocks"] if b.get("accessory", {}).get("type") == "static_select")
    assert [o["text"]["text"] for o in select_["options"]] == ["conversation", "interviewing", "offer", "closed"]
    choice = next(o for o in select_["options"] if o["text"]["text"] == "interviewing")
    stored = stored_view(app, pipeline)
    pick = slack.static_select_action(action_id=RecruitingAction.STAGE, block_id="pipeline:1", value=choice["value"])
    app.slack.interaction(slack.actions_body(user_id=RECRUITER, action=pick, view=stored))
    (update,) = app.fake.wait_for("views.update")
    assert f"<@{CAND}> is now at *interviewing*" in json.dumps(update.decoded["view"])
    (invitation,) = rows(app, Invitation)
    assert invitation.stage == Stage.INTERVIEWING
    assert [s.kind for s in rows(app, OutgoingMessage) if s.kind.startswith("checkin")] == [Kind.CHECKIN_INTERVIEWING]


def test_pipeline_command_has_a_stage_select_that_answers_like_stage(app):
    role_id = _accepted(app)
    body = run(app, f"pipeline {role_id}")
    select_ = next(b["accessory"] for b in body["blocks"] if b.get("accessory", {}).get("type") == "static_select")
    choice = next(o for o in select_["options"] if o["text"]["text"] == "offer")
    pick = slack.static_select_action(action_id=RecruitingAction.STAGE, block_id="pipeline:1", value=choice["value"])
    app.slack.interaction(
        slack.actions_body(user_id=RECRUITER, action=pick, response_url=app.fake.response_url_for("p"))
    )
    (answer,) = app.fake.wait_for("response_url")
    assert answer.args["replace_original"] in (True, "true")
    assert f"<@{CAND}> is now at *offer*" in answer.args["text"]
    assert rows(app, Invitation)[0].stage == Stage.OFFER
    assert [s.kind for s in rows(app, OutgoingMessage) if s.kind.startswith("checkin")] == [Kind.CHECKIN_OFFER]


def test_close_role_asks_first_then_closes(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite <@{CAND}|c> {role_id}")
    value = f"{RoleMenu.CLOSE}:{role_id}"
    action = slack.overflow_action(
        action_id=RecruitingAction.ROLE_MENU, block_id=f"recruiting_role:{role_id}", value=value
    )
    home = {"id": "VHOME0001", "type": "home", "blocks": [], "hash": "1.2", "state": {"values": {}}}
    app.slack.interaction(slack.actions_body(user_id=RECRUITER, action=action, view=home))
    confirm = opened(app)
    assert confirm["callback_id"] == RecruitingCallback.CLOSE_ROLE and confirm["submit"]["text"] == "Close role"
    assert rows(app, Role)[0].status == "open"
    body = app.slack.submit_view(
        user_id=RECRUITER,
        callback_id=RecruitingCallback.CLOSE_ROLE,
        values={},
        private_metadata=confirm["private_metadata"],
    ).json()
    assert "1 queued invitation was cancelled" in json.dumps(body["view"])
    assert rows(app, Role)[0].status == "closed"


def test_new_role_from_home_refreshes_the_tab_with_the_role(app):
    home_of(app)
    app.slack.home_click(user_id=RECRUITER, action_id=RecruitingAction.NEW_ROLE, value="new")
    form = opened(app)
    assert form["callback_id"] == "nudge.role.add" and form["private_metadata"] == "home"
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "Platform Engineer"}},
        "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
    }
    body = app.slack.submit_view(
        user_id=RECRUITER, callback_id="nudge.role.add", values=values, private_metadata=form["private_metadata"]
    ).json()
    assert body["response_action"] == "update"

    def refreshed():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == RECRUITER]
        return any("#1 Platform Engineer at Acme" in json.dumps(c.decoded["view"]) for c in calls)

    assert wait_until(refreshed)

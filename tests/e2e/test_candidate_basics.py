"""End-to-end: /nudge join, stop and help, through signed requests into the real app."""

from __future__ import annotations

import json
from datetime import UTC

from sqlmodel import select

from bot.copy.candidate import OPT_IN_WORDING_VERSION, OPT_OUT_WORDING_VERSION
from storage.models import Candidate, ConsentEvent
from tests.support import records

CANDIDATE = "UCAND0001"


def _ledger(app, user_id=CANDIDATE):
    with app.sessions() as session:
        return [
            (e.scope, e.action, e.via, e.wording_version, e.actor) for e in records.consent_history(session, user_id)
        ]


def _status(app, user_id=CANDIDATE):
    with app.sessions() as session:
        return records.consent_status(session, user_id).value


def _all_text(reply_json: dict) -> str:
    return reply_json["text"] + "\n" + json.dumps(reply_json.get("blocks", []))


def test_join_opts_in_at_once_confirms_and_links_privacy_notice(running_app):
    reply = running_app.slack.command("join", user_id=CANDIDATE)

    assert reply.status == 200
    body = reply.json()
    assert "You're in" in body["text"]
    assert "No commitment" in body["text"]
    assert "https://example.com/privacy" in _all_text(body)
    assert body.get("response_type", "ephemeral") == "ephemeral"
    assert _status(running_app) == "opted_in"
    assert _ledger(running_app) == [("invitations", "granted", "command", OPT_IN_WORDING_VERSION, CANDIDATE)]


def test_join_without_privacy_url_has_no_dangling_link(make_app):
    app = make_app(NUDGE_PRIVACY_URL="")
    body = app.slack.command("join", user_id=CANDIDATE).json()
    assert "privacy notice" not in _all_text(body)
    assert _status(app) == "opted_in"


def test_joining_twice_is_harmless_and_records_once(running_app):
    running_app.slack.command("join", user_id=CANDIDATE)
    second = running_app.slack.command("  JOIN  ", user_id=CANDIDATE).json()

    assert "already in" in second["text"]
    assert _status(running_app) == "opted_in"
    assert len(_ledger(running_app)) == 1


def test_stop_opts_out_at_once_and_stopping_twice_is_harmless(running_app):
    running_app.slack.command("join", user_id=CANDIDATE)
    first = running_app.slack.command("stop", user_id=CANDIDATE).json()
    second = running_app.slack.command("stop", user_id=CANDIDATE).json()

    assert "won't get any more invitations" in first["text"]
    assert "already opted out" in second["text"]
    assert "/nudge join" in first["text"]  # the way back is always shown
    assert _status(running_app) == "opted_out"
    assert [row[1] for row in _ledger(running_app)] == ["granted", "withdrawn"]


def test_stop_before_ever_joining_is_recorded_as_an_opt_out(running_app):
    running_app.slack.command("stop", user_id=CANDIDATE)
    assert _status(running_app) == "opted_out"
    assert _ledger(running_app) == [("invitations", "withdrawn", "command", OPT_OUT_WORDING_VERSION, CANDIDATE)]


def test_rejoining_after_stop_is_one_step(running_app):
    for text in ("join", "stop", "join"):
        running_app.slack.command(text, user_id=CANDIDATE)
    assert _status(running_app) == "opted_in"
    assert [row[1] for row in _ledger(running_app)] == ["granted", "withdrawn", "granted"]


def test_candidate_help_shows_only_candidate_commands(running_app):
    for text in ("help", ""):
        body = running_app.slack.command(text, user_id=CANDIDATE).json()
        everything = _all_text(body)
        assert "/nudge join" in everything and "/nudge stop" in everything
        assert "Recruiter commands" not in everything
        assert "invite @user" not in everything and "role add" not in everything
        assert "nudge.consent.join" in everything  # a one-click Count me in


def test_recruiter_help_adds_the_recruiter_section(running_app):
    for recruiter in ("URECRUIT1", "UADMIN1"):
        body = running_app.slack.command("help", user_id=recruiter).json()
        assert "Recruiter commands" in _all_text(body)


def test_unknown_subcommand_points_to_help_without_echoing_input(running_app):
    body = running_app.slack.command("frobnicate <!channel> & <http://x|y>", user_id=CANDIDATE).json()
    everything = _all_text(body)
    assert "/nudge help" in body["text"]
    assert "<!channel>" not in everything and "http://x" not in everything
    with running_app.sessions() as session:
        assert session.exec(select(Candidate)).all() == []


def test_recruiter_command_from_a_candidate_is_refused_with_their_own_help(running_app):
    body = running_app.slack.command("invite <@UOTHER1|other> 7 hello", user_id=CANDIDATE).json()
    everything = _all_text(body)
    assert body["text"].startswith("That's for recruiters only")
    assert "/nudge join" in everything and "Recruiter commands" not in everything
    with running_app.sessions() as session:
        assert session.exec(select(Candidate)).all() == []
        assert session.exec(select(ConsentEvent)).all() == []


def test_count_me_in_button_opts_in_and_replaces_the_message(running_app):
    reply = running_app.slack.click(
        user_id=CANDIDATE, action_id="nudge.consent.join", value="join", response_key="help-1"
    )

    assert reply.status == 200
    posted = running_app.fake.wait_for("response_url")[0]
    assert posted.args["replace_original"] is True
    assert "You're in" in posted.args["text"]
    assert _ledger(running_app) == [("invitations", "granted", "button", OPT_IN_WORDING_VERSION, CANDIDATE)]


def test_stop_button_opts_out(running_app):
    running_app.slack.command("join", user_id=CANDIDATE)
    running_app.slack.click(user_id=CANDIDATE, action_id="nudge.consent.stop", value="stop")
    running_app.fake.wait_for("response_url")
    assert _status(running_app) == "opted_out"
    assert _ledger(running_app)[-1][:3] == ("invitations", "withdrawn", "button")


def test_ledger_times_come_from_the_injected_clock(make_app):
    from datetime import datetime

    moment = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    app = make_app(clock=lambda: moment)
    app.slack.command("join", user_id=CANDIDATE)
    with app.sessions() as session:
        (event,) = records.consent_history(session, CANDIDATE)
        candidate = session.exec(select(Candidate)).one()
    assert event.at == moment
    assert candidate.created_at == candidate.updated_at == moment

"""End-to-end: a recruiter whose Slack locale is German gets the replies to recruiter commands
in German, while the role they typed (title, company) stays exactly as written and the
subcommands in the examples stay English; an English-speaking recruiter still gets English."""

from __future__ import annotations

from tests.support.journeys import CAND, RECRUITER, run

SLACK_USERS = {RECRUITER: {"locale": "de-DE"}, CAND: {"locale": "en-US"}}


def test_a_german_recruiter_gets_role_replies_in_german(app):
    assert run(app, "role list")["text"] == "Noch keine offenen Stellen. `/nudge role add` legt eine an."
    created = run(app, "role add Backend Engineer | Acme | Build calm APIs | Python, remote")["text"]
    assert created == "Stelle #1 angelegt: #1 Backend Engineer bei Acme · python, remote"
    listed = run(app, "role list")["text"]
    assert listed == "*Offene Stellen*\n• #1 Backend Engineer bei Acme — noch keine Einladungen"


def test_a_german_recruiter_gets_an_invite_refusal_in_german(app):
    run(app, "role add Backend Engineer | Acme | Build calm APIs | Python, remote")
    reply = run(app, f"invite <@{CAND}> 1")["text"]
    assert reply.startswith(f"<@{CAND}> hat sich nicht für Einladungen angemeldet.")
    assert run(app, f"invite <@{CAND}> 9")["text"].startswith("Keine offene Stelle #9.")


def test_an_english_recruiter_still_gets_english(app, fake_slack):
    fake_slack.users[RECRUITER] = {"locale": "en-US"}
    assert run(app, "role list")["text"] == "No open roles yet. `/nudge role add` creates one."

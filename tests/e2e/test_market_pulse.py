"""End-to-end: the market pulse (`/nudge market` and the candidate's App Home), and the pay range
and remote flag roles gain in the inline grammar and the modal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from storage.models import Role
from tests.support import records
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import wait_until

RECRUITER = "URECRUIT1"
CAND = "UCAND0005"
OTHER = "UCAND0006"
START = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def run(app, text, user=RECRUITER) -> dict:
    reply = app.slack.command(text, user_id=user)
    assert reply.status == 200, reply.body
    return reply.json()


def roles(app) -> list[Role]:
    with app.sessions() as session:
        return list(session.exec(select(Role).order_by(Role.id)).all())


def test_inline_roles_take_an_optional_pay_range_and_remote_setting(app):
    body = run(app, "role add Backend Engineer | Acme | Calm APIs | python | pay: €80–95k | remote: fully remote")
    assert body["text"].startswith("Role #1 created")
    run(app, "role add Data Engineer | Initech | remote: hybrid | pay: 70,000-80,000 GBP")
    first, second = roles(app)
    assert (first.pay_range, first.pay_min, first.pay_max, first.pay_currency, first.remote_ok) == (
        "€80–95k",
        80_000,
        95_000,
        "EUR",
        True,
    )
    assert (second.details, second.remote, second.pay_currency, second.remote_ok) == ("", "hybrid", "GBP", False)
    assert "too many parts" in run(app, "role add A | B | C | D | E")["text"]


def test_the_role_form_has_a_remote_flag_and_reads_the_pay_range(app):
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "Platform Engineer"}},
        "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
        "remote_ok": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        "pay_range": {"value": {"type": "plain_text_input", "value": "CHF 120k–140k"}},
    }
    body = app.slack.submit_view(user_id=RECRUITER, callback_id="nudge.role.add", values=values).json()
    assert body["response_action"] == "update"
    (role,) = roles(app)
    assert (role.remote_ok, role.pay_min, role.pay_max, role.pay_currency) == (True, 120_000, 140_000, "CHF")


def _market_roles(app) -> None:
    run(app, "role add Backend Engineer | Acme | Calm APIs | python, backend | pay: €80–95k | remote: fully remote")
    run(app, "role add Platform Engineer | (confidential) Globex | Kubernetes | python | pay: €90k-110k")
    run(app, "role add Sales Lead | Initech | Targets | sales")
    run(app, "role add Python <Wizard> & more | Umbrella | Magic | python")


def test_market_pulse_shows_matching_roles_hides_confidential_companies_and_states_pay(app):
    _market_roles(app)
    run(app, "join", user=CAND)
    records.change_candidate(app, CAND, interests=["python"])
    text = run(app, "market", user=CAND)["text"]
    assert "3 roles match your interests; 1 of them remote." in text
    assert "• Backend Engineer — Acme" in text
    assert "Globex" not in text and "• Platform Engineer — _company kept confidential for now_" in text
    assert "Python &lt;Wizard&gt; &amp; more" in text and "Sales Lead" not in text
    assert "Pay ranges stated: €80k–95k, €90k–110k." in text


def test_market_pulse_is_built_from_roles_only(app):
    _market_roles(app)
    run(app, "join", user=CAND)
    records.change_candidate(app, CAND, interests=["python"])
    before = run(app, "market", user=CAND)["text"]
    run(app, "join", user=OTHER)
    records.change_candidate(app, OTHER, interests=["python"])
    run(app, f"invite <@{OTHER}|o> 1 Thought of you")
    assert run(app, "market", user=CAND)["text"] == before


def test_market_pulse_without_interests_points_kindly_to_prefs(app):
    _market_roles(app)
    text = run(app, "market", user=CAND)["text"]
    assert "add a few interests with `/nudge prefs`" in text and "Backend" not in text


def test_candidate_home_has_the_market_pulse(app):
    _market_roles(app)
    run(app, "join", user=CAND)
    records.change_candidate(app, CAND, interests=["backend"])
    app.slack.event(app_home_opened_event(user_id=CAND))

    def home():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == CAND]
        view = json.dumps(calls[-1].decoded["view"], ensure_ascii=False) if calls else ""
        return view if "market pulse" in view and "1 role matches" in view else None

    view = wait_until(home)
    assert "Backend Engineer — Acme" in view and "€80k–95k" in view


def test_market_pulse_leaves_out_companies_on_the_never_list_but_names_no_confidential_one(app):
    _market_roles(app)
    run(app, "join", user=CAND)
    records.change_candidate(app, CAND, interests=["python"], never_companies=["acme", "Globex"])
    text = run(app, "market", user=CAND)["text"]
    assert "2 roles match your interests" in text and "Python &lt;Wizard&gt;" in text
    assert "Backend Engineer" not in text and "Globex" not in text
    assert "• Platform Engineer — _company kept confidential for now_" in text  # leaving it out would name it

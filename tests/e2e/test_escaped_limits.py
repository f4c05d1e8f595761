"""End-to-end: Slack's length and block-count limits hold for text full of `&`, `<` and `>`.

Slack counts a section's 3,000 characters as sent, i.e. after escaping; `&` becomes five
characters. The fake Slack rejects any over-limit block, so each scenario below fails with
`invalid_blocks` if a length is measured before escaping.
"""

from __future__ import annotations

import json

from sqlmodel import select

from bot.copy import journey as copy
from storage.models import Invitation, Role
from tests.support import records
from tests.support.fakeslack import view_problems
from tests.support.journeys import run
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import wait_until

RECRUITER = "URECRUIT1"
CAND = "UCAND0031"
DM = "D" + CAND[1:]
HEAVY = "&<>"  # escapes to 13 characters: 4.3 times its length


def heavy(length: int) -> str:
    return (HEAVY * length)[:length]


def role_form(**fields) -> dict:
    return {name: {"value": {"type": "plain_text_input", "value": value}} for name, value in fields.items()}


def submit_role(app, **fields) -> dict:
    reply = app.slack.submit_view(user_id=RECRUITER, callback_id="nudge.role.add", values=role_form(**fields))
    assert reply.status == 200, reply.body
    return reply.json()


def roles(app):
    with app.sessions() as session:
        return session.exec(select(Role).order_by(Role.id)).all()


def test_tell_me_more_shows_details_full_of_ampersands_and_angle_brackets(app):
    details = heavy(2000)  # the longest details a role may have; 8,667 characters once escaped
    body = submit_role(app, title="Backend Engineer", company="Acme", details=details, tags="python")
    assert body["response_action"] == "update", body
    (role,) = roles(app)
    run(app, "join", user=CAND)
    assert run(app, f"invite <@{CAND}|c> {role.id}")["text"].startswith("Invitation queued")
    invitation = wait_until(lambda: (i := _invitation(app)) is not None and i.status == "sent" and i)
    container = {
        "type": "message",
        "message_ts": invitation.message_ts,
        "channel_id": invitation.channel_id,
        "is_ephemeral": False,
    }
    reply = app.slack.click(user_id=CAND, action_id=copy.ACTION_DETAILS, value=str(invitation.id), container=container)
    assert reply.status == 200
    (update,) = app.fake.wait_for("chat.update")
    app.fake.assert_clean()
    shown = "".join(b["text"]["text"] for b in update.decoded["blocks"] if b["type"] == "section")
    assert shown.replace(">", "").count("&amp;&lt;&gt;") >= 666  # every character of the details is there
    assert "Happy to chat" in json.dumps(update.decoded["blocks"])


def _invitation(app):
    with app.sessions() as session:
        return session.exec(select(Invitation).where(Invitation.candidate_id == CAND)).first()


def test_recruiter_home_publishes_with_twenty_long_ampersand_titles(app):
    for n in range(20):
        title = f"{n:02d} " + "&" * 147
        submit_role(
            app, title=title, company="&" * 100, details="x", tags=", ".join(f"{'&' * 35}{i:02d}" for i in range(20))
        )
    assert len(roles(app)) == 20
    app.slack.event(app_home_opened_event(user_id=RECRUITER))

    def published():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == RECRUITER]
        return calls[-1] if calls else None

    call = wait_until(published)
    view = call.decoded["view"]
    app.fake.assert_clean()
    assert view_problems(view) == []
    text = json.dumps(view)
    for n in range(20):
        assert f"#{n + 1} {n:02d} &amp;" in text


def test_status_works_for_interests_full_of_angle_brackets(app):
    run(app, "join", user=CAND)
    tags = [f"{'<' * 38}{i:02d}" for i in range(20)]
    records.change_candidate(app, CAND, interests=tags)
    body = run(app, f"status <@{CAND}|c>")
    assert body["text"]
    from tests.support.fakeslack import message_problems

    assert message_problems(body) == []
    assert body["text"].count("&lt;" * 38) == 20


def test_role_created_view_is_valid_for_the_longest_escaped_fields(app):
    body = submit_role(
        app,
        title="&" * 150,
        company="<" * 100,
        details=heavy(2000),
        tags=", ".join(f"{'&' * 38}{i:02d}" for i in range(20)),
        location=">" * 100,
        remote="&" * 50,
        pay_range="<" * 100,
    )
    assert body["response_action"] == "update", body
    assert view_problems(body["view"]) == []
    assert len(roles(app)) == 1


def test_profile_sharing_and_app_home_work_for_fields_full_of_escapes(app, fake_slack):
    """`/nudge profile` put every field in one section (title, company, name, title, 20 tags and
    the note: over 3,000 characters once escaped), and `/nudge sharing` put 15 disclosures in
    one: both raised instead of answering."""
    from tests.support.journeys import CAND as DELIVERY_CAND
    from tests.support.journeys import click, posted_to, ts_of, wait_sent

    who = DELIVERY_CAND
    fake_slack.users[who] = {"profile": {"real_name": "&" * 80, "display_name": "amp", "title": "<" * 100}}
    body = submit_role(app, title="&" * 150, company="&" * 100, details=heavy(2000), tags="python")
    assert body["response_action"] == "update", body
    (role,) = roles(app)
    run(app, "join", user=who)
    records.change_candidate(
        app, who, interests=[f"{'<' * 38}{i:02d}" for i in range(19)] + ["python"], company_note="&" * 500
    )
    assert run(app, f"invite <@{who}|c> {role.id}")["text"].startswith("Invitation queued")
    invitation = wait_sent(app, who)
    click(app, copy.ACTION_ACCEPT, str(invitation.id), user=who)
    wait_until(lambda: any("may your name and profile" in c.args["text"] for c in posted_to(app)))
    click(app, copy.ACTION_SHARE_YES, str(invitation.id), user=who, message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: "Profile of" in run(app, f"profile <@{who}|c> {role.id}")["text"])
    for _ in range(14):
        card = run(app, f"profile <@{who}|c> {role.id}")
        assert "Profile of" in card["text"]
    shown = json.dumps(card["blocks"])
    assert "&amp;" * 80 in shown and "&lt;" * 100 in shown and ("&lt;" * 38 + "18") in shown
    listing = run(app, "sharing", user=who)
    assert json.dumps(listing["blocks"]).count("shared your profile with") == 15
    app.slack.event(app_home_opened_event(user_id=who))
    home = wait_until(
        lambda: next(
            (
                c
                for c in reversed(app.fake.calls_to("views.publish"))
                if c.args.get("user_id") == who and "When your profile was shared" in json.dumps(c.decoded["view"])
            ),
            None,
        )
    )
    assert view_problems(home.decoded["view"]) == []
    app.fake.assert_clean()


def _unrenderable(*args, **kwargs):
    raise RuntimeError("this reply cannot be built")


def test_a_role_is_never_stored_when_its_confirmation_cannot_be_built(app, monkeypatch):
    """The reply is built before the commit: committing first and failing to answer made the
    recruiter submit again and created the role twice."""
    from bot.copy import views

    monkeypatch.setattr(views, "role_created_modal", _unrenderable)
    reply = app.slack.submit_view(
        user_id=RECRUITER, callback_id="nudge.role.add", values=role_form(title="Platform Engineer", company="Acme")
    )
    assert reply.status != 200 or "response_action" not in reply.json()
    assert roles(app) == []
    monkeypatch.undo()
    assert submit_role(app, title="Platform Engineer", company="Acme")["response_action"] == "update"
    assert len(roles(app)) == 1


def test_an_inline_role_is_never_stored_when_its_reply_cannot_be_built(app, monkeypatch):
    from bot.copy import recruiter

    monkeypatch.setattr(recruiter, "role_created", _unrenderable)
    app.slack.command("role add Platform Engineer | Acme", user_id=RECRUITER)
    assert roles(app) == []

"""End-to-end: everything a recruiter does through `/nudge`, modals and App Home."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlmodel import select

from bot.copy.recruiter import ACTION_SEND_OPT_IN_REQUEST
from storage.models import Invitation, Role, TeamSwitchEvent
from tests.support import journeys, records
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import wait_until

RECRUITER = "URECRUIT1"
ADMIN = "UADMIN1"
CAND = "UCAND0005"
# When the clock starts (tests/e2e/conftest.py). A Sunday: outside the default Mon-Fri send
# window, so invitations stay queued unless a test moves the clock (delivery itself is tested in
# test_delivery.py).
START = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


run = partial(journeys.run, empty_ok=False)  # every recruiter command here must answer


def everything(body: dict) -> str:
    return body["text"] + "\n" + json.dumps(body.get("blocks", []))


def mention(user_id: str) -> str:
    return f"<@{user_id}|{user_id.lower()}>"


def rows(app, model):
    with app.sessions() as session:
        return session.exec(select(model)).all()


def _outgoing(app, user_id):
    from storage.models import OutgoingMessage

    return [m for m in rows(app, OutgoingMessage) if m.slack_user_id == user_id]


def _wait_for_the_kick(app, *users):
    """Wait until the kick after a command or click has looked at each of `users`' steps and
    committed its verdict (a hold records why). Its Slack reads come before that commit, so a
    test that moves the clock and sends once `dnd.info` is seen races the kick: on PostgreSQL
    the claim skips the row the kick still locks (SKIP LOCKED), and nothing sends the step."""
    wait_until(lambda: all((s := _outgoing(app, u)) and all(m.last_error is not None for m in s) for u in users))


def make_role(app, text="Backend Engineer | Acme | Build calm APIs | python, remote, senior") -> int:
    body = run(app, f"role add {text}")
    assert body["text"].startswith("Role #"), body["text"]
    return int(body["text"].split("#", 1)[1].split(" ", 1)[0].rstrip(":"))


def join(app, user, interests=None, never=None, cadence=None):
    run(app, "join", user=user)
    if interests is not None or never is not None or cadence is not None:
        with app.sessions() as session, session.begin():
            candidate = records.candidate(session, user)
            if interests is not None:
                candidate.interests = interests
            if never is not None:
                candidate.never_companies = never
            if cadence is not None:
                candidate.cadence = cadence
            session.add(candidate)


def set_invitation(app, candidate, role_id, **values):
    """Move an invitation along as delivery and answers (later issues) would."""
    with app.sessions() as session, session.begin():
        invitation = session.exec(
            select(Invitation).where(Invitation.candidate_id == candidate, Invitation.role_id == role_id)
        ).one()
        for key, value in values.items():
            setattr(invitation, key, value)
        session.add(invitation)


# --- roles ---------------------------------------------------------------------------------------------


def test_inline_role_add_creates_a_numbered_role_and_lists_it(app):
    body = run(app, "role add Backend Engineer | Acme | Build calm APIs | Python, remote")
    assert body["text"] == "Role #1 created: #1 Backend Engineer at Acme · python, remote"
    listed = everything(run(app, "role list"))
    assert "#1 Backend Engineer at Acme" in listed and "no invitations yet" in listed
    (role,) = rows(app, Role)
    assert (role.title, role.company, role.details, role.tags, role.created_by) == (
        "Backend Engineer",
        "Acme",
        "Build calm APIs",
        ["python", "remote"],
        RECRUITER,
    )


def test_confidential_company_is_marked(app):
    make_role(app, "Data Lead | (Confidential) Globex | Small team")
    (role,) = rows(app, Role)
    assert role.confidential is True and role.company == "Globex"
    assert "Globex (confidential)" in run(app, "role list")["text"]


def test_pipe_inside_a_link_does_not_split_the_role(app):
    make_role(app, "SRE | Initech | On-call is light, see <https://initech.example/team|the team page> | sre")
    (role,) = rows(app, Role)
    assert role.details == "On-call is light, see <https://initech.example/team|the team page>"
    assert role.tags == ["sre"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("role add Only a title", "needs at least a title and a company"),
        ("role add A | B | C | D | E", "too many parts"),
        ("role add Engineer | Acme | Apply ASAP | python", "ASAP"),
        ("role add Urgent hire | Acme", "Urgent"),
        ("role add Engineer | Acme | " + "x" * 2001, "2,000"),
        ("role add  | Acme", "needs a title"),
        ("role frobnicate", "Usage"),
        ("role close seven", "Usage"),
    ],
)
def test_bad_role_input_is_explained_and_creates_nothing(app, text, expected):
    body = run(app, text)
    assert expected.lower() in body["text"].lower()
    assert rows(app, Role) == []


def test_pressure_refusal_explains_why_kindly(app):
    text = run(app, "role add Engineer | Acme | Last chance to join!")["text"]
    assert "low-pressure" in text and "Nothing was changed" in text


def test_injection_in_role_fields_is_shown_escaped(app):
    # With should_escape, Slack sends a typed @channel as <!channel> and a typed & as &amp;.
    run(app, "role add <!channel> Lead &amp; Co | <!here> Acme | <http://evil.example|click> | ops")
    listed = everything(run(app, "role list"))
    for raw in ("<!channel>", "<!here>", "<http://evil.example|click>"):
        assert raw not in listed
    assert "&lt;!channel&gt; Lead &amp; Co" in listed and "&lt;!here&gt; Acme" in listed
    (role,) = rows(app, Role)
    assert role.title == "<!channel> Lead & Co"  # stored as typed, escaped when shown


def test_role_close_cancels_queued_invitations_and_unknown_ids_are_refused(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite {mention(CAND)} #{role_id}")
    body = run(app, f"role close #{role_id}")
    assert body["text"] == f"Role #{role_id} closed. 1 queued invitation was cancelled."
    (invitation,) = rows(app, Invitation)
    assert (invitation.status, invitation.cancel_reason) == ("cancelled", "role_closed")
    assert run(app, f"role close {role_id}")["text"].startswith(f"No open role #{role_id}.")
    assert run(app, "role close 99")["text"].startswith("No open role #99.")
    assert run(app, "role list")["text"].startswith("No open roles yet")


def test_role_add_without_text_opens_the_form_and_the_form_creates_the_role(app):
    reply = app.slack.command("role add", user_id=RECRUITER)
    assert reply.status == 200 and reply.body == b""
    (opened,) = app.fake.wait_for("views.open")
    assert opened.decoded["view"]["callback_id"] == "nudge.role.add"

    values = {
        "title": {"value": {"type": "plain_text_input", "value": "Platform Engineer"}},
        "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
        "confidential": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        "details": {"value": {"type": "plain_text_input", "value": "Kubernetes & calm on-call"}},
        "tags": {"value": {"type": "plain_text_input", "value": "k8s, go"}},
        "location": {"value": {"type": "plain_text_input", "value": "Berlin"}},
        "remote": {"value": {"type": "plain_text_input", "value": "hybrid"}},
        "pay_range": {"value": {"type": "plain_text_input", "value": "€80–95k"}},
    }
    body = app.slack.submit_view(user_id=RECRUITER, callback_id="nudge.role.add", values=values).json()
    assert body["response_action"] == "update"
    assert "Role #1 created" in json.dumps(body["view"])
    (role,) = rows(app, Role)
    assert (role.confidential, role.location, role.remote, role.pay_range, role.tags) == (
        True,
        "Berlin",
        "hybrid",
        "€80–95k",
        ["k8s", "go"],
    )


def test_role_form_shows_problems_inline_and_creates_nothing(app):
    values = {
        "title": {"value": {"type": "plain_text_input", "value": ""}},
        "company": {"value": {"type": "plain_text_input", "value": "Acme"}},
        "details": {"value": {"type": "plain_text_input", "value": "Hurry, today only!"}},
    }
    body = app.slack.submit_view(user_id=RECRUITER, callback_id="nudge.role.add", values=values).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"details"} or set(body["errors"]) == {"details", "title"}
    assert rows(app, Role) == []


def test_role_form_from_a_non_recruiter_creates_nothing(app):
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "X"}},
        "company": {"value": {"type": "plain_text_input", "value": "Y"}},
    }
    body = app.slack.submit_view(user_id=CAND, callback_id="nudge.role.add", values=values).json()
    assert body["response_action"] == "errors"
    assert rows(app, Role) == []


# --- invitations and their refusals, in order ---------------------------------------------------------------


def test_invite_queues_for_an_eligible_candidate_and_stores_the_note_as_typed(app):
    role_id = make_role(app)
    join(app, CAND)
    body = run(app, f"invite {mention(CAND)} {role_id} Loved your talk on queues &amp; retries")
    assert body["text"].startswith(
        f"Invitation queued for <@{CAND}> to talk about #{role_id} Backend Engineer at Acme."
    )
    (invitation,) = rows(app, Invitation)
    assert (invitation.status, invitation.recruiter_id, invitation.note) == (
        "queued",
        RECRUITER,
        "Loved your talk on queues & retries",
    )


def test_invite_note_with_pressure_language_is_refused(app):
    role_id = make_role(app)
    join(app, CAND)
    body = run(app, f"invite {mention(CAND)} {role_id} please reply ASAP")
    assert "ASAP" in body["text"] and "Nothing was changed" in body["text"]
    assert rows(app, Invitation) == []


def test_unknown_or_closed_role_comes_first(app):
    join(app, CAND)
    run(app, "stop", user=CAND)  # opted out too, but the role is checked first
    assert run(app, f"invite {mention(CAND)} #42")["text"].startswith("No open role #42.")


def test_opted_out_candidate_cannot_be_invited(app):
    role_id = make_role(app)
    run(app, "stop", user=CAND)
    text = run(app, f"invite {mention(CAND)} {role_id}")["text"]
    assert "opted out" in text and "Nothing can be done" in text
    assert rows(app, Invitation) == []


def test_paused_candidate_is_refused_with_the_date(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, "pause 2027-03-01", user=CAND)
    text = run(app, f"invite {mention(CAND)} {role_id}")["text"]
    assert "paused invitations until <!date^" in text and "|2027-0" in text


def test_not_opted_in_offers_the_one_time_request_and_sends_nothing_until_clicked(app, clock):
    role_id = make_role(app)
    body = run(app, f"invite {mention(CAND)} {role_id}")
    assert "hasn't opted in" in body["text"]
    buttons = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons] == [
        (ACTION_SEND_OPT_IN_REQUEST, CAND, "Send one-time opt-in request")
    ]
    assert app.fake.calls_to("chat.postMessage") == []
    assert rows(app, Invitation) == []

    app.slack.click(user_id=RECRUITER, action_id=ACTION_SEND_OPT_IN_REQUEST, value=CAND)
    app.fake.wait_for("dnd.info")  # it is Sunday: the request waits for the default send window
    _wait_for_the_kick(app, CAND)  # held until the window opens, before the clock moves
    assert app.fake.calls_to("chat.postMessage") == []
    clock.advance(days=1)  # Monday 12:00 in London
    app.send_due()
    (dm,) = app.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] in (CAND, "D" + CAND[1:])
    assert "nudge.consent.join" in json.dumps(dm.decoded["blocks"]) and "won't be asked again" in dm.args["text"]
    confirmation = app.fake.wait_for("response_url")[-1]
    assert "on its way" in confirmation.args["text"]

    app.slack.click(user_id=RECRUITER, action_id=ACTION_SEND_OPT_IN_REQUEST, value=CAND)
    wait_until(lambda: len(app.fake.calls_to("response_url")) >= 2)
    assert "already had their one-time opt-in request" in app.fake.calls_to("response_url")[-1].args["text"]
    again = run(app, f"invite {mention(CAND)} {role_id}")
    assert "already had their one-time opt-in request" in again["text"] and "actions" not in json.dumps(again["blocks"])
    assert len(app.fake.calls_to("chat.postMessage")) == 1


def test_opt_in_request_button_from_a_non_recruiter_does_nothing(app):
    app.slack.click(user_id="USOMEONE1", action_id=ACTION_SEND_OPT_IN_REQUEST, value=CAND)
    (reply,) = app.fake.wait_for("response_url")
    assert "recruiters only" in reply.args["text"]
    assert app.fake.calls_to("chat.postMessage") == []


NEVER = "UNEVER0001"  # has the role's company on their never-list
PLAIN = "UPLAIN0001"  # an ordinary candidate who gets the invitation and leaves it unanswered
MONDAY_NOON = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)  # inside the default window


def as_seen_for(user_id: str, text: str) -> str:
    """A reply with the candidate's id taken out, to compare two candidates' replies."""
    return text.replace(user_id, "U?")


def _send_on_monday(app, clock, *users):
    """Once the kick after `invite` has looked at each step (and held or ended it), send what is
    due on Monday."""
    _wait_for_the_kick(app, *users)
    clock.set(MONDAY_NOON)
    app.send_due()


def test_the_never_list_is_invisible_to_recruiters_and_nothing_reaches_the_candidate(app, clock, fake_slack):
    """Issue 18: every answer a recruiter can get about someone with the role's company on their
    never-list is the one they get about an ordinary candidate who received the invitation and
    left it unanswered; and nothing reaches them. (Issue 13's version left it "queued" forever,
    which told the list to anyone who compared it with the others after a day.)"""
    role_id = make_role(app, "Backend Engineer | ACME Inc. | Calm APIs | python")
    other_role = make_role(app, "Data Engineer | Initech | Calm pipelines | python")
    join(app, NEVER, interests=["python"], never=["Globex", "acme"])  # "acme" is "ACME Inc."
    join(app, PLAIN, interests=["python"])

    def same(text: str) -> str:
        a, b = run(app, text.format(who=mention(NEVER))), run(app, text.format(who=mention(PLAIN)))
        assert as_seen_for(NEVER, everything(a)) == as_seen_for(PLAIN, everything(b)), (a, b)
        return a["text"]

    matched = run(app, f"match {role_id}")["text"]
    assert f"<@{NEVER}> — shares python" in matched and f"<@{PLAIN}> — shares python" in matched
    assert same(f"invite {{who}} {role_id} Loved your talk").startswith("Invitation queued")

    _send_on_monday(app, clock, NEVER, PLAIN)
    assert app.fake.messages_in("D" + NEVER[1:]) == [] and len(app.fake.messages_in("D" + PLAIN[1:])) == 1
    (step,) = [m for m in _outgoing(app, NEVER) if m.kind == "invitation"]
    assert step.sent_at == MONDAY_NOON and step.cancelled_at is None  # "delivered", to no one
    assert [(i.status, i.sent_at) for i in rows(app, Invitation)] == [("sent", MONDAY_NOON)] * 2

    assert "awaiting answer" in same("status {who}")
    assert "already been invited" in same(f"invite {{who}} {role_id}")
    assert "invited recently" in same(f"invite {{who}} {other_role}")
    assert "• awaiting answer: 2" in run(app, f"pipeline {role_id}")["text"]
    assert f"<@{NEVER}>" not in run(app, f"match {role_id}")["text"]
    # Nowhere but the candidate's own App Home (below), which a refresh may publish at any moment.
    elsewhere = [c.args for c in app.fake.calls if not (c.method == "views.publish" and c.args.get("user_id") == NEVER)]
    assert "Globex" not in json.dumps(elsewhere) and "acme" not in json.dumps(elsewhere)

    # The candidate's own view still tells them the truth about their list.
    app.slack.event(app_home_opened_event(user_id=NEVER))
    own = wait_until(
        lambda: next(
            (
                v
                for c in reversed(app.fake.calls_to("views.publish"))
                if c.args.get("user_id") == NEVER and "Globex" in (v := json.dumps(c.decoded["view"]))
            ),
            None,
        )
    )
    assert "Companies never to hear about: Globex, acme" in own


@pytest.mark.parametrize(
    "blocked",
    ["acme", "ACME", "Acme Inc", "acme, inc.", "Acme GmbH", "The Acme Company", "ＡＣＭＥ", "Acme Corp.", "Асme"],
)
def test_the_never_list_compares_normalised_company_names(app, clock, blocked):
    role_id = make_role(app, "Backend Engineer | ACME Inc. | Calm APIs | python")
    join(app, NEVER, never=[blocked])
    run(app, f"invite {mention(NEVER)} {role_id}")
    _send_on_monday(app, clock, NEVER)
    assert app.fake.messages_in("D" + NEVER[1:]) == []
    (step,) = [m for m in _outgoing(app, NEVER) if m.kind == "invitation"]
    assert (step.cancelled_at, step.sent_at) == (None, MONDAY_NOON)
    assert [(i.status, i.withheld) for i in rows(app, Invitation)] == [("sent", True)]


@pytest.mark.parametrize("company", ["Acmeist", "Big Acme"])
def test_a_similar_but_different_company_is_not_blocked(app, clock, company):
    role_id = make_role(app, f"Backend Engineer | {company} | Calm APIs | python")
    join(app, NEVER, never=["Acme"])
    run(app, f"invite {mention(NEVER)} {role_id}")
    _send_on_monday(app, clock, NEVER)
    assert len(app.fake.messages_in("D" + NEVER[1:])) == 1


def test_already_invited_to_the_role(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite {mention(CAND)} {role_id}")
    assert (
        run(app, f"invite {mention(CAND)} {role_id}")["text"]
        == f"<@{CAND}> has already been invited to role #{role_id}."
    )


def test_too_soon_after_the_last_invitation_from_anyone_gives_the_date(app, clock):
    first, second = make_role(app), make_role(app, "Frontend Engineer | Initech")
    join(app, CAND, cadence="monthly")
    run(app, f"invite {mention(CAND)} {first}")
    # The kick after `invite` holds the step until the window opens (a Sunday); it must have
    # looked before the clock moves, or it would send on the Monday 29 days on.
    _wait_for_the_kick(app, CAND)
    clock.advance(days=29)
    text = run(app, f"invite {mention(CAND)} {second}", user=ADMIN)["text"]
    allowed = START + timedelta(days=30)  # monthly cadence and NUDGE_MIN_GAP are both 30 days
    assert "invited recently" in text and f"<!date^{int(allowed.timestamp())}^" in text
    clock.advance(days=1)
    assert run(app, f"invite {mention(CAND)} {second}")["text"].startswith("Invitation queued")


def test_refusing_a_stranger_stores_nothing_about_them(app):
    role_id = make_role(app)
    run(app, f"invite {mention('USTRANGER1')} {role_id}")
    from storage.models import Candidate

    assert rows(app, Candidate) == []


@pytest.mark.parametrize(
    "text",
    [
        "invite",
        "invite bob 1",
        f"invite {mention(CAND)}",
        f"invite {mention(CAND)} seven",
        f"invite {mention(CAND)} #0",
    ],
)
def test_malformed_invite_gets_the_usage_line(app, text):
    make_role(app)
    assert run(app, text)["text"] == "Usage: `/nudge invite @user ROLE_ID [note]`"
    assert rows(app, Invitation) == []


def test_pause_and_stop_cancel_queued_invitations(app):
    first, second = make_role(app), make_role(app, "Other | Initech")
    join(app, CAND)
    join(app, "UCAND0006")
    run(app, f"invite {mention(CAND)} {first}")
    run(app, f"invite {mention('UCAND0006')} {second}")
    run(app, "pause 30d", user=CAND)
    run(app, "stop", user="UCAND0006")
    assert sorted((i.candidate_id, i.status, i.cancel_reason) for i in rows(app, Invitation)) == [
        (CAND, "cancelled", "paused"),
        ("UCAND0006", "cancelled", "opted_out"),
    ]


# --- match, pipeline, status, stage, stats ---------------------------------------------------------------


def test_match_ranks_eligible_candidates_by_shared_tags_and_leaves_out_the_ineligible(app):
    role_id = make_role(app, "Backend Engineer | Acme | Calm APIs | python, remote, senior")
    join(app, "UMATCH001", interests=["python"])
    join(app, "UMATCH002", interests=["python", "senior", "go"])
    join(app, "UMATCH003", interests=[])
    join(app, "UNEVER001", interests=["go"], never=["acme"])  # listed like anyone: see the never-list tests
    join(app, "UPAUSED01", interests=["python"])
    run(app, "pause 30d", user="UPAUSED01")
    join(app, "UINVITED1", interests=["python"])
    run(app, f"invite {mention('UINVITED1')} {role_id}")
    run(app, "stop", user="USTOPPED1")

    text = run(app, f"match #{role_id}")["text"]
    assert "4 opted-in candidates could be invited" in text
    lines = [line for line in text.split("\n") if line[:1].isdigit()]
    assert lines == [
        "1. <@UMATCH002> — shares python, senior",
        "2. <@UMATCH001> — shares python",
        "3. <@UMATCH003> — no shared interests",
        "4. <@UNEVER001> — no shared interests",
    ]
    for hidden in ("UPAUSED01", "UINVITED1", "USTOPPED1"):
        assert hidden not in text
    assert run(app, "match 77")["text"].startswith("No open role #77.")


def test_pipeline_counts_invitations_per_stage(app):
    role_id = make_role(app)
    other = make_role(app, "Other | Initech")
    for n, user in enumerate(("UPIPE0001", "UPIPE0002", "UPIPE0003", "UPIPE0004")):
        join(app, user)
        run(app, f"invite {mention(user)} {role_id if n < 3 else other}")
    set_invitation(app, "UPIPE0002", role_id, status="sent", sent_at=START)
    set_invitation(
        app,
        "UPIPE0003",
        role_id,
        status="sent",
        sent_at=START,
        answer="accepted",
        answered_at=START,
        stage="interviewing",
    )

    text = run(app, f"pipeline {role_id}")["text"]
    assert "Pipeline for #1 Backend Engineer at Acme" in text
    assert "• queued: 1\n• awaiting answer: 1\n• interviewing: 1" in text
    all_roles = run(app, "pipeline")["text"]
    assert "all roles" in all_roles and "• queued: 2" in all_roles
    assert "There is no role #9" in run(app, "pipeline 9")["text"]


def test_status_shows_consent_cadence_interests_and_invitations_but_not_the_never_list(app):
    role_id = make_role(app)
    join(app, CAND, interests=["python", "remote"], never=["Initech"], cadence="twice_a_year")
    run(app, f"invite {mention(CAND)} {role_id}")
    text = run(app, f"status {mention(CAND)}")["text"]
    assert f"<@{CAND}>* — opted in" in text
    assert "At most twice a year" in text and "python, remote" in text
    assert "#1 Backend Engineer at Acme — queued" in text
    assert "Initech" not in text
    assert "hasn't opted in" in run(app, f"status {mention('UNOBODY01')}")["text"]


def test_stage_moves_only_accepted_invitations_forward(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite {mention(CAND)} {role_id}")
    assert "happy to chat" in run(app, f"stage {mention(CAND)} {role_id} conversation")["text"]

    set_invitation(
        app, CAND, role_id, status="sent", sent_at=START, answer="accepted", answered_at=START, stage="accepted"
    )
    body = run(app, f"stage {mention(CAND)} #{role_id} Interviewing")
    assert body["text"].startswith(f"<@{CAND}> is now at *interviewing* for role #{role_id}.")
    back = run(app, f"stage {mention(CAND)} {role_id} conversation")["text"]
    assert "interviewing" in back and "offer" in back and "closed" in back and "Nothing was changed" in back
    run(app, f"stage {mention(CAND)} {role_id} closed")
    assert "Nothing was changed" in run(app, f"stage {mention(CAND)} {role_id} offer")["text"]
    assert "Usage" in run(app, f"stage {mention(CAND)} {role_id} dancing")["text"]
    assert "no invitation to role #5" in run(app, f"stage {mention(CAND)} 5 offer")["text"]


def test_stats_counts_the_funnel_and_the_median_time_to_answer(app, clock):
    role_id = make_role(app)
    answers = [("accepted", 2), ("declined", 4), ("snoozed", 6), (None, None), ("details", None)]
    for n, (answer, hours) in enumerate(answers):
        user = f"USTAT000{n}"
        join(app, user)
        run(app, f"invite {mention(user)} {role_id}")
        values = {"status": "sent", "sent_at": START - timedelta(days=3)}
        if answer:
            values["answer"] = answer
        if hours:
            values["answered_at"] = START - timedelta(days=3) + timedelta(hours=hours)
        set_invitation(app, user, role_id, **values)
    run(app, "stop", user="USTAT0004")

    text = run(app, "stats")["text"]
    assert "*Last 30 days*" in text
    assert (
        "• Invited: 5\n• Answered: 3 (60%)\n• Interested: 1 (20%)\n• Snoozed: 1 (20%)\n• Declined: 1 (20%)\n• Opted out: 1"
        in text
    )
    assert "Median time to answer: 4.0 hours" in text
    clock.advance(days=10)
    assert "• Invited: 0" in run(app, "stats 7d")["text"]
    assert "Usage" in run(app, "stats soon")["text"] and "Usage" in run(app, "stats 5h")["text"]


# --- team, recruiters, audit --------------------------------------------------------------------------------


def test_team_pause_and_resume_are_recorded_with_who_and_when(app):
    body = run(app, "team pause")
    assert body["text"].startswith("Sending is paused for the whole team by <@URECRUIT1>")
    assert "already paused" in run(app, "team pause", user=ADMIN)["text"]
    role_id = make_role(app)
    join(app, CAND)
    assert "Sending is paused for the whole team right now" in run(app, f"invite {mention(CAND)} {role_id}")["text"]
    assert "resumed by <@UADMIN1>" in run(app, "team resume", user=ADMIN)["text"]
    assert [(e.paused, e.actor, e.at) for e in rows(app, TeamSwitchEvent)] == [
        (True, RECRUITER, START),
        (False, ADMIN, START),
    ]
    assert "Usage" in run(app, "team nap")["text"]


def test_admins_add_and_remove_recruiters_and_environment_ids_are_permanent(app):
    newbie = "UNEWREC01"
    assert "recruiters only" in run(app, "role list", user=newbie)["text"]
    assert "Only admins" in run(app, f"recruiter add {mention(newbie)}", user=RECRUITER)["text"]
    assert run(app, f"recruiter add {mention(newbie)}", user=ADMIN)["text"] == f"<@{newbie}> is now a recruiter."
    assert run(app, "role list", user=newbie)["text"].startswith("No open roles yet")
    assert "Recruiter commands" in everything(run(app, "help", user=newbie))
    assert "already a recruiter" in run(app, f"recruiter add {mention(newbie)}", user=ADMIN)["text"]
    assert (
        run(app, f"recruiter remove {mention(newbie)}", user=ADMIN)["text"] == f"<@{newbie}> is no longer a recruiter."
    )
    assert "recruiters only" in run(app, "role list", user=newbie)["text"]
    assert "change the environment" in run(app, f"recruiter remove {mention(RECRUITER)}", user=ADMIN)["text"]
    assert "change the environment" in run(app, f"recruiter remove {mention(ADMIN)}", user=ADMIN)["text"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("<https://cal.example.com/ann>", True),
        ("<https://cal.example.com/ann|cal.example.com/ann>", True),
        ("https://cal.example.com/ann", True),
        ("<http://cal.example.com/ann>", False),
        ("javascript:alert(1)", False),
        ("", False),
        ("<https://x>", False),
    ],
)
def test_booking_links_must_be_https(app, url, ok):
    text = run(app, f"recruiter link {url}")["text"]
    assert text.startswith("Booking link saved") is ok
    from storage.models import Recruiter

    saved = [r.booking_link for r in rows(app, Recruiter)]
    assert saved == (["https://cal.example.com/ann"] if ok else [])


def test_audit_lists_the_consent_history(app, clock):
    run(app, "join", user=CAND)
    clock.advance(hours=1)
    run(app, "pause 30d", user=CAND)
    text = run(app, f"audit {mention(CAND)}")["text"]
    assert f"Consent history of <@{CAND}>" in text
    assert "2027-01-10 12:00 UTC — invitations granted via command · wording opt-in/" in text
    assert "2027-01-10 13:00 UTC — invitations paused via command" in text
    assert "No consent history" in run(app, f"audit {mention('UNOBODY01')}")["text"]


# --- who may do what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "role add A | B",
        "role list",
        "role close 1",
        f"invite {mention(CAND)} 1",
        "match 1",
        "pipeline",
        f"status {mention(CAND)}",
        f"stage {mention(CAND)} 1 offer",
        "stats",
        "team pause",
        f"recruiter add {mention(CAND)}",
        "recruiter link https://a.example",
        f"audit {mention(CAND)}",
    ],
)
def test_non_recruiters_are_refused_and_nothing_is_created_or_revealed(app, text):
    body = run(app, text, user="UCANDIDATE")
    assert body["text"].startswith("That's for recruiters only")
    assert "/nudge join" in everything(body)
    assert rows(app, Role) == [] and rows(app, TeamSwitchEvent) == []


def test_recruiter_home_shows_roles_with_counts_team_state_and_recent_answers(app):
    role_id = make_role(app)
    join(app, CAND)
    run(app, f"invite {mention(CAND)} {role_id}")
    set_invitation(
        app, CAND, role_id, status="sent", sent_at=START, answer="accepted", answered_at=START, stage="accepted"
    )
    run(app, "team pause")
    app.slack.event(app_home_opened_event(user_id=RECRUITER))

    def home():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == RECRUITER]
        return json.dumps(calls[-1].decoded["view"], ensure_ascii=False) if calls else None

    view = wait_until(home)
    assert "Open roles" in view and "#1 Backend Engineer at Acme" in view and "accepted 1" in view
    assert "*paused*" in view
    assert f"<@{CAND}> — accepted" in view

    app.slack.event(app_home_opened_event(user_id=CAND))
    wait_until(lambda: any(c.args.get("user_id") == CAND for c in app.fake.calls_to("views.publish")))
    candidate_view = json.dumps(
        [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == CAND][-1].decoded["view"]
    )
    assert "Open roles" not in candidate_view


# --- match answers in a fixed number of statements ---------------------------------------------------


def _statements_during(app, text: str) -> int:
    """SQL statements run while answering one command, on the request's own (waitress) thread:
    background work (App Home publishing, the sender) runs elsewhere and is not counted."""
    import threading

    from sqlalchemy import event

    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread().name.startswith("waitress"):
            seen.append(statement)

    engine = app.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = run(app, text)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "could be invited" in body["text"], body
    return len(seen)


def test_match_runs_the_same_few_statements_for_3_or_30_candidates(app, clock):
    role_id = make_role(app, "Backend Engineer | Acme | Calm APIs | python")
    other = make_role(app, "Data Engineer | Initech | Calm pipelines | python")

    def add_candidates(first: int, last: int) -> None:
        for n in range(first, last):
            user = f"UBULK{n:04d}"
            join(app, user, interests=["python"] if n % 2 else ["go"])
            if n % 3 == 0:  # some with a live invitation to another role
                run(app, f"invite {mention(user)} {other}")

    add_candidates(0, 3)
    with_3 = _statements_during(app, f"match {role_id}")
    add_candidates(3, 30)
    with_30 = _statements_during(app, f"match {role_id}")
    assert with_3 == with_30, (with_3, with_30)
    assert with_30 <= 6

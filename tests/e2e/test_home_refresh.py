"""End-to-end: App Home refreshes are coalesced per person, run on their own worker (never on a
request thread or the outbox's sending threads), and stop with the app.

`FakeSlack.hold("views.publish")` keeps a publish under way for as long as a test needs, so
"while a publish is pending" is a state the test sets up, not a race it hopes to win."""

from __future__ import annotations

import json

from tests.support.journeys import setup_invitation, wait_sent
from tests.support.slackreq import app_home_opened_event
from tests.support.waiting import wait_until

BLOCKER = "UHOMEBUSY1"  # whose publish is held while the others change
ALICE = "UHOMEALICE"
BOB = "UHOMEBOB01"


def publishes_for(app, user_id: str) -> list[dict]:
    return [c.decoded["view"] for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == user_id]


def hold_the_publisher(app) -> None:
    """Start a publish for BLOCKER and keep it under way until `release`."""
    app.fake.hold("views.publish")
    app.slack.event(app_home_opened_event(user_id=BLOCKER))
    wait_until(lambda: publishes_for(app, BLOCKER))


def command_ok(app, text: str, user_id: str) -> None:
    reply = app.slack.command(text, user_id=user_id)
    assert reply.status == 200, reply.body  # answered although a publish is still under way


def test_many_changes_while_a_refresh_is_pending_publish_each_persons_tab_once_with_the_final_state(app):
    hold_the_publisher(app)
    command_ok(app, "join", ALICE)
    for _ in range(5):
        command_ok(app, "pause 90d", ALICE)
        command_ok(app, "resume", ALICE)
    command_ok(app, "pause 90d", ALICE)  # 12 changes for Alice
    command_ok(app, "join", BOB)
    command_ok(app, "stop", BOB)  # 2 for Bob
    assert publishes_for(app, ALICE) == [] and publishes_for(app, BOB) == []
    assert app.pending_home_refreshes() == 2

    app.fake.release("views.publish")
    wait_until(lambda: publishes_for(app, BOB))  # asked after Alice: published after hers
    (alice_view,) = publishes_for(app, ALICE)
    (bob_view,) = publishes_for(app, BOB)
    assert "Paused until" in json.dumps(alice_view)  # built when it ran: the twelfth change
    assert "opted out" in json.dumps(bob_view) and "nudge.consent.join" in json.dumps(bob_view)
    app.fake.assert_clean()


def test_a_change_during_a_persons_own_publish_publishes_once_more_afterwards(app):
    app.fake.hold("views.publish")
    command_ok(app, "join", ALICE)
    wait_until(lambda: publishes_for(app, ALICE))  # under way, built before the pause below
    command_ok(app, "pause 90d", ALICE)
    command_ok(app, "resume", ALICE)
    command_ok(app, "pause 90d", ALICE)
    app.fake.release("views.publish")
    wait_until(lambda: len(publishes_for(app, ALICE)) == 2)
    assert "Paused until" in json.dumps(publishes_for(app, ALICE)[-1])
    command_ok(app, "join", BOB)  # a later refresh for someone else: Alice's queue is empty
    wait_until(lambda: publishes_for(app, BOB))
    assert len(publishes_for(app, ALICE)) == 2


def test_home_publishes_held_by_slack_never_delay_an_invitation(app):
    hold_the_publisher(app)
    for n in range(6):  # more people waiting for a tab than the outbox has sending threads
        app.slack.event(app_home_opened_event(user_id=f"UHOMEWAIT{n}"))
    setup_invitation(app)
    invitation = wait_sent(app)  # sent while every views.publish is still unanswered
    assert invitation.message_ts
    assert [c.args.get("user_id") for c in app.fake.calls_to("views.publish")] == [BLOCKER]
    app.fake.release("views.publish")


def test_shutdown_drops_pending_refreshes_and_ends_the_publisher(app):
    hold_the_publisher(app)
    command_ok(app, "join", ALICE)
    command_ok(app, "join", BOB)
    home = app.home_publisher
    assert home.pending() == 2

    home.shutdown(timeout=0.05)  # the held publish is still under way
    assert home.pending() == 0
    app.fake.release("views.publish")
    wait_until(lambda: not home.running)
    home.refresh_soon(ALICE)  # after shutdown: ignored, no new worker
    command_ok(app, "pause 90d", ALICE)
    assert not home.running
    assert publishes_for(app, ALICE) == [] and publishes_for(app, BOB) == []


# --- click replies after the ack ----------------------------------------------------------------------


def test_a_count_me_in_click_is_committed_and_answered_before_its_in_place_reply_goes_out(app):
    from bot.rules.consent import ConsentStatus

    app.fake.hold("response_url")  # Slack slow to take the replacement message
    reply = app.slack.click(user_id=ALICE, action_id="nudge.consent.join", value="join")
    assert reply.status == 200  # the ack did not wait for the reply
    assert app.consent_status(ALICE) is ConsentStatus.OPTED_IN  # committed first
    app.fake.release("response_url")
    (posted,) = app.fake.wait_for("response_url")
    assert posted.args["replace_original"] is True and "You're in" in posted.args["text"]


def test_replies_to_one_persons_quick_clicks_go_out_in_order(app):
    app.fake.hold("response_url")
    app.slack.click(user_id=ALICE, action_id="nudge.consent.join", value="join", response_key="first")
    app.slack.click(user_id=ALICE, action_id="nudge.consent.stop", value="stop", response_key="second")
    app.slack.click(user_id=ALICE, action_id="nudge.consent.join", value="join", response_key="third")
    wait_until(lambda: app.fake.calls_to("response_url"))
    assert len(app.fake.calls_to("response_url")) == 1  # the others wait behind the first
    app.fake.release("response_url")
    replies = app.fake.wait_for("response_url", count=3)
    assert [c.path.rsplit("/", 1)[-1] for c in replies] == ["first", "second", "third"]
    assert "You're in" in replies[-1].args["text"]


def test_someone_opening_their_tab_is_published_before_a_queue_of_others(app):
    hold_the_publisher(app)
    for user in (ALICE, BOB):
        command_ok(app, "join", user)
    app.slack.event(app_home_opened_event(user_id="UHOMELOOKS"))
    app.fake.release("views.publish")
    wait_until(lambda: publishes_for(app, BOB))
    order = [c.args["user_id"] for c in app.fake.calls_to("views.publish")]
    assert order == [BLOCKER, "UHOMELOOKS", ALICE, BOB]


def test_a_burst_of_tabs_is_published_at_slacks_rate_and_shutdown_does_not_wait_for_it(app):
    home = app.home_publisher
    home.burst, home.per_second = 3, 0.001  # three at once, then one every 1,000 s
    people = [f"UHOMERATE{n}" for n in range(5)]
    for person in people:
        app.slack.event(app_home_opened_event(user_id=person))
    wait_until(lambda: len(app.fake.calls_to("views.publish")) == 3 and home.pending() == 2)
    assert len(app.fake.calls_to("views.publish")) == 3  # the other two wait for the rate
    home.shutdown()
    wait_until(lambda: not home.running)  # woken from its wait, not after 1,000 s
    assert len(app.fake.calls_to("views.publish")) == 3


def test_shutdown_finishes_the_reply_under_way_and_drops_the_queued_ones(app):
    app.fake.hold("response_url")
    for n in range(3):
        app.slack.click(user_id=ALICE, action_id="nudge.consent.join", value="join", response_key=f"q{n}")
    wait_until(lambda: app.fake.calls_to("response_url"))  # the first is under way, two queued
    replies = app.click_replies
    replies.shutdown(wait=False)
    app.fake.release("response_url")
    replies.shutdown(wait=True)  # returns once the reply under way has finished
    assert [c.path.rsplit("/", 1)[-1] for c in app.fake.calls_to("response_url")] == ["q0"]

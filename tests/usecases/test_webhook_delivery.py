"""The webhook sender against a local receiver that verifies every delivery with the reference
`standardwebhooks` library: signed, in order per candidate, retried on the schedule with the same
webhook-id, stopped by 410 until the settings change, and leaving no Slack id of an erased person."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.rules.consent import Via
from bot.rules.statuses import Answer
from bot.sending.webhooks import WebhookSender
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from storage.models import WebhookDelivery
from tests.support.usecase_world import Journeys, context, usecase_settings
from tests.support.webhooks import SECRET, Receiver, queued

ALICE, BOB = "UALICE0001", "UBOB000001"


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.url = receiver.start()
    yield receiver
    receiver.stop()


def _ctx(sessions, database_url, clock, url, secret=SECRET):
    settings = usecase_settings(database_url, NUDGE_WEBHOOK_URL=url, NUDGE_WEBHOOK_SECRET=secret)
    return context(sessions, settings, clock)


@pytest.fixture
def ctx(sessions, database_url, clock, receiver):
    return _ctx(sessions, database_url, clock, receiver.url)


@pytest.fixture
def webhooks(ctx):
    return WebhookSender(ctx, profile_reads=lambda user: ("Alice Example", "Staff Engineer"), chance=lambda: 0.5)


def test_every_event_arrives_verified_in_order(journeys, webhooks, receiver, sessions):
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    journeys.consent.stop(ALICE, via=Via.KEYWORD)
    assert webhooks.tick() == 4  # one claim per candidate at a time; the next follows in the same tick
    assert receiver.refused == []
    assert [r.body["type"] for r in receiver.received] == [
        "invitation.answered",
        "sharing.granted",
        "sharing.withdrawn",
        "candidate.opted_out",
    ]
    granted = receiver.received[1].body
    assert granted["data"]["profile"] == {
        "name": "Alice Example",
        "title": "Staff Engineer",
        "interests": [],
        "note": None,
    }
    assert granted["timestamp"] == "2027-01-11T12:00:00Z"
    assert all(row.delivered_at is not None for row in queued(sessions))
    ids = [r.webhook_id for r in receiver.received]
    assert ids == [row.webhook_id for row in queued(sessions)]


def test_a_failed_attempt_is_retried_within_5s_with_the_same_id(journeys, webhooks, receiver, clock, sessions):
    journeys.delivered(ALICE)
    _, bob_invitation = journeys.delivered(BOB)
    journeys.journey.answer(BOB, bob_invitation, Answer.DECLINED)
    receiver.answers = [503]
    webhooks.tick()
    assert receiver.received == [] and len(receiver.attempts) == 1
    row = queued(sessions)[0]
    assert row.attempts == 1 and row.not_before <= clock() + timedelta(seconds=5) and row.last_status == "503"
    clock.advance(seconds=5)
    webhooks.tick()
    assert receiver.attempts == [row.webhook_id, row.webhook_id]
    assert [r.webhook_id for r in receiver.received] == [row.webhook_id]


def test_a_later_event_waits_for_an_earlier_one_being_retried(ctx, journeys, receiver, clock):
    webhooks = WebhookSender(ctx, profile_reads=lambda user: ("Alice Example", None), chance=lambda: 0.5, workers=1)
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    _, bob_invitation = journeys.delivered(BOB)
    journeys.journey.answer(BOB, bob_invitation, Answer.SNOOZED, months=3)
    receiver.answers = [500]  # one poster, oldest first: Alice's first event gets the 500
    while webhooks.tick():
        pass
    assert [r.body["data"]["candidate"] for r in receiver.received] == [BOB]
    clock.advance(seconds=5)
    while webhooks.tick():
        pass
    assert [r.body["type"] for r in receiver.received if r.body["data"]["candidate"] == ALICE] == [
        "invitation.answered",
        "sharing.granted",
    ]


def test_timeouts_are_retried_for_more_than_a_day_then_given_up(ctx, journeys, clock, sessions):
    silent = WebhookSender(ctx, post=lambda url, body, headers, timeout: None, chance=lambda: 0.99)
    journeys.delivered(ALICE)
    journeys.consent.stop(ALICE, via=Via.COMMAND)
    started = clock()
    attempts = 0
    while queued(sessions)[0].given_up_at is None:
        attempts += silent.tick(limit=1)
        clock.advance(minutes=30)
        assert clock() - started < timedelta(days=3)
    assert attempts == 9 and clock() - started > timedelta(hours=24)
    assert queued(sessions)[0].last_status == "no answer"


def test_410_stops_deliveries_until_the_settings_change(journeys, webhooks, receiver, clock, sessions, database_url):
    journeys.delivered(ALICE)
    journeys.consent.stop(ALICE, via=Via.COMMAND)
    journeys.delivered(BOB)
    journeys.consent.stop(BOB, via=Via.COMMAND)
    receiver.answers = [410]
    webhooks.tick(limit=1)
    clock.advance(hours=1)
    assert webhooks.tick() == 0
    assert len(receiver.attempts) == 1
    rotated = "whsec_" + "c2Vjb25kLXRlc3Qtd2ViaG9vay1rZXktMzItYnl0ZXM="
    receiver.secret = rotated
    after = WebhookSender(_ctx(sessions, database_url, clock, receiver.url, rotated))
    while after.tick():
        pass
    assert sorted(r.body["data"]["candidate"] for r in receiver.received) == [ALICE, BOB]


def test_the_signature_timestamp_is_real_time_whatever_the_app_clock(journeys, webhooks, receiver, clock):
    clock.advance(days=400)
    journeys.delivered(ALICE)
    journeys.consent.stop(ALICE, via=Via.COMMAND)
    webhooks.tick()
    assert receiver.refused == [] and len(receiver.received) == 1


def test_after_candidate_erased_is_delivered_nothing_keeps_their_slack_id(ctx, journeys, webhooks, receiver, sessions):
    _, invitation_id = journeys.accepted(ALICE)
    journeys.journey.share(ALICE, invitation_id, yes=True)
    webhooks.tick()
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    while webhooks.tick():
        pass
    assert [r.body["type"] for r in receiver.received] == ["invitation.answered", "sharing.granted", "candidate.erased"]
    assert receiver.received[-1].body["data"] == {"candidate": ALICE}
    with sessions() as session:
        rows = list(session.execute(select(WebhookDelivery)).scalars())
    assert rows and all(ALICE not in json.dumps(row.model_dump(mode="json")) for row in rows)


def test_a_given_up_erasure_also_forgets_the_slack_id(ctx, journeys, clock, sessions):
    silent = WebhookSender(ctx, post=lambda url, body, headers, timeout: 500, chance=lambda: 0.0)
    journeys.accepted(ALICE)
    silent.tick()
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    for _ in range(12):
        silent.tick()
        clock.advance(hours=11)
    rows = queued(sessions)
    assert [r.event_type for r in rows] == ["candidate.erased"] and rows[0].given_up_at is not None
    assert rows[0].candidate is None and ALICE not in json.dumps(rows[0].data)


def test_ping_says_what_came_back(webhooks, receiver):
    receiver.answers = [418]
    result = webhooks.ping()
    assert result.status == 418 and not result.delivered
    assert webhooks.ping().delivered and receiver.received[0].body["type"] == "ping"


def test_nothing_is_sent_when_webhooks_are_off(sessions, database_url, clock, sender):
    off = context(sessions, usecase_settings(database_url), clock)
    Journeys(off, sender).accepted(ALICE)
    assert WebhookSender(off, post=lambda *a: pytest.fail("posted")).tick() == 0


def test_an_event_in_flight_during_an_erasure_arrives_before_candidate_erased_then_goes(
    ctx, journeys, webhooks, receiver, sessions
):
    from storage import webhooks as queue

    journeys.accepted(ALICE)
    with ctx.sessions() as session, session.begin():
        (in_flight,) = queue.claim_due(session, now=ctx.clock(), lease=timedelta(seconds=30), limit=5)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    assert [r.event_type for r in queued(sessions)] == ["invitation.answered", "candidate.erased"]
    assert webhooks.tick() == 0  # the erasure waits behind the post in flight
    assert webhooks.deliver(in_flight).value == "delivered"
    while webhooks.tick():
        pass
    assert [r.body["type"] for r in receiver.received] == ["invitation.answered", "candidate.erased"]
    rows = queued(sessions)
    assert [r.event_type for r in rows] == ["candidate.erased"] and rows[0].candidate is None


def test_an_event_in_flight_during_an_erasure_is_not_retried_after_it(ctx, journeys, webhooks, receiver, sessions):
    from storage import webhooks as queue

    journeys.accepted(ALICE)
    with ctx.sessions() as session, session.begin():
        (in_flight,) = queue.claim_due(session, now=ctx.clock(), lease=timedelta(seconds=30), limit=5)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    receiver.answers = [500]
    assert webhooks.deliver(in_flight).value == "retrying"
    assert [r.event_type for r in queued(sessions)] == ["candidate.erased"]
    while webhooks.tick():
        pass
    assert [r.body["type"] for r in receiver.received] == ["candidate.erased"]


def test_no_post_starts_without_a_timeout_of_lease_left(ctx, journeys, clock, sessions):
    """A claimed batch waits its turn behind slow posts; an event whose lease could run out during
    its own post is handed back instead, so no other process can post it at the same time."""
    for person in (ALICE, BOB, "UCAROL0001"):
        journeys.consent.join(person, via=Via.COMMAND)
        journeys.consent.stop(person, via=Via.KEYWORD)
    lease_left = []

    def slow_post(url, body, headers, timeout):
        with sessions() as session:
            statement = select(WebhookDelivery.claimed_until).where(WebhookDelivery.webhook_id == headers["webhook-id"])
            lease_left.append(session.execute(statement).scalar_one() - clock())
        clock.advance(seconds=25)  # an endpoint that takes its time
        return 200

    sender = WebhookSender(ctx, post=slow_post, workers=1)
    while sender.tick():
        pass
    assert len(lease_left) == 3 and min(lease_left) >= timedelta(seconds=10)
    assert [(r.attempts, r.delivered_at is not None) for r in queued(sessions)] == [(1, True)] * 3


def test_a_claim_landing_during_an_erasure_still_gets_candidate_erased_after_it(
    ctx, journeys, webhooks, receiver, sessions, monkeypatch
):
    """A sender's claim can commit between the erasure's look at what was sent and its delete
    (PostgreSQL, read committed): the event it claimed is then in flight, kept by the delete and
    posted, so the receiver must hear of the erasure after it. Staged by claiming inside the
    erasure's own transaction, which sees what such a committed claim leaves."""
    from storage import webhooks as queue

    journeys.accepted(ALICE)
    real_drop = queue.drop_for_erasure
    claimed = []

    def claim_then_drop(session, *, candidate, now):
        claimed.extend(queue.claim_due(session, now=now, lease=timedelta(seconds=30), limit=5))
        return real_drop(session, candidate=candidate, now=now)

    monkeypatch.setattr(queue, "drop_for_erasure", claim_then_drop)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    assert [r.event_type for r in claimed] == ["invitation.answered"]
    assert [r.event_type for r in queued(sessions)] == ["invitation.answered", "candidate.erased"]
    assert webhooks.deliver(claimed[0]).value == "delivered"
    while webhooks.tick():
        pass
    assert [r.body["type"] for r in receiver.received] == ["invitation.answered", "candidate.erased"]
    assert all(ALICE not in json.dumps(r.model_dump(mode="json")) for r in queued(sessions))


def test_a_stage_change_committed_during_an_erasure_leaves_no_event_behind(ctx, journeys, sessions, monkeypatch):
    """A stage change (the pipeline's select, a role closing) holding the invitation's lock can
    commit while an erasure waits for that lock: its `stage.changed` must go with everything else
    about the person. Staged by writing that event inside the erasure's transaction just before
    the invitations are re-keyed, which is where the committed change becomes visible to it."""
    from bot.rules.statuses import Stage
    from bot.usecases import webhooks as reporting
    from storage import erasure as erasure_queries
    from storage import invitations

    journeys.accepted(ALICE)
    real_erase_person = erasure_queries.erase_person

    def stage_changed_then_erase(session, **kwargs):
        (invitation,) = invitations.invitations_of(session, candidate_id=ALICE)
        reporting.stage_changed(session, invitation[0], Stage.CONVERSATION, now=ctx.clock())
        return real_erase_person(session, **kwargs)

    monkeypatch.setattr(erasure_queries, "erase_person", stage_changed_then_erase)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    assert queued(sessions) == []  # nothing was ever posted about them, so not even candidate.erased


def test_closing_a_role_after_an_erasure_reports_nothing_about_the_erased(ctx, journeys, sessions):
    """The erased person's invitation stays (re-keyed to their hash) and is still in the role's
    process; closing the role must not report a stage change about a hash."""
    role_id, _ = journeys.accepted(ALICE)
    assert erase(ctx, InFlight(ctx, None), ALICE, reason=Via.COMMAND)
    before = [r.event_type for r in queued(sessions)]
    journeys.recruiting.close_role(role_id, by="URECRUIT01")
    assert [r.event_type for r in queued(sessions)] == before
